#!/usr/bin/env python3
"""Generates the reference fixtures that `swift test` checks the statistics kernels against.

    python3 tools/gen_fixtures.py            # rewrites Tests/Fixtures/kernels.json

Seeded (numpy default_rng), so the output is reproducible. Needs numpy and scipy (tools/requirements-bench.txt);
`swift test` itself needs no Python: the generated JSON is committed.

Floats are written as Python repr strings (shortest round-trip; "inf", "-inf", "nan"); data arrays as base64 of
little-endian float64. float32 cases hold values already rounded to float32.

This file is also the executable definition of driftd's PSI (see `psi` below and ARCHITECTURE.md).
"""
import base64
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "kernels.json")
PSEUDO_COUNT = 0.5


def r(x):
    return repr(float(x))


def b64(a):
    return base64.b64encode(np.asarray(a, dtype="<f8").tobytes()).decode()


# ---------------------------------------------------------------------------------------------------------------
# driftd's definitions, as executable reference
# ---------------------------------------------------------------------------------------------------------------

def psi(baseline_counts, current_counts, alpha=PSEUDO_COUNT):
    """driftd's PSI. Bins empty on both sides are dropped (K bins remain); each side is smoothed with a
    pseudo-count alpha = 0.5 per bin: p_i = (b_i + a) / (N + aK), q_i = (c_i + a) / (M + aK);
    PSI = sum (q_i - p_i) ln(q_i / p_i). Nulls are not a bin (the null rate has its own test)."""
    b = [int(x) for x in baseline_counts]
    c = [int(x) for x in current_counts]
    n, m = sum(b), sum(c)
    if n == 0 or m == 0:
        return None
    keep = [(x, y) for x, y in zip(b, c) if x + y > 0]
    k = len(keep)
    total = 0.0
    for x, y in keep:
        p = (x + alpha) / (n + alpha * k)
        q = (y + alpha) / (m + alpha * k)
        total += (q - p) * math.log(q / p)
    return total


def quantile_edges(baseline_finite, bins):
    """Frozen bin edges: min, numpy 'linear' quantiles at k/bins (float64), nextafter(max, inf); strictly increasing."""
    s = np.sort(np.asarray(baseline_finite, dtype=np.float64))
    edges = [float(s[0])]
    if bins > 1:
        qs = np.quantile(s, np.arange(1, bins) / bins)
        for v in qs:
            if v > edges[-1]:
                edges.append(float(v))
    top = float(np.nextafter(s[-1], np.inf))
    if top > edges[-1]:
        edges.append(top)
    return edges


def bin_counts(values, edges):
    """Counts per bin (searchsorted side='right' on the edges: bin 0 is below the baseline min, the last bin above
    its max) and the null count (NaN)."""
    v = np.asarray(values, dtype=np.float64)
    nulls = int(np.isnan(v).sum())
    v = v[~np.isnan(v)]
    idx = np.searchsorted(np.asarray(edges), v, side="right")
    return np.bincount(idx, minlength=len(edges) + 1).tolist(), nulls


def profile(values):
    v = np.asarray(values, dtype=np.float64)
    nan = np.isnan(v)
    nonnull = v[~nan]
    finite = nonnull[np.isfinite(nonnull)]
    out = {
        "count": int(v.size), "null_count": int(nan.sum()), "nan_count": int(nan.sum()),
        "posinf": int((nonnull == np.inf).sum()), "neginf": int((nonnull == -np.inf).sum()),
    }
    if nonnull.size:
        out["min"] = r(nonnull.min())
        out["max"] = r(nonnull.max())
    if finite.size:
        out["mean"] = r(np.mean(finite))
        out["var"] = r(np.var(finite))
    return out


def two_proportion(x1, n1, x2, n2):
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (p2 - p1) / se
    return z, float(2 * stats.norm.sf(abs(z)))


# ---------------------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------------------

