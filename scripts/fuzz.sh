#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a fixed time on a copy of
# its seed corpus. Fails on the first crash, leak, sanitizer report or timeout; the input that
# caused it is kept under <build>/fuzz/artifacts/.
#
# Usage: scripts/fuzz.sh [seconds-per-target] [target...]
#   seconds-per-target  default 60
#   target              fuzz_parser, fuzz_signature_headers, fuzz_time, fuzz_endpoint (default:
#                       all of them)
# Environment: ALM_WEBHOOKS_FUZZ_BUILD_DIR (default build/fuzz), CXX (default clang++),
#              ALM_WEBHOOKS_FUZZ_ARGS (extra libFuzzer options, e.g. "-jobs=2 -workers=2").
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(fuzz_parser fuzz_signature_headers fuzz_time fuzz_endpoint)
fi
build=${ALM_WEBHOOKS_FUZZ_BUILD_DIR:-build/fuzz}
extra=(${ALM_WEBHOOKS_FUZZ_ARGS:-})

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="${CXX:-clang++}" -DALM_WEBHOOKS_BUILD_FUZZERS=ON \
  -DALM_WEBHOOKS_BUILD_TESTS=OFF -DALM_WEBHOOKS_BUILD_TOOLS=OFF \
  -DALM_WEBHOOKS_BUILD_EXAMPLES=OFF -DALM_WEBHOOKS_INSTALL=OFF >/dev/null
cmake --build "$build" --target "${targets[@]}"

artifacts="$build/fuzz/artifacts"
mkdir -p "$artifacts"
summary=()
for target in "${targets[@]}"; do
  # A fresh copy each run, so that the seeds in the build tree stay as generated.
  work="$build/fuzz/run/$target"
  rm -rf "$work"
  mkdir -p "$work"
  cp -R "$build/fuzz/corpus/$target/." "$work/"
  log="$build/fuzz/run/$target.log"
  echo "== $target: ${seconds}s"
  status=0
  "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "${extra[@]}" "$work" \
    >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [[ $status -ne 0 ]]; then
    grep -E "ERROR|SUMMARY|property violated|runtime error" "$log" | head -20 || true
    echo "$target FAILED (exit $status); log: $log; inputs: $artifacts/" >&2
    exit 1
  fi
  summary+=("$target: ${runs:-?} executions in ${seconds}s, corpus $(ls "$work" | wc -l) inputs")
done
printf '%s\n' "${summary[@]}"
