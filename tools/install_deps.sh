#!/usr/bin/env bash
# Installs every system and npm dependency hummingbert needs on Debian 12 (bookworm), only when
# missing. Safe to re-run. Usage: bash tools/install_deps.sh [--no-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=1
[ "${1:-}" = "--no-browser" ] && want_browser=0

# clang-19 + lld-19: the relaxed-SIMD kernel module (cmake/relaxed_simd_kernel.cmake).
pkgs=(cmake ninja-build g++ clang libclang-rt-14-dev libgtest-dev emscripten libhwy-dev wabt
      nlohmann-json3-dev unicode-data valgrind clang-19 lld-19)
[ "$want_browser" = 1 ] && pkgs+=(chromium)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" != 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f package.json ] && [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund
fi
