#if canImport(Glibc)
import Glibc
#endif

/// Jensen–Shannon distance between the baseline and current bin proportions, base 2 (so it lies in [0, 1]):
/// the same value as `scipy.spatial.distance.jensenshannon(b, c, base=2)`. Unsmoothed (JS is finite without it);
/// bins are the same frozen bins or categories PSI uses, nulls excluded.
public enum JensenShannonDistance {
    /// - Throws: `insufficientData` when either side is empty; `invalidArgument` on length mismatch.
    /// - Complexity: O(bins).
    public static func compute(baseline: [Int], current: [Int]) throws(KernelError) -> Double {
        guard baseline.count == current.count else {
            throw KernelError(.invalidArgument, "JS over \(baseline.count) vs \(current.count) bins")
        }
        let n = Double(baseline.reduce(0, +))
        let m = Double(current.reduce(0, +))
        guard n > 0, m > 0 else { throw KernelError(.insufficientData, "JS: a side has no non-null values") }
        var js = 0.0
        for i in baseline.indices {
            let p = Double(baseline[i]) / n
            let q = Double(current[i]) / m
            let mid = (p + q) / 2
            if p > 0 { js += p * log(p / mid) }
            if q > 0 { js += q * log(q / mid) }
        }
        js = Swift.max(0, js / 2) / log(2.0)
        return js.squareRoot()
    }
}
