#!/usr/bin/env bash
# The one command for every benchmark figure: installs what is missing (incl. Debian's python3-torch, the reference
# side), builds Release, runs the benchmark program, which prints a table and then METRIC lines.
# Usage: build/bench.sh [all | op-overhead | lstm-step | mixed-length | data-pipeline | sst2-classifier | ewt-tagger]...
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

phase install
ensure_build_dependencies
ensure_apt python3-torch

phase build
dotnet build test/Microsoft.ML.Sequence.Benchmarks -c Release -v quiet -nologo -clp:ErrorsOnly

phase
# The benchmark program runs last so that its METRIC lines are the last lines of stdout.
exec dotnet test/Microsoft.ML.Sequence.Benchmarks/bin/Release/net10.0/Microsoft.ML.Sequence.Benchmarks.dll "$@"
