import DriftEngine
import DriftKernels

#if canImport(Glibc)
import Glibc
#endif

/// `drift-bench exact`: per-feature time of the exact comparison of a current block against a stored float32
/// baseline (the server's CheckDrift work), the merges (before) against the indexed baseline (after).
///
/// Data: `features` baselines of n N(0,1) float32 values (each its own seed) and current blocks of m N(0.01,1)
/// float32 values; `--features 20` makes the baselines as large as the server's 20-feature source (80 MB at
/// n = 1e6, beyond L3), one feature after the other as a request does. Every row is the median over `reps` rounds
/// of the time for all features, divided by the feature count. Rows:
/// - `sort`: sorting the current block (`SortedSample`), shared by KS and Wasserstein on both paths;
/// - `ks_merge` / `ks_indexed`: D of the sorted block against the plain sorted baseline (merge, galloping when
///   n > 16 m) / against ``IndexedSortedSample`` (fences + one SIMD rank block per distinct value);
/// - `wasserstein_merge` / `wasserstein_indexed`: the O(n + m) walk / the prefix-sum integral;
/// - `exact_merge` / `exact_indexed`: KS test (with p-value) + Wasserstein, the kernels' share of a comparison
///   (`exact_indexed`: both from one walk, ``ExactComparison``);
/// - `feature_compare`: `FeatureComparison.numeric(name:baseline:current:)` against a `FeatureBaseline` — the whole
///   per-feature report (profile, PSI/JS bins, sort, KS test, Wasserstein, null rate, verdict);
/// - `index_build`: building the index once per baseline (at baseline build or decode time, not per request).
/// Output: one JSON object per line, {"row", "n", "m", "features", "per_feature_s", "cpu_per_feature_s"}, then a
/// table. The relative difference of the two Wasserstein values is checked (≤ 1e-12) and the KS D are compared.
struct ExactCompareBenchmarks {
    var baselineSize = 1_000_000
    var currentSizes = [10_000, 100_000, 1_000_000]
    var features = 1
    var reps: Int?
    var only: Set<String>?

    private struct Row {
        var name: String, m: Int, wall: Double, cpu: Double
    }

    func run() {
        let n = baselineSize
        var rows: [Row?] = []
        var bases: [[Float]] = []
        for f in 0..<features {
            var rng = SplitMix64(seed: 1_000 &+ UInt64(f))
            bases.append((0..<n).map { _ in Float(rng.normal()) })
        }
        let sortedBases = bases.map { SortedSample($0) }
        var indexes: [IndexedSortedSample<Float>] = []
        let build = medianTime(reps: 3) { indexes = sortedBases.map { IndexedSortedSample($0) } }
        rows.append(report("index_build", n, 0, build))
        let stored = bases.map { FeatureBaseline.numeric(values: $0, seed: 1) }
        for m in currentSizes {
            var currents: [[Float]] = []
            for f in 0..<features {
                var rng = SplitMix64(seed: 77 &+ UInt64(f) &* 131 &+ UInt64(m))
                currents.append((0..<m).map { _ in Float(rng.normal() + 0.01) })
            }
            let sorted = currents.map { SortedSample($0) }
            check(sortedBases, indexes, sorted)
            let reps = self.reps ?? (m >= 1_000_000 ? 5 : 21)
            let all = 0..<features
            rows.append(time("sort", n, m, reps: reps) { for f in all { blackHole(SortedSample(currents[f])) } })
            rows.append(time("ks_merge", n, m, reps: reps) {
                for f in all { blackHole(try! KSStatistic(baseline: sortedBases[f], current: sorted[f])) }
            })
            rows.append(time("ks_indexed", n, m, reps: reps) {
                for f in all { blackHole(try! KSStatistic(baseline: indexes[f], current: sorted[f])) }
            })
            rows.append(time("wasserstein_merge", n, m, reps: reps) {
                for f in all { blackHole(try! WassersteinDistance.compute(baseline: sortedBases[f], current: sorted[f])) }
            })
            rows.append(time("wasserstein_indexed", n, m, reps: reps) {
                for f in all { blackHole(try! WassersteinDistance.compute(baseline: indexes[f], current: sorted[f])) }
            })
            rows.append(time("exact_merge", n, m, reps: reps) {
                for f in all {
                    blackHole(try! KolmogorovSmirnovTest(statistic: KSStatistic(baseline: sortedBases[f], current: sorted[f])))
                    blackHole(try! WassersteinDistance.compute(baseline: sortedBases[f], current: sorted[f]))
                }
            })
            rows.append(time("exact_indexed", n, m, reps: reps) {
                for f in all {
                    let both = ExactComparison(baseline: indexes[f], current: sorted[f])
                    blackHole(try! KolmogorovSmirnovTest(statistic: both.ks.get()))
                    blackHole(try! both.wasserstein.get())
                }
            })
            rows.append(time("feature_compare", n, m, reps: reps) {
                for f in all { blackHole(FeatureComparison.numeric(name: "f", baseline: stored[f], current: currents[f])) }
            })
        }
        printTable(rows.compactMap { $0 })
    }

