# Shared by the build scripts: repository root, phase timing, and installing what the build needs.
# shellcheck shell=bash
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

_phase_name=""
_phase_start=0

# phase NAME: ends the running phase (printing its duration) and starts NAME; `phase` alone ends the last one.
phase() {
  local now
  now=$(date +%s)
  if [[ -n "$_phase_name" ]]; then
    echo "== phase ${_phase_name}: $((now - _phase_start)) s"
  fi
  _phase_name="${1:-}"
  _phase_start=$now
  if [[ -n "$_phase_name" ]]; then
    echo "== phase ${_phase_name} ..."
  fi
}

# ensure_apt PKG...: installs the packages that are missing, and only those (apt only when needed).
ensure_apt() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} > 0)); then
    echo "Installing: ${missing[*]}"
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# The build needs only the .NET SDK: TorchSharp-cpu brings libtorch 2.10 from NuGet at restore.
ensure_build_dependencies() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET 10 SDK (dotnet) is not on PATH" >&2
    exit 1
  fi
}
