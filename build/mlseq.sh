#!/usr/bin/env bash
# Builds the mlseq command line (Release) and runs it from the repository: build/mlseq.sh <command> [options...]
# e.g. build/mlseq.sh train text-classification --dataset reviews.tsv --label-col Label --text-col Text --output out/
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_build_dependencies
# Relative paths in the arguments stay relative to the caller's folder.
# The build stays silent unless it fails, so `build/mlseq.sh codegen … > Program.cs` and logs hold only mlseq's output.
if ! build_log=$(dotnet build "$REPO_ROOT/src/Microsoft.ML.Sequence.Cli" -c Release -v quiet -nologo -clp:ErrorsOnly 2>&1); then
  echo "$build_log" >&2
  exit 1
fi
exec dotnet "$REPO_ROOT/src/Microsoft.ML.Sequence.Cli/bin/Release/net10.0/mlseq.dll" "$@"
