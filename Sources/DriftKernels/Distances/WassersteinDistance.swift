/// First Wasserstein (earth mover's) distance between two samples, as `scipy.stats.wasserstein_distance(u, v)`:
/// ∫ |F(x) − G(x)| dx over the finite values of both sides (±inf values are left out: they would make the
/// integral infinite; the profiles report them).
public enum WassersteinDistance {
    /// - Throws: `insufficientData` when either side has no finite value.
    /// - Complexity: O(n + m), one branch-free walk over the quantile breakpoints of both sorted samples.
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

/// W₁ in its quantile form, ∫₀¹ |F⁻¹(u) − G⁻¹(u)| du, equal to scipy's ∫ |F(x) − G(x)| dx: the breakpoints
/// u = i/n and j/m depend on the sizes only, so the walk has no data-dependent branches (for n = m it is
/// Σ|aᵢ − bᵢ| / n). Segment lengths are exact integers in units of 1/(n·m).
@inline(__always)
func _wasserstein<T: DriftFloat>(_ baseline: SortedSample<T>, _ current: SortedSample<T>) throws(KernelError) -> Double {
    let nf = baseline.finiteCount, mf = current.finiteCount
    guard nf > 0 else { throw KernelError(.insufficientData, "Wasserstein: baseline has no finite values") }
    guard mf > 0 else { throw KernelError(.insufficientData, "Wasserstein: current sample has no finite values") }
    return baseline.storage.withUnsafeBufferPointer { aBuf in
        current.storage.withUnsafeBufferPointer { bBuf in
            let a = aBuf.baseAddress!, b = bBuf.baseAddress!
            if nf == mf {
                var t0 = 0.0, t1 = 0.0
                var i = 0
                while i + 1 < nf {
                    t0 += Swift.abs(Double(a[i]) - Double(b[i]))
                    t1 += Swift.abs(Double(a[i + 1]) - Double(b[i + 1]))
                    i += 2
                }
                if i < nf { t0 += Swift.abs(Double(a[i]) - Double(b[i])) }
                return (t0 + t1) / Double(nf)
            }
            var i = 0, j = 0
            var u = 0  // position in units of 1 / (nf · mf)
            var total = 0.0
            while i < nf && j < mf {
                let ua = (i + 1) &* mf, ub = (j + 1) &* nf
                let next = Swift.min(ua, ub)
                total += Swift.abs(Double(a[i]) - Double(b[j])) * Double(next &- u)
                u = next
                i &+= ua <= ub ? 1 : 0
                j &+= ub <= ua ? 1 : 0
            }
            return total / (Double(nf) * Double(mf))
        }
    }
}
