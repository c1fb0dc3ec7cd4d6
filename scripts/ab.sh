#!/usr/bin/env bash
# Compares two revisions of the SDK end to end, in one process (benchmarks/ab/ab_main.cpp): both
# SDKs and the floors in rotating millisecond slices, so that a change of a few percent shows
# through a noisy machine. Builds bench_ab twice, once with each revision as side a (code
# placement alone moves a ratio by a few percent), and prints both runs and their geometric mean.
#
# Usage: scripts/ab.sh [--body-size BYTES] [--rounds N] [--runs N] BASE [CHANGED]
#   BASE, CHANGED   git revisions; CHANGED defaults to the working tree's headers
#   --body-size     360 (1 event, the judged body), 3400 or 34000; default 360
#   --rounds        rounds per run (each one slice of every contender); default 2000
#   --runs          runs per order; default 2
# Prints CHANGED/BASE: below 1 means CHANGED is faster. Build directories: build/ab-*.
set -euo pipefail
cd "$(dirname "$0")/.."

body_size=360
rounds=2000
runs=2
revisions=()
while [ $# -gt 0 ]; do
  case "$1" in
    --body-size) body_size="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "ab: unknown option $1" >&2; exit 2 ;;
    *) revisions+=("$1"); shift ;;
  esac
done
if [ ${#revisions[@]} -lt 1 ] || [ ${#revisions[@]} -gt 2 ]; then
  echo "ab: give one or two revisions (see --help)" >&2
  exit 2
fi

headers_of() {  # revision -> directory holding its include/ tree
  local dir="build/ab-headers/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  git archive "$1" include | tar -x -C "$dir"
  echo "$PWD/$dir/include"
}
base=$(headers_of "${revisions[0]}")
if [ ${#revisions[@]} -eq 2 ]; then
  changed=$(headers_of "${revisions[1]}")
else
  changed="$PWD/include"
fi

build() {  # directory, headers of side a, headers of side b
  cmake --preset release -B "$1" -DALM_WEBHOOKS_BUILD_TESTS=OFF -DALM_WEBHOOKS_BUILD_TOOLS=OFF \
    -DALM_WEBHOOKS_BUILD_EXAMPLES=OFF "-DALM_WEBHOOKS_AB_INCLUDE_A=$2" \
    "-DALM_WEBHOOKS_AB_INCLUDE_B=$3" > /dev/null
  cmake --build "$1" --target bench_ab -j "$(nproc)" > /dev/null
}
build build/ab-forward "$base" "$changed"
build build/ab-reverse "$changed" "$base"

forward=()
reverse=()
for _ in $(seq "$runs"); do
  line=$(build/ab-forward/benchmarks/bench_ab --body-size "$body_size" --rounds "$rounds")
  echo "a = base,    b = changed: $line"
  forward+=("$(sed -E 's/.*b\/a ([0-9.]+).*/\1/' <<< "$line")")
  line=$(build/ab-reverse/benchmarks/bench_ab --body-size "$body_size" --rounds "$rounds")
  echo "a = changed, b = base:    $line"
  reverse+=("$(sed -E 's/.*b\/a ([0-9.]+).*/\1/' <<< "$line")")
done
# Each forward b/a is changed/base with the placement bias; each reverse b/a is base/changed with
# the same bias: their quotient's square root cancels it.
awk -v f="${forward[*]}" -v r="${reverse[*]}" 'BEGIN {
  n = split(f, fs, " "); split(r, rs, " "); s = 0;
  for (i = 1; i <= n; ++i) s += log(fs[i]) - log(rs[i]);
  printf "changed/base: %.3f (geometric mean over both orders)\n", exp(s / (2 * n));
}'
