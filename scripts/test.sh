#!/usr/bin/env bash
# Builds and runs every test: the suite with g++ as C++17 and with clang as C++20.
# Usage: scripts/test.sh            (from the repository root; installs dependencies first)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --workflow --preset test
cmake --workflow --preset test-cxx20
