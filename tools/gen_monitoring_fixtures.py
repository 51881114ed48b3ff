#!/usr/bin/env python3
"""Generates the reference fixtures for the monitoring policy (Benjamini-Hochberg, Spearman, performance
correlation over lagged windows).

    python3 tools/gen_monitoring_fixtures.py     # rewrites Tests/Fixtures/monitoring.json

Seeded (numpy default_rng). Needs numpy and scipy; `swift test` reads the committed JSON. Floats are Python repr
strings ("nan" for a missing p-value in an input); an undefined expected value is JSON null.
"""
import json
import math
import os
import warnings

import numpy as np
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "monitoring.json")
rng = np.random.default_rng(20261204)


def r(x):
    return repr(float(x))


def bh_case(name, ps):
    """Adjusted p-values of the valid entries (not NaN, within [0, 1]); null for excluded ones."""
    valid = [i for i, p in enumerate(ps) if not math.isnan(p) and 0 <= p <= 1]
    adjusted = [None] * len(ps)
    if valid:
        adj = stats.false_discovery_control([ps[i] for i in valid], method="bh")
        for i, a in zip(valid, adj):
            adjusted[i] = r(a)
    return {"name": name, "p": [r(p) for p in ps], "adjusted": adjusted}


def spearman_case(name, x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.spearmanr(x, y)
    rho, p = float(res.statistic), float(res.pvalue)
    defined = not (math.isnan(rho) or math.isnan(p))
    return {"name": name, "x": [r(v) for v in x], "y": [r(v) for v in y],
            "rho": r(rho) if defined else None, "p": r(p) if defined else None}


def main():
    bh = [
        bh_case("n=1", [0.01]),
        bh_case("ties", [0.01, 0.02, 0.02, 0.5]),
        bh_case("all tied", [0.03] * 5),
        bh_case("zero and one", [0.0, 1.0, 0.2, 0.0004, 1.0]),
        bh_case("uniform 20", list(rng.uniform(size=20))),
        bh_case("mixture 100", list(np.concatenate([rng.uniform(0, 1e-4, size=10), rng.uniform(size=90)]))),
        bh_case("with NaN and out of range", [0.01, float("nan"), 0.04, 1.5, 0.003, -0.1, 0.2]),
        bh_case("tiny", [1e-300, 5e-324, 1e-20, 0.9]),
    ]

    spearman = []
    spearman.append(spearman_case("n=3", [1.0, 2.0, 3.5], [2.0, 1.0, 4.0]))
    spearman.append(spearman_case("n=2 undefined", [1.0, 2.0], [3.0, 4.0]))
    spearman.append(spearman_case("constant undefined", [1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0]))
    spearman.append(spearman_case("perfect", [0.1, 0.5, 0.7, 2.0, 3.0], [10.0, 20.0, 25.0, 26.0, 100.0]))
    spearman.append(spearman_case("perfect negative", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [6.0, 5.0, 4.0, 3.0, 2.0, 1.0]))
    x = rng.normal(size=10)
    spearman.append(spearman_case("random 10", list(x), list(rng.normal(size=10))))
    x = rng.normal(size=50)
    spearman.append(spearman_case("correlated 50", list(x), list(x + 0.5 * rng.normal(size=50))))
    spearman.append(spearman_case("strong negative 40", list(x[:40]), list(-x[:40] + 0.05 * rng.normal(size=40))))
    spearman.append(spearman_case("ties 30", list(rng.integers(0, 4, size=30).astype(float)),
                                  list(rng.integers(0, 3, size=30).astype(float))))
    spearman.append(spearman_case("ties one side 12", list(np.floor(rng.uniform(0, 3, size=12))), list(rng.normal(size=12))))

    # Performance correlation: hourly windows 0..23 with drift scores; a metric (accuracy, higher is better)
    # with gaps, paired at lags 0..3 over the last K = 16 windows ending at the latest metric window.
    hour = 3_600_000
    t0 = 1_764_000_000_000 - (1_764_000_000_000 % hour)
    scores = {"a": [], "b": [], "c": []}
    drift_a = np.abs(rng.normal(size=24)) * 0.1
    drift_a[14:] += np.linspace(0.1, 1.0, 10)
    scores["a"] = drift_a
    scores["b"] = np.abs(rng.normal(size=24)) * 0.1
    scores["c"] = np.round(np.abs(rng.normal(size=24)), 1)  # ties
    accuracy = 0.9 - 0.1 * np.concatenate([[0.0], drift_a[:-1]]) + 0.005 * rng.normal(size=24)  # follows a with lag 1
    metric_windows = [w for w in range(24) if w not in (5, 11, 17)]  # gaps
    latest = max(metric_windows) - 1  # the last window's metric has not arrived yet
    metric_windows = [w for w in metric_windows if w <= latest]
    K, L = 16, 3
    span = [latest - i for i in range(K - 1, -1, -1)]
    expected = {}
    for f, s in scores.items():
        per_lag = []
        for lag in range(L + 1):
            xs, ys = [], []
            for w in span:
                if w not in metric_windows or w - lag < 0:
                    continue
                xs.append(s[w - lag])
                ys.append(accuracy[w])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = stats.spearmanr(xs, ys)
            per_lag.append({"lag": lag, "n": len(xs), "rho": r(res.statistic), "p": r(res.pvalue)})
        expected[f] = per_lag
    performance = {
        "window_ms": hour, "start_ms": t0, "K": K, "L": L,
        "scores": {f: [r(v) for v in s] for f, s in scores.items()},
        "metric": {str(w): r(accuracy[w]) for w in metric_windows},
        "expected": expected,
    }

    with open(OUT, "w") as f:
        json.dump({"generator": "tools/gen_monitoring_fixtures.py", "benjamini_hochberg": bh, "spearman": spearman,
                   "performance": performance}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
