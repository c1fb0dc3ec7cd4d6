#!/usr/bin/env bash
# Builds the benchmarks as a user builds the SDK (the `release` preset: -O2, NDEBUG) and runs the
# whole suite (verify, parse, end to end in memory, HTTP under wrk), then prints one table of
# medians and ratios per family, with the project's targets (benchmarks/bench_table.cpp).
#
# Usage: scripts/bench.sh [--smoke] [--check] [--repetitions N] [--min-time SECONDS]
#                         [--no-http] [--march-native] [--build-dir DIR] [--out DIR]
#   --smoke         build, then run every benchmark once briefly (CI: proves they build and
#                   run; prints the table but asserts nothing about timings)
#   --check         exit 1 when a target is missed (never with --smoke)
#   --repetitions   repetitions per benchmark, medians reported (default 10)
#   --min-time      seconds per repetition (default 0.1)
#   --no-http       skip the HTTP benchmark (wrk)
#   --march-native  also compile with -march=native (in a separate build directory)
#   --build-dir     default build/release (build/release-native with --march-native)
#   --out           where the JSON results go (default <build-dir>/bench-results)
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
check=0
repetitions=10
min_time=0.1
http=1
native=0
build=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; shift ;;
    --check) check=1; shift ;;
    --repetitions) repetitions="$2"; shift 2 ;;
    --min-time) min_time="$2"; shift 2 ;;
    --no-http) http=0; shift ;;
    --march-native) native=1; shift ;;
    --build-dir) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ -z "$build" ]; then
  build=build/release
  [ "$native" -eq 1 ] && build=build/release-native
fi
[ -z "$out" ] && out="$build/bench-results"

# Only the benchmarks are built; tests, tools and examples stay off in this directory.
configure=(cmake --preset release -B "$build" -DALM_WEBHOOKS_BUILD_TESTS=OFF
           -DALM_WEBHOOKS_BUILD_TOOLS=OFF -DALM_WEBHOOKS_BUILD_EXAMPLES=OFF)
if [ "$native" -eq 1 ]; then
  configure+=(-DCMAKE_CXX_FLAGS=-march=native)
fi
"${configure[@]}" > /dev/null
cmake --build "$build" --target alm_webhooks_benchmarks -j "$(nproc)"

rm -rf "$out"
mkdir -p "$out"
if [ "$smoke" -eq 1 ]; then
  run_args=(--benchmark_min_time=0.001)
else
  run_args=(--benchmark_repetitions="$repetitions" --benchmark_min_time="$min_time"
            --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true)
fi
for bench in bench_verify bench_parse bench_endpoint; do
  echo "== $bench"
  if ! "$build/benchmarks/$bench" "${run_args[@]}" --benchmark_out="$out/$bench.json" \
    --benchmark_out_format=json > "$out/$bench.txt"; then
    grep -E "ERROR OCCURRED|FAILED" "$out/$bench.txt" >&2 || true
    echo "bench: $bench failed (output in $out/$bench.txt)" >&2
    exit 1
  fi
done

# The revision comparison (scripts/ab.sh) builds bench_ab from two revisions; here it is built
# from the working tree on both sides and, in the smoke run only, run briefly so that it cannot rot.
if [ "$smoke" -eq 1 ]; then
  echo "== bench_ab"
  "$build/benchmarks/bench_ab" --rounds 3
fi

if [ "$http" -eq 1 ]; then
  echo "== HTTP (wrk)"
  if [ "$smoke" -eq 1 ]; then
    benchmarks/http_bench.sh --build-dir "$build" --duration 1 --rounds 1 --sizes 360 \
      --out "$out/http.json"
  else
    benchmarks/http_bench.sh --build-dir "$build" --out "$out/http.json"
  fi
fi

table_args=()
[ "$check" -eq 1 ] && [ "$smoke" -eq 0 ] && table_args+=(--check)
"$build/benchmarks/bench_table" "${table_args[@]}" "$out"/*.json
