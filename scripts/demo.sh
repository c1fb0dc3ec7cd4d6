#!/usr/bin/env bash
# Builds everything and runs the demo: a local receiver (`alm-webhooks listen`) on a loopback
# port, a signed sample of every known event of both formats sent to it (`alm-webhooks send`),
# the events shown as they arrive, then the receiver stopped.
# Usage: scripts/demo.sh            (from the repository root; installs dependencies first)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev

tool=build/dev/tools/alm-webhooks
export ALM_WEBHOOK_SECRET="demo-secret-$RANDOM$RANDOM"   # read by listen and send
log=$(mktemp)
trap 'kill "$listener" 2>/dev/null || true; rm -f "$log"' EXIT

"$tool" listen --port 0 --path /alm >"$log" 2>&1 &
listener=$!
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
url=$(grep -o "http://127.0.0.1:[0-9]*/alm" "$log")
echo "== receiver: $url"

sent=0
while read -r name format; do
  "$tool" send "$url" --format "$format" "$name" >/dev/null
  sent=$((sent + 1))
done < <("$tool" sample --list)
echo "== sent $sent signed samples; a wrong secret and a redelivery:"
"$tool" send "$url" --secret wrong tests/data/legacy-course-enrollment-batch.json | head -1 || true
"$tool" send "$url" tests/data/legacy-course-enrollment-batch.json | head -1
"$tool" send "$url" tests/data/legacy-course-enrollment-batch.json | head -1

kill -INT "$listener"
wait "$listener" || true
echo "== what the receiver printed:"
cat "$log"
