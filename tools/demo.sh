#!/usr/bin/env bash
# tools/run.sh on a fresh store in a temporary directory (removed on exit): driftd with the demo data, whatever
# ./driftd-data holds. Used by tools/screenshots.sh. Same variables as tools/run.sh (ports, DRIFTD_BUILD).
set -euo pipefail
cd "$(dirname "$0")/.."
store=$(mktemp -d /tmp/driftd-demo.XXXXXX)
DRIFTD_DATA_DIR="$store/store" DRIFTD_DEMO=1 tools/run.sh &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; rm -rf "$store"' EXIT
trap 'exit 143' TERM INT
wait "$child"
