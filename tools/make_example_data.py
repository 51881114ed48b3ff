#!/usr/bin/env python3
"""Writes the small bundled example data set (examples/baseline.csv, examples/current.csv). Seeded; committed.

Stable columns: age, session_seconds, clicks, device. Drifting on purpose: income (+0.3 sigma on the log scale),
country (a new market appears), score (null rate 2 % -> 15 %)."""
import csv
import os

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples")


def write(path, rng, n, drift):
    age = rng.normal(41, 12, n).clip(18, 90).round(1)
    income = rng.lognormal(10.8 + (0.3 * 0.6 if drift else 0), 0.6, n).round(2)
    session = rng.pareto(2.5, n) * 60
    clicks = rng.poisson(3, n)
    device = rng.choice(["mobile", "desktop", "tablet"], n, p=[0.6, 0.33, 0.07])
    countries = ["US", "DE", "FR", "GB", "IN"] + (["BR"] if drift else [])
    p = [0.4, 0.2, 0.15, 0.15, 0.1] if not drift else [0.34, 0.18, 0.13, 0.13, 0.1, 0.12]
    country = rng.choice(countries, n, p=p)
    score = rng.beta(2, 5, n).round(4).astype(object)
    score[rng.random(n) < (0.15 if drift else 0.02)] = ""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["age", "income", "session_seconds", "clicks", "device", "country", "score"])
        for row in zip(age, income, session.round(3), clicks, device, country, score):
            w.writerow(row)


if __name__ == "__main__":
    os.makedirs(HERE, exist_ok=True)
    write(os.path.join(HERE, "baseline.csv"), np.random.default_rng(1), 5000, False)
    write(os.path.join(HERE, "current.csv"), np.random.default_rng(2), 4000, True)
    print("wrote examples/baseline.csv and examples/current.csv")
