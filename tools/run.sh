#!/usr/bin/env bash
# The README's run command: installs what the build needs, builds driftd and driftctl (release), starts driftd on
# 127.0.0.1:7400 with its state in ./driftd-data, registers the bundled example as a source, uploads its baseline,
# checks the "current" file against it, and leaves driftd running in the foreground (Ctrl-C drains and stops it).
#   DRIFTD_PORT=7500 tools/run.sh     # another port
set -euo pipefail
cd "$(dirname "$0")/.."
port="${DRIFTD_PORT:-7400}"
tools/install-deps.sh
swift build -c release --product driftd
swift build -c release --product driftctl
bin=.build/release
log=$(mktemp)
"$bin/driftd" --port "$port" --data-dir ./driftd-data >"$log" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
    grep -q "listening" "$log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
done
cat "$log"
ctl() { "$bin/driftctl" "$@" --server "127.0.0.1:$port"; }
echo
echo "\$ driftctl source create example --from-csv examples/baseline.csv"
ctl source create example --from-csv examples/baseline.csv
echo "\$ driftctl baseline put example examples/baseline.csv"
ctl baseline put example examples/baseline.csv
echo "\$ driftctl check example examples/current.csv"
set +e
ctl check example examples/current.csv
status=$?
set -e
[ "$status" -le 1 ] || exit "$status"
echo "(the example's income, country and score columns drift on purpose)"
echo
echo "\$ driftctl stats"
ctl stats
echo
echo "driftd is running on 127.0.0.1:$port (state in ./driftd-data). Try: $bin/driftctl --help,"
echo "$bin/driftctl load --server 127.0.0.1:$port --duration 10.  Ctrl-C stops it (graceful drain)."
wait "$pid"
