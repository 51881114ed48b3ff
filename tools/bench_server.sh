#!/usr/bin/env bash
# The server benchmark of Benchmarks/README.md, in one run on one machine:
#   1. release builds of driftd and driftctl; driftd on 127.0.0.1:<free port>, state in a temp dir;
#   2. driftctl load: source load-20f, a 1,000,000-row x 20 float32 baseline, 10,000-row blocks;
#      --sweep 0.5,0.9: a closed-loop phase finds the peak, then open-loop phases at 50 % and 90 % of it;
#      the data is dumped (--dump) for step 3;
#   3. tools/bench_server_python.py on the same data: the same checks in a numpy/scipy loop (one core).
# Options are passed to driftctl load (e.g. --duration 20 --connections 2 --in-flight 8 --encoding split).
#   tools/bench_server.sh [driftctl load options]          results: JSON lines on stdout, logs on stderr
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product driftd >&2
swift build -c release --product driftctl >&2
work=$(mktemp -d)
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
.build/release/driftd --port 0 --data-dir "$work/data" >"$work/driftd.out" 2>"$work/driftd.err" &
pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/driftd.out" && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$work/driftd.out" | cut -d: -f2)
echo "driftd on 127.0.0.1:$port ($(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))" >&2
.build/release/driftctl load --server "127.0.0.1:$port" --rows 10000 --features 20 --baseline-rows 1000000 \
    --sweep 0.5,0.9 --duration 15 --warmup 3 --dump "$work/dump" --json "$@"
python3 tools/bench_server_python.py "$work/dump" --seconds 15
