#!/usr/bin/env bash
# Runs one sample with --seed 1, 2 and 3 (after building it once) and prints, for every METRIC line the sample
# prints, the three values and their mean ± sample standard deviation.
# Usage: build/seeds.sh <SampleName> [more sample arguments...]   e.g. build/seeds.sh SentimentClassification
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
name="${1:?usage: build/seeds.sh <SampleName> [sample arguments...]}"
shift
if [[ ! -d "samples/$name" ]]; then
  echo "error: no sample named '$name' (see samples/)" >&2
  exit 2
fi

phase install
ensure_build_dependencies
phase build
dotnet build "samples/$name" -c Release -v quiet -nologo -clp:ErrorsOnly
phase

logs="$REPO_ROOT/artifacts/seeds/$name"
mkdir -p "$logs"
for seed in 1 2 3; do
  phase "seed $seed"
  dotnet "samples/$name/bin/Release/net10.0/$name.dll" --seed "$seed" "$@" | tee "$logs/seed$seed.log"
  status=${PIPESTATUS[0]}
  if ((status != 0)); then
    echo "error: seed $seed exited with $status (log: $logs/seed$seed.log)" >&2
    exit "$status"
  fi
done
phase

echo
echo "$name over seeds 1-3 (logs in artifacts/seeds/$name/):"
grep -h '^METRIC ' "$logs"/seed1.log "$logs"/seed2.log "$logs"/seed3.log | awk '
  { if (!($2 in n)) order[++count] = $2; n[$2]++; v[$2, n[$2]] = $3; sum[$2] += $3 }
  END {
    printf "| metric | seed 1 | seed 2 | seed 3 | mean ± sd |\n|---|---|---|---|---|\n"
    for (i = 1; i <= count; i++) {
      m = order[i]; mean = sum[m] / n[m]; ss = 0
      for (k = 1; k <= n[m]; k++) ss += (v[m, k] - mean) ^ 2
      sd = n[m] > 1 ? sqrt(ss / (n[m] - 1)) : 0
      printf "| %s | %s | %s | %s | %.4f ± %.4f |\n", m, v[m, 1], v[m, 2], v[m, 3], mean, sd
    }
  }'
