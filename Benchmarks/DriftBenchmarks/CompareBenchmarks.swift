import DriftKernels

#if canImport(Glibc)
import Glibc
#endif

/// `drift-bench compare`: the per-check work that differs between the exact and the binned (approximate) KS path,
/// against a pre-built baseline (sorted values and KS grid built once, as a stored baseline holds them).
///
/// - exact: sort the current column + exact KS (D and the `ks_2samp` 'auto' p-value) + exact Wasserstein.
/// - binned: count the current column over the grid (no sort) + binned KS (D, ε, asymptotic p) + binned Wasserstein.
/// - shared: what both paths also do — the current profile and its PSI bins — timed once for scale.
///
/// Data: baseline N(0,1) float32 of n values, current N(0.05,1) of m values (seeded). Output: one JSON line per
/// (n, m, path) with the median wall time and the median thread CPU time.
struct CompareBenchmarks {
    var pairs: [(n: Int, m: Int)] = [(1_000_000, 10_000), (1_000_000, 100_000), (10_000, 10_000), (10_000, 9_999)]
    var reps: Int?

    func run() {
        for (n, m) in pairs {
            var rng = SplitMix64(seed: 7 &+ UInt64(n) &* 31 &+ UInt64(m))
            let base = (0..<n).map { _ in Float(rng.normal()) }
            let cur = (0..<m).map { _ in Float(rng.normal() + 0.05) }
            let sortedBase = SortedSample(base)
            let grid = KSGrid(sortedBaseline: sortedBase)
            let bins = sortedBase.withFiniteValues { try! QuantileBins(sortedBaseline: $0, bins: 10) }
            let reps = self.reps ?? (m >= 100_000 ? 21 : 51)
            let exact = medianTime(reps: reps) {
                let sc = SortedSample(cur)
                blackHole(try! KolmogorovSmirnovTest(baseline: sortedBase, current: sc))
                blackHole(try! WassersteinDistance.compute(baseline: sortedBase, current: sc))
            }
            let binned = medianTime(reps: reps) {
                let counts = grid.counts(cur)
                blackHole(try! BinnedKS(grid: grid, current: counts))
                blackHole(try! BinnedWasserstein(grid: grid, current: counts))
            }
            let countsOnly = medianTime(reps: reps) { blackHole(grid.counts(cur)) }
            let shared = medianTime(reps: reps) {
                blackHole(ColumnProfile(cur))
                blackHole(bins.histogram(cur))
            }
            let ks = try! KolmogorovSmirnovTest(baseline: sortedBase, current: SortedSample(cur))
            let b = try! BinnedKS(grid: grid, current: grid.counts(cur))
            for (path, t) in [("exact", exact), ("binned", binned), ("binned_counts_only", countsOnly), ("shared", shared)] {
                print("{\"n\": \(n), \"m\": \(m), \"path\": \"\(path)\", \"median_s\": \(t.wall), \"cpu_s\": \(t.cpu)}")
            }
            print("{\"n\": \(n), \"m\": \(m), \"exact_d\": \(ks.statistic.d), \"exact_p\": \(ks.pValue), "
                  + "\"exact_method\": \"\(ks.method.rawValue)\", \"binned_d\": \(b.statistic), \"binned_bound\": \(b.errorBound), "
                  + "\"binned_p\": \(b.pValue)}")
            fflush(nil)
        }
    }
}