def numeric_case(name, base, cur, dtype="f64", bins=10):
    base = np.asarray(base, dtype=np.float64)
    cur = np.asarray(cur, dtype=np.float64)
    if dtype == "f32":
        base = base.astype(np.float32).astype(np.float64)
        cur = cur.astype(np.float32).astype(np.float64)
    exp = {"baseline_profile": profile(base), "current_profile": profile(cur)}
    b_nonnull = base[~np.isnan(base)]
    c_nonnull = cur[~np.isnan(cur)]
    b_fin = b_nonnull[np.isfinite(b_nonnull)]
    c_fin = c_nonnull[np.isfinite(c_nonnull)]
    if b_fin.size:
        edges = quantile_edges(b_fin, bins)
        bc, bn = bin_counts(base, edges)
        cc, cn = bin_counts(cur, edges)
        exp["edges"] = [r(e) for e in edges]
        exp["baseline_counts"], exp["baseline_nulls"] = bc, bn
        exp["current_counts"], exp["current_nulls"] = cc, cn
        value = psi(bc, cc)
        if value is not None:
            exp["psi"] = r(value)
            exp["js"] = r(distance.jensenshannon(np.asarray(bc, float), np.asarray(cc, float), base=2))
    if b_nonnull.size and c_nonnull.size:
        res = stats.ks_2samp(b_nonnull, c_nonnull)
        exp["ks_d"] = r(res.statistic)
        exp["ks_p"] = r(res.pvalue)
        exp["ks_exact"] = max(b_nonnull.size, c_nonnull.size) <= 10000
    if b_fin.size and c_fin.size:
        w = stats.wasserstein_distance(b_fin, c_fin)
        exp["wasserstein"] = r(w)
        sd = float(np.std(b_fin))
        exp["wasserstein_normed"] = r(w / sd if sd > 0 else (0.0 if w == 0 else math.inf))
    if base.size and cur.size:
        z, p = two_proportion(int(np.isnan(base).sum()), base.size, int(np.isnan(cur).sum()), cur.size)
        exp["null_z"], exp["null_p"] = r(z), r(p)
    return {"name": name, "dtype": dtype, "bins": bins, "baseline": b64(base), "current": b64(cur), "expected": exp}


