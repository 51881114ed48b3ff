#!/usr/bin/env bash
# Starts driftd with demo data and points you at the dashboard: builds driftd and driftctl, starts driftd (RPC on
# 127.0.0.1:7400, HTTP on 127.0.0.1:7401) with a fresh store in a temporary directory, and feeds it through driftctl
# three sources over the last 24 hourly windows (tools/demo_data.py): `payments` drifting (amount, country, a
# null-rate rise in latency_ms) with its model's AUC dropping, `signups` calm, `clickstream` stale. Then it leaves
# driftd running in the foreground — open http://127.0.0.1:7401/ — until Ctrl-C (graceful drain).
#   DRIFTD_PORT=7500 DRIFTD_HTTP_PORT=7501 tools/demo.sh   # other ports
#   DRIFTD_BUILD=debug tools/demo.sh                        # the debug build (quicker to build)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${DRIFTD_PORT:-7400}"
http="${DRIFTD_HTTP_PORT:-7401}"
config="${DRIFTD_BUILD:-release}"
tools/install-deps.sh
swift build -c "$config" --product driftd
swift build -c "$config" --product driftctl
bin=$(swift build -c "$config" --show-bin-path)
work=$(mktemp -d /tmp/driftd-demo.XXXXXX)
"$bin/driftd" --port "$port" --http-port "$http" --data-dir "$work/store" >"$work/driftd.log" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
    grep -q "listening" "$work/driftd.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/driftd.log" >&2; exit 1; }
    sleep 0.1
done
cat "$work/driftd.log"
python3 tools/demo_data.py "$work/data" "$(date +%s%3N)"
ctl() { "$bin/driftctl" "$@" --server "127.0.0.1:$port" >/dev/null; }
echo "feeding the demo data (3 sources × 24 hourly windows, model metrics)..."
while IFS=$'\t' read -r step source a b c d e; do
    case "$step" in
        source) ctl source create "$source" --schema "$a" ;;
        baseline) ctl baseline put "$source" "$a" ;;
        ingest)
            # exit status 1 = a window this ingest closed drifts (on purpose here)
            set +e; ctl ingest "$source" "$a" --timestamp-ms "$b" --key "$c"; status=$?; set -e
            [ "$status" -le 1 ] || exit "$status" ;;
        metric)
            flag=(); [ "$e" = higher ] && flag=(--higher-is-better)
            ctl metric report "$source" --model "$a" --metric "$b" --window-start "$c" --value "$d" "${flag[@]}" ;;
    esac
done <"$work/data/plan.tsv"
echo
echo "Dashboard: http://127.0.0.1:$http/   (JSON under http://127.0.0.1:$http/api/v1/…)"
echo "driftd is running (RPC 127.0.0.1:$port, state in $work, removed on exit). Ctrl-C stops it."
wait "$pid"
