#if canImport(Glibc)
import Glibc
#endif

/// The Population Stability Index of driftd: ONE definition, used for numeric bins and categories alike.
///
/// Given baseline counts `b` (total N) and current counts `c` (total M) over the same non-null bins:
/// 1. Bins empty on both sides are dropped; K bins remain.
/// 2. Each side's proportions are smoothed with a pseudo-count α = 0.5 per bin (Jeffreys prior):
///    `p_i = (b_i + α) / (N + αK)`, `q_i = (c_i + α) / (M + αK)`.
/// 3. `PSI = Σ (q_i − p_i) · ln(q_i / p_i)` (natural log).
///
/// Nulls are not a bin: the null rate has its own test (``TwoProportionZTest``), so a null-rate change is
/// reported once, not twice. Why this choice is stable and explainable: PSI is finite for every input, never
/// negative, and continuous in the counts (one value moving between bins changes it by O(1/n)); the smoothing
/// vanishes as samples grow, and a bin the baseline never saw scores like "half an observation" rather than
/// an arbitrary epsilon (which ranges from 0 to ∞ across tools). ARCHITECTURE.md has the worked numbers.
/// `tools/gen_fixtures.py` holds the same definition as executable Python; tests match it to 1e-12.
public enum PopulationStabilityIndex {
    public static let pseudoCount = 0.5

    /// - Throws: `insufficientData` when either side has no non-null value; `invalidArgument` on length mismatch.
    /// - Complexity: O(bins).
    public static func compute(baseline: [Int], current: [Int]) throws(KernelError) -> Double {
        guard baseline.count == current.count else {
            throw KernelError(.invalidArgument, "PSI over \(baseline.count) vs \(current.count) bins")
        }
        let n = Double(baseline.reduce(0, +))
        let m = Double(current.reduce(0, +))
        guard n > 0 else { throw KernelError(.insufficientData, "PSI: baseline has no non-null values") }
        guard m > 0 else { throw KernelError(.insufficientData, "PSI: current sample has no non-null values") }
        let k = Double(zip(baseline, current).reduce(0) { $0 + ($1.0 + $1.1 > 0 ? 1 : 0) })
        let a = pseudoCount
        var psi = 0.0
        for i in baseline.indices where baseline[i] + current[i] > 0 {
            let p = (Double(baseline[i]) + a) / (n + a * k)
            let q = (Double(current[i]) + a) / (m + a * k)
            psi += (q - p) * log(q / p)
        }
        return psi
    }

    public static func compute(baseline: BinCounts, current: BinCounts) throws(KernelError) -> Double {
        try compute(baseline: baseline.counts, current: current.counts)
    }
}
