#!/usr/bin/env python3
"""Demo data for tools/demo.sh: three sources over 24 hourly windows ending now, written as CSV files, plus a
plan of driftctl commands (one per line, tab-separated) that feed them to driftd in order.

  payments     drifts: `amount` shifts up from window 16 (critical), `country` gains a new category from window 19,
               `latency_ms` starts losing values (null rate) from window 18; its fraud model's AUC drops with it.
  signups      calm; its churn model's accuracy stays flat.
  clickstream  stale: its data stopped 8 hours ago (SLA: data younger than 2 h).
The fresh sources' SLA is on batch arrivals (their history is sent all at once, so its event times are old).

Seeded (random.Random), standard library only. Usage: demo_data.py OUT_DIR NOW_MS
"""
import json
import math
import os
import random
import sys

HOUR = 3_600_000
WINDOWS = 24
ROWS = 1500


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join("" if v is None else (f"{v:.4f}" if isinstance(v, float) else str(v)) for v in r) + "\n")


def choice(rng, weights):
    u, acc = rng.random(), 0.0
    for name, w in weights:
        acc += w
        if u < acc:
            return name
    return weights[-1][0]


def payments_rows(rng, n, w):
    rows = []
    shift = 1.0 if w is None or w < 16 else 1.6 + 0.02 * (w - 16)
    countries = [("US", 0.5), ("DE", 0.2), ("FR", 0.15), ("GB", 0.15)]
    if w is not None and w >= 19:
        countries = [("US", 0.38), ("DE", 0.2), ("FR", 0.15), ("GB", 0.15), ("BR", 0.12)]
    null_rate = 0.01 if w is None or w < 18 else 0.14
    for _ in range(n):
        amount = math.exp(rng.gauss(3.6, 0.6)) * shift
        latency = None if rng.random() < null_rate else max(1.0, rng.gauss(120, 25))
        device = choice(rng, [("ios", 0.45), ("android", 0.4), ("web", 0.15)])
        rows.append((amount, latency, choice(rng, countries), device))
    return ["amount", "latency_ms", "country", "device"], rows


def signups_rows(rng, n, w):
    rows = []
    for _ in range(n):
        rows.append((float(max(18, int(rng.gauss(34, 9)))), max(0.0, rng.expovariate(1 / 240)),
                     choice(rng, [("search", 0.4), ("ads", 0.3), ("friend", 0.2), ("press", 0.1)])))
    return ["age", "session_seconds", "referrer"], rows


def clickstream_rows(rng, n, w):
    rows = []
    for _ in range(n):
        rows.append((max(0.0, rng.lognormvariate(7.5, 0.5)), float(rng.randint(1, 12)),
                     choice(rng, [("home", 0.35), ("search", 0.3), ("product", 0.25), ("cart", 0.1)])))
    return ["dwell_ms", "scroll_depth", "page"], rows


SOURCES = {
    "payments": {
        "rows": payments_rows,
        "features": [("amount", "float64"), ("latency_ms", "float64"), ("country", "categorical"), ("device", "categorical")],
        "sla": {"max_arrival_interval_ms": "1h"},
        "last_window": 0,  # hours before the current one
        "metric": ("fraud-v2", "auc", True),
    },
    "signups": {
        "rows": signups_rows,
        "features": [("age", "float64"), ("session_seconds", "float64"), ("referrer", "categorical")],
        "sla": {"max_arrival_interval_ms": "2h"},
        "last_window": 0,
        "metric": ("churn-v3", "accuracy", True),
    },
    "clickstream": {
        "rows": clickstream_rows,
        "features": [("dwell_ms", "float64"), ("scroll_depth", "float64"), ("page", "categorical")],
        "sla": {"max_event_age_ms": "2h"},
        "last_window": 8,
        "metric": None,
    },
}


def metric_value(name, w, rng):
    if name == "payments":
        return 0.915 + rng.gauss(0, 0.004) - (0.0 if w < 16 else 0.05 + 0.006 * (w - 16))
    return 0.88 + rng.gauss(0, 0.004)


def main():
    out, now_ms = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    current_hour = now_ms // HOUR * HOUR
    plan = []
    for name, s in SOURCES.items():
        rng = random.Random(sum(map(ord, name)))
        schema = {
            "features": [{"name": f, "type": t} for f, t in s["features"]],
            "monitoring": dict({"window": "1h", "grace_ms": "30s", "persistence_k": 2, "recovery_j": 2}, **s["sla"]),
        }
        with open(f"{out}/{name}.schema.json", "w") as f:
            json.dump(schema, f, indent=1)
        plan.append(("source", name, f"{out}/{name}.schema.json"))
        header, rows = s["rows"](rng, 6000, None)
        write_csv(f"{out}/{name}.baseline.csv", header, rows)
        plan.append(("baseline", name, f"{out}/{name}.baseline.csv"))
        first = current_hour - (s["last_window"] + WINDOWS) * HOUR
        for w in range(WINDOWS):
            start = first + w * HOUR
            header, rows = s["rows"](rng, ROWS, w)
            path = f"{out}/{name}.w{w:02d}.csv"
            write_csv(path, header, rows)
            # Every row of the window at its middle; the next window's rows close it (grace 30 s).
            plan.append(("ingest", name, path, str(start + HOUR // 2), f"demo-{name}-{w}"))
            if s["metric"]:
                model, metric, higher = s["metric"]
                plan.append(("metric", name, model, metric, str(start), f"{metric_value(name, w, rng):.4f}",
                             "higher" if higher else "lower"))
        # A small batch just after the last window closes it at once (fresh sources: a minute ago).
        tail = first + WINDOWS * HOUR + 60_000 if s["last_window"] else now_ms - 60_000
        header, rows = s["rows"](rng, 200, WINDOWS - 1)
        write_csv(f"{out}/{name}.tail.csv", header, rows)
        plan.append(("ingest", name, f"{out}/{name}.tail.csv", str(tail), f"demo-{name}-tail"))
    with open(f"{out}/plan.tsv", "w") as f:
        for step in plan:
            f.write("\t".join(step) + "\n")


if __name__ == "__main__":
    main()
