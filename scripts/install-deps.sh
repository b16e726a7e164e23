#!/usr/bin/env bash
# Installs Keygate's build and test dependencies from Debian 12 packages. Idempotent: when
# every package is present it changes nothing and needs no network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libboost1.81-dev libboost-json1.81-dev
  libsodium-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev liboath-dev libqrencode-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-aiosmtpd curl ca-certificates
)
# The benchmark harness (bench/run) needs an nginx baseline and the wrk load generator; the
# tests include its smoke run (CTest bench_smoke), so --test installs them too.
if [[ "${1:-}" == "--bench" || "${1:-}" == "--test" ]]; then
  packages+=(nginx wrk)
fi
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium)
  # Node.js may come from Debian or elsewhere (e.g. a nodesource build that bundles npm):
  # what matters is that node and npm run.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# libboost-dev (1.74) conflicts with the 1.81 packages Keygate needs.
if dpkg-query -W -f='${Status}' libboost-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "install-deps: libboost-dev (Boost 1.74) is installed and conflicts with libboost1.81-dev;" >&2
  echo "install-deps: remove it first: apt-get remove libboost-dev" >&2
  exit 1
fi
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
