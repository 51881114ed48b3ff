#!/usr/bin/env bash
# The README's test command: installs what the build needs, then runs every test (Swift Testing and XCTest).
# Exits non-zero when anything fails. Needs no Python: fixtures are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
swift build --build-tests
swift test "$@"
