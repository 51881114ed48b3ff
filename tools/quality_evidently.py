#!/usr/bin/env python3
"""The reference point of `drift-bench quality`: the same simulated streams judged by Evidently's default rules.

Evidently (0.7, `legacy/calculations/stattests/registry.py` `_get_default_stattest`, restated in
../shared/reference/drift-tools-landscape.md §2.1) picks a test per column from the reference size:
  * reference > 1000 rows, numeric with > 5 unique values: normed Wasserstein
    (wasserstein_distance / max(std(reference), 0.001)), drift if >= 0.1;
  * reference > 1000 rows, categorical (or numeric with <= 5 unique values): Jensen-Shannon distance over one bin per
    category (scipy `jensenshannon`, natural log), drift if >= 0.1;
  * reference <= 1000 rows: KS (numeric) / chi-square (categorical), drift if p <= 0.05.
NaN rows are dropped before the test (Evidently's drift tests do not see null rates), there is no persistence and
no multiple-testing correction: every drifting feature-window is an alert. Correlation changes are not tested.
This script applies exactly those rules with numpy/scipy (installing Evidently itself is not needed for rules this
simple, and its report framework costs ~90 % of its run time: measurement M5 of the landscape document).

The streams follow the scenario definitions of `drift-bench quality` (Benchmarks/DriftBenchmarks/Quality): the same
distributions, window sizes, baseline sizes and drift onsets, drawn from numpy's PCG64 instead of SplitMix64 (so
the streams are statistically the same, not value for value). Output: one JSON object per scenario and window size
on stdout: {"scenario", "kind": "null"|"drift", "window_rows", "features", "windows", "alert_rate"} for null
streams, plus {"detected_within": {"1": .., "2": .., ...}, "mean_delay", "alerts_before_onset_rate"} for drift
streams (onset at window 3, 6 windows observed; a delay of 1 is the onset window; without persistence the first
drifting window is the alert, so "detected" here compares with drift-bench's "raw" column as well as its status).
The counts are smaller than drift-bench's at 1k-10k rows (100 x 72 instead of 100 x 720 feature-windows, the rates
here being far above zero) and printed in every line.

  python3 tools/quality_evidently.py [--quick] [--seed 1]
"""
import argparse
import json
import math
import sys

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

CATEGORY_P = np.array([1.0 / (k + 1) for k in range(8)])
CATEGORY_P /= CATEGORY_P.sum()


def numeric_sampler(name, rng):
    """(baseline(n, window_index_or_None), current(n, window_index)) for the null numeric scenarios."""
    if name == "normal":
        return lambda n, w: rng.standard_normal(n)
    if name == "lognormal":
        return lambda n, w: np.exp(rng.standard_normal(n))
    if name == "heavy_tailed":
        return lambda n, w: rng.standard_t(3, n)
    if name == "discrete_ties":
        return lambda n, w: rng.poisson(3.0, n).astype(np.float64)
    if name == "seasonal_mean":
        def draw(n, w):
            hours = rng.integers(0, 24, n) if w is None else np.full(n, w % 24)
            return rng.standard_normal(n) + 0.05 * np.sin(2 * np.pi * hours / 24)
        return draw
    if name == "steady_nulls":
        def draw(n, w):
            x = rng.standard_normal(n)
            x[rng.random(n) < 0.05] = np.nan
            return x
        return draw
    raise ValueError(name)


def evidently_numeric(ref, cur):
    """`ref`: a SortedReference of the non-null reference values."""
    cur = cur[~np.isnan(cur)]
    if ref.n <= 1000:
        return stats.ks_2samp(ref.r, cur).pvalue <= 0.05
    if ref.distinct <= 5:  # few distinct values: Evidently treats it as categorical
        return evidently_categorical_counts(np.unique(ref.r, return_counts=True), cur)
    return ref.wasserstein(cur) / max(ref.std, 0.001) >= 0.1


class SortedReference:
    """A sorted reference sample with its prefix sums: the Wasserstein distance of a current sample to it in
    O(m log n) instead of scipy's O((n + m) log(n + m)) per call (the reference is sorted once, as driftd's baseline
    is). Equal to `scipy.stats.wasserstein_distance(reference, current)` to ~1e-13 relative (checked on normal,
    Poisson and t(3) samples of 1 to 300k values against 200k)."""

    def __init__(self, reference_sorted):
        self.r = reference_sorted
        self.n = len(reference_sorted)
        self.prefix = np.concatenate([[0.0], np.cumsum(reference_sorted)])
        self.std = float(np.std(reference_sorted))
        self.distinct = int(np.count_nonzero(np.diff(reference_sorted))) + 1 if self.n else 0

    def area(self, x):
        """A(x): the integral of the reference's empirical CDF from -inf to x."""
        k = np.searchsorted(self.r, x, side="right")
        return (k * x - self.prefix[k]) / self.n

    def wasserstein(self, current):
        """W1 = integral of |F_ref - F_cur|: between consecutive sorted current values F_cur is a constant t, and
        the integral of |F_ref - t| over [a, b] splits at the first reference value where F_ref >= t."""
        r, n = self.r, self.n
        c = np.sort(current)
        m = len(c)
        points = np.concatenate([[min(r[0], c[0])], c, [max(r[-1], c[-1])]])
        a, b = points[:-1], points[1:]
        j = np.arange(m + 1)
        t = j / m
        k = (j * n + m - 1) // m  # the smallest k with k / n >= t
        cross = np.where(k >= 1, r[np.maximum(k - 1, 0)], -np.inf)
        x = np.clip(cross, a, b)
        area_a, area_x, area_b = self.area(a), self.area(x), self.area(b)
        return float(np.sum(t * (x - a) - (area_x - area_a) + (area_b - area_x) - t * (b - x)))


