#!/usr/bin/env bash
# Builds the project and runs the demo.
# Usage: scripts/demo.sh            (from the repository root; installs dependencies first)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target alm-webhooks-demo
build/dev/examples/alm-webhooks-demo tests/data
