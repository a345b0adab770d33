#!/usr/bin/env bash
# The one command for every benchmark figure: installs what is missing (incl. Debian's python3-torch, the reference
# side), builds Release, runs the benchmark program, which prints a table and then METRIC lines.
# Usage: build/bench.sh [--quick] [--threads N] [all | lstm-step | mixed-length | data-pipeline | sst2-classifier | ewt-tagger | ctc | ctc-decoding | captioning]...
# (--quick: few repetitions, a smoke test; --threads: both sides' thread count, default the number of cores)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

phase install
ensure_build_dependencies
# python3-torch links libblas.so.3: without OpenBLAS that is Debian's slow reference BLAS, so install OpenBLAS too.
ensure_apt python3-torch libopenblas0-pthread

phase build
dotnet build test/Microsoft.ML.Sequence.Benchmarks -c Release -v quiet -nologo -clp:ErrorsOnly

phase
# The benchmark program runs last so that its METRIC lines are the last lines of stdout.
exec dotnet test/Microsoft.ML.Sequence.Benchmarks/bin/Release/net10.0/Microsoft.ML.Sequence.Benchmarks.dll "$@"
