#!/usr/bin/env bash
# Installs what is missing, builds Release and runs one sample: build/sample.sh <Name> [sample arguments...]
# e.g. build/sample.sh QuickStart --seed 2
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
name="${1:-QuickStart}"
shift || true
if [[ ! -d "samples/$name" ]]; then
  echo "error: no sample named '$name' (see samples/)" >&2
  exit 2
fi

phase install
ensure_build_dependencies
# A sample that needs Debian packages lists them in samples/<Name>/apt-packages.txt (e.g. SpokenDigits: espeak-ng, sox).
if [[ -f "samples/$name/apt-packages.txt" ]]; then
  # shellcheck disable=SC2046
  ensure_apt $(grep -v '^#' "samples/$name/apt-packages.txt")
fi
# TextLineRecognition renders its lines in Debian's DejaVu, FreeFont and Liberation fonts.
if [[ "$name" == TextLineRecognition ]]; then ensure_apt fonts-dejavu-core fonts-liberation fonts-freefont-ttf; fi
phase build
dotnet build "samples/$name" -c Release -v quiet -nologo -clp:ErrorsOnly
phase
exec dotnet "samples/$name/bin/Release/net10.0/$name.dll" "$@"