def evidently_categorical_counts(ref_unique_counts, cur):
    values, counts = ref_unique_counts
    cats = np.union1d(values, np.unique(cur))
    ref = np.array([counts[np.searchsorted(values, c)] if c in values else 0 for c in cats], dtype=np.float64)
    cur_counts = np.array([(cur == c).sum() for c in cats], dtype=np.float64)
    return jensenshannon(ref / ref.sum(), cur_counts / cur_counts.sum()) >= 0.1


def evidently_categorical(ref_codes, cur_codes, k):
    ref = np.bincount(ref_codes, minlength=k).astype(np.float64)
    cur = np.bincount(cur_codes, minlength=k).astype(np.float64)
    return jensenshannon(ref / ref.sum(), cur / cur.sum()) >= 0.1


def baseline_rows(window_rows):
    return max(200_000, window_rows)


def null_numeric(name, window_rows, features, windows, rng):
    alerts = 0
    for _ in range(features):
        draw = numeric_sampler(name, rng)
        base = draw(baseline_rows(window_rows), None)
        ref = SortedReference(np.sort(base[~np.isnan(base)]))
        for w in range(windows):
            alerts += evidently_numeric(ref, draw(window_rows, w))
    return alerts / (features * windows)


def null_categorical(window_rows, features, windows, rng):
    alerts = 0
    for _ in range(features):
        base = rng.choice(8, baseline_rows(window_rows), p=CATEGORY_P)
        for _ in range(windows):
            alerts += evidently_categorical(base, rng.choice(8, window_rows, p=CATEGORY_P), 9)
    return alerts / (features * windows)


def drift_run(kind, param, window_rows, rng, onset, horizon):
    """Windows after the onset until the first alert (None if none within the horizon); alerts before the onset."""
    n = baseline_rows(window_rows)
    if kind in ("category_swap", "new_category"):
        base = rng.choice(8, n, p=CATEGORY_P)
        p_after = CATEGORY_P.copy()
        if kind == "category_swap":
            p_after[[0, 1]] = p_after[[1, 0]]
        else:
            p_after = np.append(p_after * (1 - param), param)
        early = 0
        for w in range(onset + horizon):
            p = CATEGORY_P if w < onset else p_after
            cur = rng.choice(len(p), window_rows, p=p)
            if evidently_categorical(base, cur, 9):
                if w < onset:
                    early += 1
                else:
                    return w - onset + 1, early
        return None, early
    ref = SortedReference(np.sort(rng.standard_normal(n)))
    early = 0
    for w in range(onset + horizon):
        x = rng.standard_normal(window_rows)
        if w >= onset:
            if kind == "mean_shift":
                x = x + param
            elif kind == "scale_change":
                x = x * param
            elif kind == "null_surge":
                x[rng.random(window_rows) < param] = np.nan
        if evidently_numeric(ref, x):
            if w < onset:
                early += 1
            else:
                return w - onset + 1, early
    return None, early


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer features and windows (a rough figure in a minute)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    scale = 0.1 if args.quick else 1.0

    def shape(rows):
        # fewer feature-windows than drift-bench quality (100 x 720 up to 10k rows, 100 x 72 at 100k, 10 x 24 at 1M):
        # numpy needs a few ms per 10k-row window against a 200k baseline, and the rates measured here are large
        # enough for these counts (both tools print the counts they used)
        if rows <= 10_000:
            return max(2, int(100 * scale)), max(4, int(72 * scale))
        if rows <= 100_000:
            return max(2, int(20 * scale)), max(4, int(36 * scale))
        return max(1, int(4 * scale)), max(4, int(12 * scale))

    def drift_runs(rows):
        # drift-bench quality: 200 runs up to 10k rows, 100 at 100k, 20 at 1M
        if rows <= 10_000:
            return max(10, int(200 * scale))
        if rows <= 100_000:
            return max(5, int(100 * scale))
        return max(2, int(20 * scale))

    for rows in sizes:
        features, windows = shape(rows)
        for name in ["normal", "lognormal", "heavy_tailed", "discrete_ties", "seasonal_mean", "steady_nulls"]:
            rate = null_numeric(name, rows, features, windows, rng)
            print(json.dumps({"tool": "evidently-rules", "scenario": name, "kind": "null", "window_rows": rows,
                              "features": features, "windows": windows, "alert_rate": rate}), flush=True)
        rate = null_categorical(rows, features, windows, rng)
        print(json.dumps({"tool": "evidently-rules", "scenario": "categorical", "kind": "null", "window_rows": rows,
                          "features": features, "windows": windows, "alert_rate": rate}), flush=True)

    drift = [("mean_shift", d) for d in (0.1, 0.2, 0.3, 0.5)] + [("scale_change", 1.5), ("null_surge", 0.3),
                                                                   ("category_swap", 0.0), ("new_category", 0.05)]
    for rows in sizes:
        runs = drift_runs(rows)
        for kind, param in drift:
            delays, early = [], 0
            for _ in range(runs):
                d, e = drift_run(kind, param, rows, rng, onset=3, horizon=6)
                delays.append(d)
                early += e
            within = {str(k): sum(1 for d in delays if d is not None and d <= k) / runs for k in (1, 2, 3, 6)}
            found = [d for d in delays if d is not None]
            print(json.dumps({"tool": "evidently-rules", "scenario": kind, "param": param, "kind": "drift",
                              "window_rows": rows, "runs": runs, "detected_within": within,
                              "mean_delay": (sum(found) / len(found)) if found else None,
                              "alerts_before_onset_rate": early / (runs * 3)}), flush=True)
    print("correlation_flip: not tested by Evidently's drift preset (no correlation test)", file=sys.stderr)


if __name__ == "__main__":
    main()
