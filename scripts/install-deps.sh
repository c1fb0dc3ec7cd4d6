#!/usr/bin/env bash
# Installs every package the project builds, tests and benchmarks with, from Debian 12's
# repositories. Idempotent: does nothing when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev
  libsimdjson-dev libssl-dev libfmt-dev catch2          # the SDK and its tests
  libcpp-httplib-dev libboost-dev                       # optional server adapters
  libhiredis-dev redis-server                           # optional Redis store and stream
  libbenchmark-dev nlohmann-json3-dev wrk valgrind      # benchmarks and their baselines
  openssl curl                                          # key generation and loopback checks
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
