#!/usr/bin/env bash
# Installs what is missing, builds everything (Release), runs every test project and ends with
# "<P> passed, <F> failed[, <S> skipped]" summed from the TRX files. Exits non-zero when a test failed or none ran.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

phase install
ensure_build_dependencies

phase build
dotnet build SequenceML.sln -c Release -v quiet -nologo -clp:ErrorsOnly

phase test
results="$REPO_ROOT/artifacts/test-results"
rm -rf "$results"
set +e
dotnet test SequenceML.sln -c Release --no-build --logger "trx" --results-directory "$results" "$@"
test_status=$?
set -e
phase

counts=$(python3 - "$results" <<'PY' 2>/dev/null || /usr/bin/python3 - "$results" <<'PY2'
import glob, sys, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find("{*}ResultSummary/{*}Counters")
    a = {k: int(v) for k, v in c.attrib.items() if v.isdigit()}
    p += a.get("passed", 0)
    f += a.get("failed", 0) + a.get("error", 0) + a.get("timeout", 0) + a.get("aborted", 0)
    s += a.get("notExecuted", 0) + a.get("inconclusive", 0)
print(p, f, s)
PY
import glob, sys, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find("{*}ResultSummary/{*}Counters")
    a = {k: int(v) for k, v in c.attrib.items() if v.isdigit()}
    p += a.get("passed", 0)
    f += a.get("failed", 0) + a.get("error", 0) + a.get("timeout", 0) + a.get("aborted", 0)
    s += a.get("notExecuted", 0) + a.get("inconclusive", 0)
print(p, f, s)
PY2
)
read -r passed failed skipped <<<"$counts"
summary="$passed passed, $failed failed"
if ((skipped > 0)); then summary="$summary, $skipped skipped"; fi
echo "$summary"
if ((test_status != 0 || failed > 0 || passed == 0)); then
  exit 1
fi
