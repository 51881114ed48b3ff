#!/usr/bin/env bash
# Side-by-side kernel benchmark: driftd (drift-bench) vs numpy/scipy, same data, same run.
#
#   tools/bench.sh [bench_vs_scipy.py options...]
#   tools/bench.sh --sizes 10000,100000,1000000,10000000 --markdown bench.md --json bench.json
#   tools/bench.sh --python-only --sizes 1e4,1e5,1e6          # no Swift build
#
# 1. installs tools/requirements-bench.txt with pip, only if a requirement is missing or unmet;
# 2. builds the release binaries (one --product per swift build invocation), unless
#    SKIP_BUILD=1 or --python-only is given; DRIFT_TARGET_CPU (see Package.swift) is honoured,
#    e.g. DRIFT_TARGET_CPU=native tools/bench.sh ... for this machine's full ISA;
# 3. runs tools/bench_vs_scipy.py with the arguments passed through, with OPENBLAS_CORETYPE and
#    OPENBLAS_L2_SIZE unset for that command only (they slow a current numpy).
# Environment: PYTHON (default python3), SKIP_BUILD=1, SWIFT (default swift).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PYTHON="${PYTHON:-python3}"
SWIFT="${SWIFT:-swift}"
REQ="$HERE/requirements-bench.txt"

# --- 1. Python requirements (pip only when something is missing) -----------------------------
if ! "$PYTHON" - "$REQ" <<'PY'
import sys
from importlib import metadata
try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement
bad = []
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    req = Requirement(line)
    try:
        have = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        bad.append(f"{req.name} (missing)")
        continue
    if not req.specifier.contains(have, prereleases=True):
        bad.append(f"{req.name} {have} (wanted {req.specifier})")
if bad:
    print("bench.sh: unmet requirements: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
then
    echo "bench.sh: pip install -r $REQ" >&2
    "$PYTHON" -m pip install -q -r "$REQ"
fi

# --- 2. Release build -------------------------------------------------------------------------
python_only=0
for a in "$@"; do
    case "$a" in --python-only|--generate-only) python_only=1 ;; esac
done
bench_args=()
if [ "$python_only" = 0 ]; then
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        echo "bench.sh: building release (DRIFT_TARGET_CPU=${DRIFT_TARGET_CPU:-<Package.swift default>})" >&2
        (cd "$ROOT" && "$SWIFT" build -c release --product drift-bench)
        (cd "$ROOT" && "$SWIFT" build -c release --product driftctl)
    fi
    BIN="$(cd "$ROOT" && "$SWIFT" build -c release --show-bin-path)"
    bench_args=(--drift-bench "$BIN/drift-bench")   # a later --drift-bench in "$@" wins
fi

# --- 3. Benchmark (numpy timed without the OpenBLAS core-type overrides) ------------------------
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    "$PYTHON" "$HERE/bench_vs_scipy.py" ${bench_args[@]+"${bench_args[@]}"} "$@"
