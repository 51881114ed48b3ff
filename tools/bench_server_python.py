#!/usr/bin/env python3
"""The Python side of the server benchmark: the same per-block drift checks driftd does, on the same data, in a
plain numpy/scipy loop, so Benchmarks/README.md can state a ratio measured in the same run.

Input: the directory written by `driftctl load ... --dump DIR` (manifest.json + raw float32 files: the baseline
and the pool of blocks the load test sends). For every block, for every feature, the loop computes what a
CheckDrift verdict contains for a numeric feature:

  - null rate (np.isnan)
  - two-sample KS D and p-value
  - PSI on the baseline's 10 quantile bins (edges precomputed once, untimed — as driftd freezes them)
  - Wasserstein distance

in two variants:

  scipy   scipy.stats.ks_2samp(base, block) and scipy.stats.wasserstein_distance(base, block), as users write it
          (scipy sorts the 1M-row baseline inside every call);
  tuned   the baseline pre-sorted once with its prefix sums (untimed, as driftd keeps its baseline); per block:
          np.sort(block), D in O(m log n) from np.searchsorted at the block's values, p from scipy.stats.kstwo /
          kstwobign exactly as ks_2samp 'auto' picks them, Wasserstein in quantile form from the prefix sums
          (O(m log n) when m divides n) — the fastest honest loop we could write with numpy.

It prints one JSON object per variant: blocks/s, values/s (rows x features per second), per-block latency
p50/p99 (ms), single thread (numpy and scipy use one core for these calls).

Usage: python3 tools/bench_server_python.py DIR [--seconds 20] [--variant scipy|tuned|both]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from scipy import stats


def load(directory):
    with open(os.path.join(directory, "manifest.json")) as f:
        m = json.load(f)
    names = m["features"]
    n = m["baseline"]["rows"]
    base = np.fromfile(os.path.join(directory, m["baseline"]["file"]), dtype="<f4").reshape(len(names), n)
    blocks = []
    for b in m["blocks"]:
        blocks.append(np.fromfile(os.path.join(directory, b["file"]), dtype="<f4").reshape(len(names), b["rows"]))
    return m, base, blocks


def psi(edges, base_props, x):
    counts = np.bincount(np.searchsorted(edges, x, side="right"), minlength=len(edges) + 1).astype(np.float64)
    keep = (counts > 0) | (base_props > 0)
    c = counts[keep]
    b = base_props[keep]
    k = keep.sum()
    cp = (c + 0.5) / (c.sum() + 0.5 * k)
    return float(np.sum((cp - b) * np.log(cp / b)))


def prepare(base):
    prepared = []
    for col in base:
        valid = col[~np.isnan(col)]
        edges = np.quantile(valid.astype(np.float64), np.arange(1, 10) / 10.0)
        counts = np.bincount(np.searchsorted(edges, valid, side="right"), minlength=10).astype(np.float64)
        props = (counts + 0.5) / (counts.sum() + 0.5 * 10)
        srt = np.sort(valid)
        prefix = np.concatenate([[0.0], np.cumsum(srt, dtype=np.float64)])
        prepared.append((valid, srt, edges, props, prefix))
    return prepared


def check_scipy(prepared, block):
    out = []
    for (valid, _sorted, edges, props, _prefix), col in zip(prepared, block):
        nulls = np.isnan(col)
        x = col[~nulls]
        ks = stats.ks_2samp(valid, x)
        w = stats.wasserstein_distance(valid, x)
        out.append((float(nulls.mean()), ks.statistic, ks.pvalue, psi(edges, props, x), w))
    return out


def check_tuned(prepared, block):
    out = []
    for (_valid, base_sorted, edges, props, prefix), col in zip(prepared, block):
        nulls = np.isnan(col)
        x = np.sort(col[~nulls])
        n, m = len(base_sorted), len(x)
        # KS D in O(m log n): between consecutive current values F_c is constant and F_b monotone, so the supremum
        # is reached at a current value (right limits) or just before one (left limits).
        cb_r = np.searchsorted(base_sorted, x, side="right") / n
        cb_l = np.searchsorted(base_sorted, x, side="left") / n
        fc_r = np.searchsorted(x, x, side="right") / m
        fc_l = np.searchsorted(x, x, side="left") / m
        d = float(max(np.max(np.abs(cb_r - fc_r)), np.max(np.abs(cb_l - fc_l))))
        en = n * m / (n + m)
        p = float(stats.kstwo.sf(d, np.round(en))) if max(n, m) <= 10000 else float(stats.kstwobign.sf(np.sqrt(en) * d))
        # Wasserstein in quantile form: current value j covers baseline ranks [j n/m, (j+1) n/m); with the baseline's
        # prefix sums (precomputed once, untimed) each range costs O(log) instead of n/m.
        if n % m == 0:
            k = n // m
            lo = np.arange(m) * k
            hi = lo + k
            split = np.clip(np.searchsorted(base_sorted, x, side="left"), lo, hi)
            below = x * (split - lo) - (prefix[split] - prefix[lo])
            above = (prefix[hi] - prefix[split]) - x * (hi - split)
            w = float(np.sum(below + above) / n)
        else:
            w = float(stats.wasserstein_distance(base_sorted, x))
        out.append((float(nulls.mean()), d, p, psi(edges, props, x), w))
    return out


def run(variant, prepared, blocks, seconds):
    fn = check_scipy if variant == "scipy" else check_tuned
    fn(prepared, blocks[0])  # warm-up
    lat = []
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        fn(prepared, blocks[i % len(blocks)])
        lat.append(time.perf_counter() - t0)
        i += 1
    elapsed = time.perf_counter() - start
    rows, features = blocks[0].shape[1], blocks[0].shape[0]
    lat_ms = np.array(lat) * 1000
    return {"variant": variant, "blocks": i, "seconds": round(elapsed, 3), "blocks_per_s": round(i / elapsed, 2),
            "values_per_s": round(i * rows * features / elapsed), "rows": rows, "features": features,
            "baseline_rows": int(prepared[0][0].shape[0]),
            "latency_ms": {"p50": round(float(np.percentile(lat_ms, 50)), 3),
                           "p99": round(float(np.percentile(lat_ms, 99)), 3),
                           "max": round(float(lat_ms.max()), 3)},
            "numpy": np.__version__, "scipy": __import__("scipy").__version__}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--variant", choices=["scipy", "tuned", "both"], default="both")
    a = ap.parse_args()
    m, base, blocks = load(a.directory)
    prepared = prepare(base)
    # The two variants agree (a cheap guard that the tuned loop computes the same statistics).
    s, t = check_scipy(prepared, blocks[0]), check_tuned(prepared, blocks[0])
    for (n1, d1, p1, psi1, w1), (n2, d2, p2, psi2, w2) in zip(s, t):
        assert abs(d1 - d2) < 1e-9 and abs(psi1 - psi2) < 1e-12 and abs(w1 - w2) < 1e-6 * max(1, w1), (d1, d2, w1, w2)
    for v in (["scipy", "tuned"] if a.variant == "both" else [a.variant]):
        print(json.dumps(run(v, prepared, blocks, a.seconds)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
