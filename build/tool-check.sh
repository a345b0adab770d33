#!/usr/bin/env bash
# Packs mlseq as a .NET tool, installs it with `dotnet tool install` from a local feed into a temporary tool path, and
# runs the installed command on a few UCI sentences: proves the tool package carries the libtorch runtime with the
# Debian 12 loader fix applied. Usage: build/tool-check.sh  (slow: the package holds libtorch, about 0.5 GB unpacked)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
ensure_build_dependencies

work=$(mktemp -d)
# Packing a tool publishes into the project's bin/…/publish first (1 GB: libtorch for every runtime); remove it after.
trap 'rm -rf "$work" "$REPO_ROOT/src/Microsoft.ML.Sequence.Cli/bin/Release/net10.0/publish"' EXIT
phase pack
dotnet pack src/Microsoft.ML.Sequence.Cli -c Release -o "$work/feed" -v quiet -nologo -clp:ErrorsOnly
ls -l "$work/feed"
phase install
dotnet tool install Microsoft.ML.Sequence.Cli --tool-path "$work/tools" --add-source "$work/feed" --version 0.2.0
phase run
data="${SEQUENCE_DATA:-$REPO_ROOT/../shared/data}"
{ printf 'Text\tLabel\n'; head -100 "$data/sentiment/yelp_labelled.txt"; } > "$work/reviews.tsv"
"$work/tools/mlseq" --help
"$work/tools/mlseq" train text-classification --dataset "$work/reviews.tsv" --max-epochs 1 --hidden-size 8 --embedding-size 8 \
  --output "$work/out"
"$work/tools/mlseq" predict --model "$work/out/model.zip" --text "Loved it"
phase
echo "tool-check: the installed mlseq trained and predicted"
