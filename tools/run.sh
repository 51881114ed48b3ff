#!/usr/bin/env bash
# The README's run command: installs what the build needs, builds driftd and driftctl (release), starts driftd
# (RPC on 127.0.0.1:7400, dashboard and JSON on http://127.0.0.1:7401/) with its state in ./driftd-data, and — when
# that store holds no source yet — feeds it demo data through driftctl: three sources over the last 24 hourly
# windows (tools/demo_data.py) with `payments` drifting (amount, country, a null-rate rise in latency_ms) while its
# model's AUC drops, `signups` calm, `clickstream` stale. A store that already holds sources is left as it is.
# driftd stays in the foreground until Ctrl-C (graceful drain).
#   DRIFTD_PORT=7500 DRIFTD_HTTP_PORT=7501 tools/run.sh    # other ports
#   DRIFTD_DATA_DIR=/tmp/x tools/run.sh                     # another store
#   DRIFTD_DEMO=0 tools/run.sh                              # no demo data, even in an empty store
#   DRIFTD_BUILD=debug tools/run.sh                         # the debug build (quicker to build)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${DRIFTD_PORT:-7400}"
http="${DRIFTD_HTTP_PORT:-7401}"
data="${DRIFTD_DATA_DIR:-./driftd-data}"
config="${DRIFTD_BUILD:-release}"
tools/install-deps.sh
swift build -c "$config" --product driftd
swift build -c "$config" --product driftctl
bin=".build/$config"
work=$(mktemp -d /tmp/driftd-run.XXXXXX)
"$bin/driftd" --port "$port" --http-port "$http" --data-dir "$data" >"$work/driftd.log" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 143' TERM INT
for _ in $(seq 1 100); do
    grep -q "listening" "$work/driftd.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/driftd.log" >&2; exit 1; }
    sleep 0.1
done
grep -q "listening" "$work/driftd.log" || { cat "$work/driftd.log" >&2; echo "run: driftd did not start" >&2; exit 1; }
cat "$work/driftd.log"
ctl() { "$bin/driftctl" "$@" --server "127.0.0.1:$port"; }

if [ "${DRIFTD_DEMO:-1}" != 0 ] && [ "$(ctl source list)" = "no sources" ]; then
    python3 tools/demo_data.py "$work/data" "$(date +%s%3N)"
    echo "feeding demo data: 3 sources × 24 hourly windows with model metrics (a few seconds)..."
    while IFS=$'\t' read -r step source a b c d e; do
        case "$step" in
            source) ctl source create "$source" --schema "$a" >/dev/null ;;
            baseline) ctl baseline put "$source" "$a" >/dev/null ;;
            ingest)
                # exit status 1 = a window this ingest closed drifts (on purpose here)
                set +e; ctl ingest "$source" "$a" --timestamp-ms "$b" --key "$c" >/dev/null; status=$?; set -e
                [ "$status" -le 1 ] || exit "$status" ;;
            metric)
                flag=(); [ "$e" = higher ] && flag=(--higher-is-better)
                ctl metric report "$source" --model "$a" --metric "$b" --window-start "$c" --value "$d" "${flag[@]}" >/dev/null ;;
        esac
    done <"$work/data/plan.tsv"
    echo
    echo "\$ driftctl status payments"
    set +e; ctl status payments; set -e
else
    echo
    echo "\$ driftctl source list      (the store already holds sources: no demo data added; DRIFTD_DATA_DIR for another)"
    ctl source list
fi
echo
echo "Dashboard: http://127.0.0.1:$http/   (JSON under http://127.0.0.1:$http/api/v1/…, Prometheus at /metrics)"
echo "driftd is running: RPC 127.0.0.1:$port, state in $data. Try $bin/driftctl --help, $bin/driftctl top,"
echo "$bin/driftctl check … or the offline tools/run-example.sh. Ctrl-C stops it (graceful drain)."
wait "$pid"
