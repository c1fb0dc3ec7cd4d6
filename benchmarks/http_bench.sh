#!/usr/bin/env bash
# HTTP throughput on loopback: bench_http_server serving the SDK's endpoint through the
# cpp-httplib adapter, against the same server answering 200 without the SDK ("bare") and the
# same server checking the signature and parsing the body at the floors' cost ("floors": what
# any receiver that authenticates and reads the body must spend), each loaded by wrk with signed
# batch bodies (benchmarks/http_post.lua). Starts and stops its own servers on 127.0.0.1 and runs
# for a bounded time: rounds x sizes x 3 servers x duration.
#
# Usage: benchmarks/http_bench.sh [--build-dir DIR] [--duration SECONDS] [--rounds N]
#                                 [--connections N] [--sizes "360 3400 34000"] [--out FILE]
#   --build-dir    where bench_http_server was built (default build/release)
#   --duration     seconds of load per server and size (default 5)
#   --rounds       the servers alternate this many times per size; the median counts (default 5)
#   --connections  concurrent keep-alive connections (default 4, below httplib's 8 threads)
#   --out          also write the medians as Google Benchmark JSON for bench_table
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/release
duration=5
rounds=5
connections=4
sizes="360 3400 34000"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "http_bench: unknown option $1" >&2; exit 2 ;;
  esac
done

server="$build/benchmarks/bench_http_server"
if [ ! -x "$server" ]; then
  echo "http_bench: $server not built (cpp-httplib missing, or build the benchmarks first)" >&2
  exit 1
fi
if ! command -v wrk > /dev/null; then
  echo "http_bench: wrk not found (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

modes="bare floors sdk"

# Starts `bench_http_server MODE SIZE RING` and sets server_pid and port once it listens.
start_server() {
  local mode=$1 size=$2 ring=$3 log=$4
  "$server" "$mode" "$size" "$ring" > "$log" 2>&1 &
  server_pid=$!
  port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$log")
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2> /dev/null || break
    sleep 0.05
  done
  echo "http_bench: the $mode server did not start:" >&2
  cat "$log" >&2
  exit 1
}

# Stops the server; fails when it reports undispatched events or failed requests.
stop_server() {
  local log=$1
  kill -TERM "$server_pid"
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  if [ "$status" -ne 0 ]; then
    echo "http_bench: the server reported a fault: $(tail -n 1 "$log")" >&2
    exit 1
  fi
}

# Requests per second of one wrk run against 127.0.0.1:$port.
load() {
  local requests=$1 report=$2
  ALM_BENCH_REQUESTS="$requests" ALM_BENCH_THREADS=1 \
    wrk -t1 -c"$connections" -d"${duration}s" -s benchmarks/http_post.lua \
    "http://127.0.0.1:$port/alm/webhooks" > "$report"
  if grep -q "Non-2xx" "$report" || grep -q "Socket errors" "$report"; then
    echo "http_bench: failed requests under load:" >&2
    cat "$report" >&2
    exit 1
  fi
  sed -n 's/^Requests\/sec: *\([0-9.]*\)$/\1/p' "$report"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

json_entries=()
declare -A rate  # requests per second by server, for the body at hand
printf "%-8s %12s %12s %12s %10s %12s\n" "body" "bare req/s" "floors req/s" "sdk req/s" "sdk/bare" "floors/bare"
for size in $sizes; do
  # Distinct bodies, enough of them (1024 to 8192, about 32 MiB at most) that wrk comes back to
  # a body long after the server finished it, even when a server thread is descheduled for
  # tens of milliseconds: the SDK's store then never sees an eventId twice.
  ring=$(( 32 * 1024 * 1024 / size ))
  [ "$ring" -lt 1024 ] && ring=1024
  [ "$ring" -gt 8192 ] && ring=8192
  requests="$work/requests-$size.lua"
  "$server" requests "$size" "$ring" "$requests"
  for mode in $modes; do : > "$work/$mode-$size"; done
  for round in $(seq 1 "$rounds"); do
    for mode in $modes; do
      start_server "$mode" "$size" "$ring" "$work/server.log"
      load "$requests" "$work/wrk.txt" >> "$work/$mode-$size"
      stop_server "$work/server.log"
    done
  done
  for mode in $modes; do
    rate[$mode]=$(median < "$work/$mode-$size")
    json_entries+=("{\"name\":\"http/$mode/$size\",\"run_name\":\"http/$mode/$size\",\"run_type\":\"aggregate\",\"aggregate_name\":\"median\",\"items_per_second\":${rate[$mode]},\"cpu_time\":0,\"time_unit\":\"ns\"}")
  done
  printf "%-8s %12.0f %12.0f %12.0f %9.2fx %11.2fx\n" "$size" "${rate[bare]}" "${rate[floors]}" \
    "${rate[sdk]}" "$(awk -v a="${rate[sdk]}" -v b="${rate[bare]}" 'BEGIN { print a / b }')" \
    "$(awk -v a="${rate[floors]}" -v b="${rate[bare]}" 'BEGIN { print a / b }')"
done

if [ -n "$out" ]; then
  (IFS=,; printf '{"benchmarks":[%s]}\n' "${json_entries[*]}") > "$out"
fi
