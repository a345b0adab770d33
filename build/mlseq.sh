#!/usr/bin/env bash
# Builds the mlseq command line (Release) and runs it from the repository: build/mlseq.sh <command> [options...]
# e.g. build/mlseq.sh train text-classification --dataset reviews.tsv --label-col Label --text-col Text --output out/
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_build_dependencies
# Relative paths in the arguments stay relative to the caller's folder.
dotnet build "$REPO_ROOT/src/Microsoft.ML.Sequence.Cli" -c Release -v quiet -nologo -clp:ErrorsOnly >&2
exec dotnet "$REPO_ROOT/src/Microsoft.ML.Sequence.Cli/bin/Release/net10.0/mlseq.dll" "$@"
