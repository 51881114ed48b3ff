#if canImport(Glibc)
import Glibc
#endif

/// Test for a change of a Pearson correlation between two independent samples via Fisher's z-transform:
/// z = (atanh r₂ − atanh r₁) / √(1/(n₁ − 3) + 1/(n₂ − 3)), two-sided p = erfc(|z|/√2).
/// |r| is capped at 1 − 1e-12 so a perfect correlation gives a large finite z instead of ∞ − ∞.
public struct FisherZTest: Sendable, Equatable {
    public static let correlationCap = 1 - 1e-12
    public var baselineCorrelation: Double
    public var currentCorrelation: Double
    public var z: Double
    public var pValue: Double

    /// |Δr|, the effect size this test is gated by.
    public var difference: Double { currentCorrelation - baselineCorrelation }

    /// - Throws: `insufficientData` when a side has 3 rows or fewer; `invalidArgument` for |r| > 1 or NaN.
    public init(baseline r1: Double, baselineCount n1: Int, current r2: Double, currentCount n2: Int)
        throws(KernelError)
    {
        guard n1 > 3, n2 > 3 else { throw KernelError(.insufficientData, "Fisher z needs more than 3 rows per side") }
        guard abs(r1) <= 1, abs(r2) <= 1 else { throw KernelError(.invalidArgument, "correlations must lie in [-1, 1]") }
        let cap = Self.correlationCap
        let z1 = atanh(Swift.min(cap, Swift.max(-cap, r1)))
        let z2 = atanh(Swift.min(cap, Swift.max(-cap, r2)))
        baselineCorrelation = r1
        currentCorrelation = r2
        z = (z2 - z1) / (1 / Double(n1 - 3) + 1 / Double(n2 - 3)).squareRoot()
        pValue = _twoSidedNormalP(z)
    }
}
