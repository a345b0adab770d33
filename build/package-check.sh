#!/usr/bin/env bash
# Packs src/Microsoft.ML.Sequence and builds and runs a fresh console app that references the package (and
# TorchSharp-cpu) from a local feed, outside the repository's build props: proves the package, its dependencies and
# its buildTransitive loader fix work for an application. Usage: build/package-check.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
ensure_build_dependencies

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
phase pack
dotnet pack src/Microsoft.ML.Sequence -c Release -o "$work/feed" -v quiet -nologo -clp:ErrorsOnly
version=$(ls "$work/feed" | sed -n 's/^Microsoft\.ML\.Sequence\.\(.*\)\.nupkg$/\1/p')
phase consumer
# The app folder must not contain the package folder: the default **/*.cs glob would compile the package's files.
mkdir -p "$work/app"
cp build/package-check/Consumer.csproj build/package-check/Program.cs "$work/app/"
dotnet build "$work/app/Consumer.csproj" -c Release -v quiet -nologo -clp:ErrorsOnly -p:MlSequenceVersion="$version" \
  -p:RestoreAdditionalProjectSources="$work/feed" -p:RestorePackagesPath="$work/packages"
phase
dotnet "$work/app/bin/Release/net10.0/Consumer.dll"
