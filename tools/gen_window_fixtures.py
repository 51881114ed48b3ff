#!/usr/bin/env python3
"""Generates the exact-sum fixtures that `swift test` checks `ExactSum` (Sources/DriftEngine/Window) against.

    python3 tools/gen_window_fixtures.py      # rewrites Tests/Fixtures/window_sums.json

The expected value of each case is Python's `math.fsum` (the correctly rounded exact sum). Explicit cases list
their values as repr strings (shortest round-trip form); generated cases give a seed, a count and a scale, and
Swift regenerates the values bit for bit from the SplitMix64 stream (`TestData.irwinHall` in
Tests/DriftTestSupport, `irwin_hall` here: exact IEEE arithmetic, no libm), times `scale`, alternating the sign
of every `flip`-th value when `flip` > 0. Needs numpy; `swift test` reads the committed JSON.
"""
import json
import math
import os
import random

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "window_sums.json")


def r(x):
    return repr(float(x))


def splitmix64(seed, count):
    """SplitMix64 stream (the same generator as SplitMix64 in Tests/DriftTestSupport)."""
    with np.errstate(over="ignore"):
        state = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = state
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def irwin_hall(seed, n):
    """Sum of 4 uniforms minus 2 (TestData.irwinHall)."""
    u = (splitmix64(seed, 4 * n) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    u = u.reshape(n, 4)
    return (((u[:, 0] + u[:, 1]) + u[:, 2]) + u[:, 3]) - 2.0


def generated(name, seed, n, scale, flip=0):
    x = irwin_hall(seed, n) * scale
    if flip > 0:
        x[::flip] = -x[::flip]
    return {"name": name, "seed": seed, "count": n, "scale": r(scale), "flip": flip,
            "fsum": r(math.fsum(x.tolist()))}


def explicit(name, values):
    return {"name": name, "values": [r(v) for v in values], "fsum": r(math.fsum(values))}


def main():
    rng = random.Random(20261204)
    tiny = 5e-324
    cases = [
        explicit("empty", []),
        explicit("cancellation", [1e308, -1e308, 1.0]),
        explicit("cancellation reordered", [1.0, 1e308, 1e-308, -1e308]),
        explicit("classic 0.1", [0.1] * 10),
        explicit("tie to even", [1.0, 2.0 ** -53]),
        explicit("tie to even up", [1.0 + 2.0 ** -52, 2.0 ** -53]),
        explicit("tie broken by sticky", [1.0, 2.0 ** -53, 2.0 ** -200]),
        explicit("below tie", [1.0, 2.0 ** -53, -(2.0 ** -200)]),
        explicit("subnormals", [tiny, tiny, 3 * tiny, -tiny, 2.2250738585072009e-308, 2.2250738585072014e-308]),
        explicit("subnormal cancellation", [2.2250738585072014e-308, -2.2250738585072009e-308]),
        explicit("many small one large", [1e-16] * 1000 + [1.0]),
        explicit("many small one large negative", [-1.0] + [1e-17] * 2000),
        explicit("signed zeros", [-0.0, 0.0, -0.0]),
        explicit("negative zero only", [-0.0]),
        explicit("large magnitudes", [1.7976931348623157e308, -1.7976931348623157e308, 8.98846567431158e307,
                                      -8.98846567431158e307, 1e-300]),
        explicit("mixed exponents", [rng.uniform(-1, 1) * 10.0 ** rng.randint(-300, 300) for _ in range(1000)]),
        explicit("alternating harmonic", [(-1) ** k / (k + 1) for k in range(1000)]),
        explicit("ulp games", [1.0, 1e100, 1.0, -1e100]),
        explicit("integers beyond 2^53", [2.0 ** 53, 1.0, 1.0, 1.0]),
    ]
    gen = [
        generated("irwin-hall 1e5", 41, 100_000, 1.0),
        generated("irwin-hall 1e5 scaled", 42, 100_000, 1e300, flip=3),
        generated("irwin-hall 1e5 tiny", 43, 100_000, 1e-310, flip=2),
    ]
    with open(OUT, "w") as f:
        json.dump({"explicit": cases, "generated": gen}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
