#!/usr/bin/env bash
# Installs what is missing, builds everything (Release), runs every test project and ends with
# "<P> passed, <F> failed[, <S> skipped]" summed from the TRX files. Exits non-zero when a test failed or none ran.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

phase install
ensure_build_dependencies
# The picture tests draw labels in DejaVu Sans (SkiaSharp's Linux assets have no fontconfig to find another font).
ensure_apt fonts-dejavu-core

phase build
dotnet build SequenceML.sln -c Release -v quiet -nologo -clp:ErrorsOnly

phase test
results="$REPO_ROOT/artifacts/test-results"
rm -rf "$results"
set +e
# -m:1: one test project at a time, so the mlseq process tests never compete with the timed training tests.
dotnet test SequenceML.sln -c Release --no-build -m:1 --logger "trx" --results-directory "$results" "$@"
test_status=$?
set -e
phase

# Sum the counters of every TRX file (one per test project): passed; failed, error, timeout, aborted as failed;
# notExecuted and inconclusive as skipped.
counter() {
  local name=$1 total=0 value file
  for file in "$results"/*.trx; do
    [[ -e "$file" ]] || continue
    value=$(grep -o "<Counters [^>]*" "$file" | grep -o " $name=\"[0-9]*\"" | grep -o "[0-9]\+" || true)
    total=$((total + ${value:-0}))
  done
  echo "$total"
}
passed=$(counter passed)
failed=$(($(counter failed) + $(counter error) + $(counter timeout) + $(counter aborted)))
skipped=$(($(counter notExecuted) + $(counter inconclusive)))
summary="$passed passed, $failed failed"
if ((skipped > 0)); then summary="$summary, $skipped skipped"; fi
echo "$summary"
if ((test_status != 0 || failed > 0 || passed == 0)); then
  exit 1
fi
