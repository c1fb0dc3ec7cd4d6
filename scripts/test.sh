#!/usr/bin/env bash
# Builds and runs every test, as CI does:
#   1. g++, C++17: the whole Catch2 suite, the tool, the examples, the Redis tests against a real
#      redis-server, the load and fault test, and the consumer builds (install + find_package,
#      add_subdirectory, FetchContent);
#   2. clang, C++20, AddressSanitizer + UndefinedBehaviorSanitizer: the whole suite again;
#   3. clang, ThreadSanitizer: the concurrent components (queue, stores, verifier, endpoint,
#      adapters, load test);
#   4. each libFuzzer target for a short fixed time (FUZZ_SECONDS, default 60);
#   5. the benchmarks, built with -O2 and run once briefly so that they cannot rot.
# Usage: scripts/test.sh            (from the repository root; installs dependencies first)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --workflow --preset test
cmake --workflow --preset asan
cmake --workflow --preset tsan
scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
scripts/bench.sh --smoke
