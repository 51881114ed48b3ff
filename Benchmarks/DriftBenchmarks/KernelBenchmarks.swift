import DriftKernels

#if canImport(Glibc)
import Glibc
#endif

/// `drift-bench kernels`: values/second of each kernel on float32 data at several sizes.
///
/// Data: `--data-dir DIR` reads `base_{n}.f32`, `cur_null_{n}.f32`, `cur_shift_{n}.f32` (raw little-endian
/// float32, written by `tools/bench_vs_scipy.py` so numpy/scipy time the very same values); without it the data
/// is generated here (baseline and current N(0,1), shifted current N(0.01,1), seeded).
/// Output: one JSON object per line: {"kernel", "n", "median_s", "values_per_s", "cpu_s"} — median wall time, and
/// the median CPU time of the thread (on a shared machine the wall time includes time other processes took).
struct KernelBenchmarks {
    var sizes: [Int] = [10_000, 100_000, 1_000_000, 10_000_000]
    var dataDirectory: String?
    var reps: Int?
    var only: Set<String>?

    func run() {
        for n in sizes {
            let (base, curNull, curShift) = data(n)
            let reps = self.reps ?? (n >= 10_000_000 ? 5 : n >= 1_000_000 ? 11 : 31)
            let sortedBase = SortedSample(base)
            let bins = sortedBase.withFiniteValues { try! QuantileBins(sortedBaseline: $0, bins: 10) }
            let baseCounts = bins.histogram(base)

            measure("profile_f32", n, reps) {
                curNull.withUnsafeBufferPointer { blackHole(ColumnProfile($0)) }
            }
            measure("psi_cur_f32", n, reps) {
                curNull.withUnsafeBufferPointer {
                    let counts = bins.histogram($0)
                    blackHole(try! PopulationStabilityIndex.compute(baseline: baseCounts, current: counts))
                }
            }
            measure("sort_f32", n, reps) {
                var copy = curNull
                RadixSort.sort(&copy)
                blackHole(copy)
            }
            let curNull64 = curNull.map(Double.init)
            measure("sort_f64", n, reps) {
                var copy = curNull64
                RadixSort.sort(&copy)
                blackHole(copy)
            }
            for (name, cur) in [("ks_null_f32", curNull), ("ks_shift_f32", curShift)] {
                measure(name, n, reps) {
                    let sorted = SortedSample(cur)
                    blackHole(try! KolmogorovSmirnovTest(baseline: sortedBase, current: sorted))
                }
            }
            // The merge alone: D + p-value of an already sorted current sample against the sorted baseline.
            let sortedShift = SortedSample(curShift)
            measure("ks_merge_only_f32", n, reps) {
                blackHole(try! KolmogorovSmirnovTest(baseline: sortedBase, current: sortedShift))
            }
            measure("wasserstein_f32", n, reps) {
                let sorted = SortedSample(curShift)
                blackHole(try! WassersteinDistance.compute(baseline: sortedBase, current: sorted))
            }
        }
    }

    private func measure(_ name: String, _ n: Int, _ reps: Int, _ body: () -> Void) {
        if let only, !only.contains(name) { return }
        let t = medianTime(reps: reps, body)
        print("{\"kernel\": \"\(name)\", \"n\": \(n), \"median_s\": \(t.wall), \"values_per_s\": \(Double(n) / t.wall), "
              + "\"cpu_s\": \(t.cpu)}")
        fflush(nil)
    }

    private func data(_ n: Int) -> ([Float], [Float], [Float]) {
        if let dir = dataDirectory {
            guard let b = readFloat32File("\(dir)/base_\(n).f32"), let c0 = readFloat32File("\(dir)/cur_null_\(n).f32"),
                  let c1 = readFloat32File("\(dir)/cur_shift_\(n).f32")
            else {
                writeStderr("drift-bench: missing or unreadable data files for n=\(n) in \(dir)\n")
                exit(2)
            }
            return (b, c0, c1)
        }
        var rng = SplitMix64(seed: 42 &+ UInt64(n))
        let b = (0..<n).map { _ in Float(rng.normal()) }
        let c0 = (0..<n).map { _ in Float(rng.normal()) }
        let c1 = (0..<n).map { _ in Float(rng.normal() + 0.01) }
        return (b, c0, c1)
    }
}
