#!/usr/bin/env bash
# Screenshots of every dashboard page, as a person would see them: installs Debian's chromium if missing, runs
# tools/demo.sh (driftd with demo data) on spare ports, renders each page with headless Chromium at laptop size
# (1366×900) and phone size (390×844), and saves PNGs in $SCREENS_DIR (default /tmp/driftd-screens). Stops the
# demo when done.
#   DRIFTD_BUILD=debug tools/screenshots.sh    # use the debug build
set -euo pipefail
cd "$(dirname "$0")/.."
out="${SCREENS_DIR:-/tmp/driftd-screens}"
port="${DRIFTD_PORT:-7420}"
http="${DRIFTD_HTTP_PORT:-7421}"
if ! command -v chromium >/dev/null; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
mkdir -p "$out"
log=$(mktemp)
DRIFTD_PORT="$port" DRIFTD_HTTP_PORT="$http" tools/demo.sh >"$log" 2>&1 &
demo=$!
trap 'kill -TERM "$demo" 2>/dev/null || true; wait "$demo" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 3000); do
    grep -q "^Dashboard:" "$log" && break
    kill -0 "$demo" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
done
grep -q "^Dashboard:" "$log" || { cat "$log" >&2; echo "screenshots: the demo did not come up" >&2; exit 1; }
base="http://127.0.0.1:$http"
# The ticker closes the last idle windows within a few seconds of the demo's last batch.
sleep 3
shoot() {  # name path width height
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --screenshot="$out/$1.png" --window-size="$3,$4" --virtual-time-budget=2000 "$base$2" >/dev/null 2>&1
    echo "$out/$1.png"
}
shoot overview / 1366 900
shoot source-payments /sources/payments 1366 900
shoot source-clickstream /sources/clickstream 1366 900
shoot feature-amount /sources/payments/features/amount 1366 1400
shoot feature-country /sources/payments/features/country 1366 1400
shoot feature-latency /sources/payments/features/latency_ms 1366 1400
shoot alerts /alerts 1366 900
shoot not-found /sources/nope 1366 900
shoot phone-overview / 390 844
shoot phone-source /sources/payments 390 844
shoot phone-feature /sources/payments/features/amount 390 1600
shoot phone-alerts /alerts 390 844
shoot phone-stale /sources/clickstream 390 844