    /// The two paths agree (D bit for bit, W to 1e-12) on the benchmark's own data.
    private func check(_ bases: [SortedSample<Float>], _ indexes: [IndexedSortedSample<Float>], _ sorted: [SortedSample<Float>]) {
        for f in bases.indices {
            let d0 = try! KSStatistic(baseline: bases[f], current: sorted[f])
            let d1 = try! KSStatistic(baseline: indexes[f], current: sorted[f])
            let w0 = try! WassersteinDistance.compute(baseline: bases[f], current: sorted[f])
            let w1 = try! WassersteinDistance.compute(baseline: indexes[f], current: sorted[f])
            let both = ExactComparison(baseline: indexes[f], current: sorted[f])
            if d0 != d1 || Swift.abs(w1 - w0) > 1e-12 * Swift.abs(w0) || (try? both.ks.get()) != d1
                || (try? both.wasserstein.get()) != w1 {
                writeStderr("drift-bench: paths disagree: D \(d0.d) vs \(d1.d), W \(w0) vs \(w1)\n")
                exit(1)
            }
        }
    }

    /// Times `body` unless `--only` leaves the row out.
    private func time(_ name: String, _ n: Int, _ m: Int, reps: Int, _ body: () -> Void) -> Row? {
        if let only, !only.contains(name) { return nil }
        return report(name, n, m, medianTime(reps: reps, body))
    }

    private func report(_ name: String, _ n: Int, _ m: Int, _ t: (wall: Double, cpu: Double)) -> Row {
        let row = Row(name: name, m: m, wall: t.wall / Double(features), cpu: t.cpu / Double(features))
        print("{\"row\": \"\(name)\", \"n\": \(n), \"m\": \(m), \"features\": \(features), "
              + "\"per_feature_s\": \(row.wall), \"cpu_per_feature_s\": \(row.cpu)}")
        fflush(nil)
        return row
    }

    private func printTable(_ rows: [Row]) {
        print("\n| row | n | m | per feature (wall) | per feature (thread CPU) |")
        print("|---|---|---|---|---|")
        for r in rows {
            print("| \(r.name) | \(short(Double(baselineSize))) | \(r.m == 0 ? "–" : short(Double(r.m))) | \(duration(r.wall)) | \(duration(r.cpu)) |")
        }
    }

    private func short(_ x: Double) -> String {
        let e = Int(log10(x).rounded(.down))
        let mantissa = x / pow(10, Double(e))
        return mantissa == 1 ? "1e\(e)" : "\(mantissa)e\(e)"
    }

    private func duration(_ s: Double) -> String {
        if s >= 1e-3 { return "\(rounded(s * 1e3)) ms" }
        return "\(rounded(s * 1e6)) µs"
    }

    private func rounded(_ x: Double) -> String {
        let digits = x >= 100 ? 0 : x >= 10 ? 1 : 2
        let p = pow(10, Double(digits))
        let v = (x * p).rounded() / p
        return digits == 0 ? "\(Int(v))" : "\(v)"
    }
}
