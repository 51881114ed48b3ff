/// First Wasserstein (earth mover's) distance between two samples, as `scipy.stats.wasserstein_distance(u, v)`:
/// ∫ |F(x) − G(x)| dx over the finite values of both sides (±inf values are left out: they would make the
/// integral infinite; the profiles report them).
public enum WassersteinDistance {
    /// - Throws: `insufficientData` when either side has no finite value.
    /// - Complexity: O(n + m), one merge of the two sorted samples.
    public static func compute(baseline: SortedSample<Float>, current: SortedSample<Float>) throws(KernelError) -> Double {
        try _wasserstein(baseline, current)
    }

    public static func compute(baseline: SortedSample<Double>, current: SortedSample<Double>) throws(KernelError) -> Double {
        try _wasserstein(baseline, current)
    }

    /// W divided by the baseline's population standard deviation: the shift in baseline σ units.
    /// A constant baseline gives 0 when W is 0 and +inf otherwise.
    public static func normed(_ distance: Double, baselineStandardDeviation sd: Double) -> Double {
        if sd > 0 { return distance / sd }
        return distance == 0 ? 0 : .infinity
    }
}

@inline(__always)
func _wasserstein<T: DriftFloat>(_ baseline: SortedSample<T>, _ current: SortedSample<T>) throws(KernelError) -> Double {
    let nf = baseline.finiteCount, mf = current.finiteCount
    guard nf > 0 else { throw KernelError(.insufficientData, "Wasserstein: baseline has no finite values") }
    guard mf > 0 else { throw KernelError(.insufficientData, "Wasserstein: current sample has no finite values") }
    let dn = Double(nf), dm = Double(mf)
    return baseline.storage.withUnsafeBufferPointer { aBuf in
        current.storage.withUnsafeBufferPointer { bBuf in
            let a = aBuf.baseAddress!, b = bBuf.baseAddress!
            var i = 0, j = 0
            var prev = Swift.min(a[0], b[0])
            var total = 0.0
            while true {
                while a[i] <= prev { i += 1 }  // +inf padding stops both scans
                while b[j] <= prev { j += 1 }
                let next = Swift.min(a[i], b[j])
                if next == .infinity { break }
                total += Swift.abs(Double(i) / dn - Double(j) / dm) * (Double(next) - Double(prev))
                prev = next
            }
            return total
        }
    }
}