def splitmix64(seed, count):
    """SplitMix64 stream, vectorised; Tests/DriftKernelsTests/SplitMix64.swift is the same generator."""
    with np.errstate(over="ignore"):
        state = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = state
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def irwin_hall(seed, n, shift=0.0, ties=False):
    """Sum of 4 uniforms minus 2 (bell-shaped, exact IEEE arithmetic so Swift reproduces it bit for bit);
    with ties, rounded down to multiples of 1/8."""
    u = (splitmix64(seed, 4 * n) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    u = u.reshape(n, 4)
    x = (((u[:, 0] + u[:, 1]) + u[:, 2]) + u[:, 3]) - 2.0 + shift
    if ties:
        x = np.floor(x * 8.0) / 8.0
    return x


def generated_case(name, seed_b, seed_c, n, m, shift, ties=False, dtype="f64"):
    base = irwin_hall(seed_b, n, 0.0, ties)
    cur = irwin_hall(seed_c, m, shift, ties)
    if dtype == "f32":
        base = base.astype(np.float32).astype(np.float64)
        cur = cur.astype(np.float32).astype(np.float64)
    res = stats.ks_2samp(base, cur)
    edges = quantile_edges(base, 10)
    bc, _ = bin_counts(base, edges)
    cc, _ = bin_counts(cur, edges)
    return {"name": name, "dtype": dtype,
            "gen": {"seed_baseline": seed_b, "seed_current": seed_c, "n": n, "m": m, "shift": r(shift), "ties": ties},
            "expected": {"ks_d": r(res.statistic), "ks_p": r(res.pvalue), "psi": r(psi(bc, cc)),
                         "baseline_counts": bc, "current_counts": cc,
                         "wasserstein": r(stats.wasserstein_distance(base, cur)),
                         "mean": r(np.mean(cur)), "var": r(np.var(cur))}}


def categorical_case(name, b, c):
    b = np.asarray(b, dtype=np.int64)
    c = np.asarray(c, dtype=np.int64)
    exp = {}
    if b.sum() and c.sum():
        keep = (b + c) > 0
        table = np.vstack([b[keep], c[keep]])
        if table.shape[1] >= 2:
            chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
        else:
            chi2, p, dof = 0.0, 1.0, 0
        exp.update(chi2=r(chi2), chi2_p=r(p), dof=int(dof), psi=r(psi(b, c)),
                   js=r(distance.jensenshannon(b.astype(float), c.astype(float), base=2)))
    return {"name": name, "baseline_counts": b.tolist(), "current_counts": c.tolist(), "expected": exp}


def correlation_case(name, columns_b, columns_c, pair=(0, 1)):
    def complete(cols):
        a = np.vstack(cols)
        return a[:, np.all(np.isfinite(a), axis=0)]
    cb, cc = complete(columns_b), complete(columns_c)
    rb, rc = np.corrcoef(cb), np.corrcoef(cc)
    i, j = pair
    r1, r2 = rb[i, j], rc[i, j]
    n1, n2 = cb.shape[1], cc.shape[1]
    z = (np.arctanh(r2) - np.arctanh(r1)) / math.sqrt(1 / (n1 - 3) + 1 / (n2 - 3))
    return {"name": name, "baseline": [b64(x) for x in columns_b], "current": [b64(x) for x in columns_c],
            "pair": list(pair),
            "expected": {"baseline_matrix": [[r(v) for v in row] for row in rb],
                         "current_matrix": [[r(v) for v in row] for row in rc],
                         "n1": int(n1), "n2": int(n2), "fisher_z": r(z), "fisher_p": r(2 * stats.norm.sf(abs(z)))}}


def main():
    rng = np.random.default_rng(20261203)
    nan, inf = math.nan, math.inf
    numeric = []

    def add(*a, **k):
        numeric.append(numeric_case(*a, **k))

    # Shapes and sizes (exact KS path: max(n, m) <= 10000; asymptotic beyond).
    for dtype in ("f64", "f32"):
        add(f"normal_null_1000_{dtype}", rng.normal(size=1000), rng.normal(size=1000), dtype)
        add(f"normal_shift02_5000_{dtype}", rng.normal(size=5000), rng.normal(0.2, 1, size=4000), dtype)
    add("normal_scaled_2000", rng.normal(size=2000), rng.normal(0, 1.5, size=2500))
    add("heavy_tailed_t2_3000", rng.standard_t(2, size=3000), rng.standard_t(2, size=3000) + 0.1)
    add("lognormal_800_1200", rng.lognormal(size=800), rng.lognormal(0.1, 1, size=1200))
    add("discrete_ties_4000", rng.integers(0, 6, size=4000).astype(float), rng.integers(0, 7, size=3000).astype(float))
    add("discrete_ties_equal_sizes", rng.integers(0, 4, size=600).astype(float), rng.integers(0, 4, size=600).astype(float))
    add("asymptotic_20000_15000", rng.normal(size=20000), rng.normal(0.05, 1, size=15000))
    add("asymptotic_null_12000", rng.normal(size=12000), rng.normal(size=12000), "f32")
    add("asymptotic_big_shift", rng.normal(size=11000), rng.normal(0.5, 1, size=11000))
    with_nulls_b = rng.normal(size=3000)
    with_nulls_b[rng.random(3000) < 0.1] = nan
    with_nulls_c = rng.normal(size=3000)
    with_nulls_c[rng.random(3000) < 0.3] = nan
    add("nulls_10pct_vs_30pct", with_nulls_b, with_nulls_c)
    inf_b = rng.normal(size=500)
    inf_b[:5] = inf
    inf_b[5:8] = -inf
    inf_c = rng.normal(size=700)
    inf_c[:20] = inf
    inf_c[20:22] = nan
    add("infinities_and_nan", inf_b, inf_c)
    add("many_bins_100", rng.normal(size=5000), rng.normal(0.1, 1, size=5000), bins=100)
    add("bins_1000", rng.normal(size=9000), rng.normal(size=3000), bins=1000)
    add("bins_1", rng.normal(size=300), rng.normal(size=300), bins=1)
    add("new_range_current_above_max", rng.uniform(0, 1, size=1000), rng.uniform(0.5, 1.5, size=1000))
    # Edge cases.
    add("empty_current", rng.normal(size=100), [])
    add("empty_both", [], [])
    add("n1_each", [0.5], [0.25])
    add("n1_equal", [0.5], [0.5])
    add("all_null_current", rng.normal(size=50), [nan] * 40)
    add("all_null_baseline", [nan] * 40, rng.normal(size=50))
    add("constant_baseline", [3.0] * 200, rng.normal(3, 0.1, size=200))
    add("constant_both_equal", [2.0] * 100, [2.0] * 80)
    add("constant_both_different", [2.0] * 100, [2.5] * 80)
    add("only_infinities", [inf, -inf, inf], [inf, inf])
    add("tiny_sizes_1_5", [0.1], [0.0, 0.2, 0.3, 0.4, 0.5])
    add("tiny_sizes_3_7", [0.1, 0.5, 0.9], [0.2, 0.3, 0.3, 0.6, 0.7, 0.8, 1.0])
    add("signed_zeros", [-0.0, 0.0, -0.0, 1.0, -1.0], [0.0, 0.0, -0.0, 2.0])
    add("mixed_nan_inf_ties", [1.0, 1.0, nan, inf, 2.0, 2.0, -inf, 3.0], [1.0, nan, nan, 2.0, 2.0, 2.0, inf, 4.0])
    add("denormals", [5e-324, 1e-310, 0.0, -5e-324] * 10, [1e-310, 2e-310, 0.0] * 10)
    add("huge_magnitudes", [1e150, -1e150, 0.0, 1.0] * 10, [1.7e150, -1.7e150, 2.0] * 10)

    generated = [
        generated_case("gen_1e6_null", 1, 2, 1_000_000, 1_000_000, 0.0),
        generated_case("gen_1e6_shift_f32", 3, 4, 1_000_000, 1_000_000, 0.0078125, dtype="f32"),
        generated_case("gen_ties_200k_300k", 5, 6, 200_000, 300_000, 0.015625, ties=True),
        generated_case("gen_small_block_vs_big_baseline", 7, 8, 1_000_000, 2_000, 0.03125),
        generated_case("gen_exact_path_10000", 9, 10, 10_000, 7_000, 0.0625),
    ]

    categorical = [
        categorical_case("same_distribution", [500, 300, 200], [250, 150, 100]),
        categorical_case("shifted", [500, 300, 200], [200, 300, 500]),
        categorical_case("unseen_category", [500, 300, 200, 0], [450, 300, 200, 50]),
        categorical_case("category_gone", [500, 300, 200], [500, 300, 0]),
        categorical_case("zero_both_dropped", [10, 0, 20, 5], [12, 0, 18, 0]),
        categorical_case("single_category", [100], [40]),
        categorical_case("empty_current", [100, 20], [0, 0]),
        categorical_case("many_categories", rng.integers(0, 50, size=200).tolist(), rng.integers(0, 50, size=200).tolist()),
        categorical_case("extreme_p", [100000, 1], [1, 100000]),
    ]

    proportions = []
    for x1, n1, x2, n2 in [(10, 1000, 12, 1000), (0, 1000, 300, 1000), (0, 50, 0, 60), (50, 50, 60, 60),
                           (5, 100000, 50, 100000), (1, 1, 0, 1), (3000, 10000, 3100, 10000), (0, 1_000_000, 1, 10)]:
        z, p = two_proportion(x1, n1, x2, n2)
        proportions.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": r(z), "p": r(p)})

    correlation = []
    x = rng.normal(size=3000)
    y = 0.6 * x + 0.8 * rng.normal(size=3000)
    w = rng.normal(size=3000)
    x2 = rng.normal(size=2500)
    y2 = 0.3 * x2 + math.sqrt(1 - 0.09) * rng.normal(size=2500)
    w2 = rng.normal(size=2500)
    y2[::17] = nan
    correlation.append(correlation_case("flip_06_to_03", [x, y, w], [x2, y2, w2]))
    a = rng.normal(size=400)
    correlation.append(correlation_case("negative_strong", [a, -a + 0.01 * rng.normal(size=400)],
                                        [a[:300], -a[:300] + 0.3 * rng.normal(size=300)]))

    doc = {"generator": "tools/gen_fixtures.py", "numpy": np.__version__, "scipy": scipy.__version__,
           "psi_pseudo_count": PSEUDO_COUNT, "numeric": numeric, "generated": generated,
           "categorical": categorical, "proportions": proportions, "correlation": correlation}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)}: {len(numeric)} numeric, {len(generated)} generated, "
          f"{len(categorical)} categorical, {len(proportions)} proportion, {len(correlation)} correlation cases",
          file=sys.stderr)


if __name__ == "__main__":
    main()
