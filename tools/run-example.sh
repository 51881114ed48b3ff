#!/usr/bin/env bash
# The README's run command: installs what the build needs, builds driftctl (release), and compares the bundled
# example data set. Exit status is driftctl's: 0 no drift, 1 drift found (this example drifts on purpose), 2 error.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
swift build -c release --product driftctl
set +e
.build/release/driftctl compare examples/baseline.csv examples/current.csv "$@"
status=$?
set -e
if [ "$status" -eq 1 ]; then
    echo "(exit status 1: drift found — the example's income, country and score columns drift on purpose)"
    exit 0
fi
exit "$status"
