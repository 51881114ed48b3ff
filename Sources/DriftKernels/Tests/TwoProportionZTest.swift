/// Two-proportion z-test (pooled variance), used for a change of null rate between baseline and current.
///
/// z = (p₂ − p₁) / √(p̂(1 − p̂)(1/n₁ + 1/n₂)) with the pooled p̂; two-sided p = erfc(|z|/√2).
/// When p̂ is 0 or 1 both rates are equal: z = 0, p = 1.
public struct TwoProportionZTest: Sendable, Equatable {
    public var baselineRate: Double
    public var currentRate: Double
    public var z: Double
    public var pValue: Double

    /// Absolute change of the rate, current − baseline.
    public var difference: Double { currentRate - baselineRate }

    /// - Parameters: `successes` out of `trials` on each side (for null rates: nulls out of rows).
    /// - Throws: `insufficientData` when a side has no trials; `invalidArgument` when successes exceed trials.
    public init(baselineSuccesses x1: Int, baselineTrials n1: Int, currentSuccesses x2: Int, currentTrials n2: Int)
        throws(KernelError)
    {
        guard n1 > 0, n2 > 0 else { throw KernelError(.insufficientData, "proportion test needs rows on both sides") }
        guard (0...n1).contains(x1), (0...n2).contains(x2) else {
            throw KernelError(.invalidArgument, "successes must lie between 0 and the number of trials")
        }
        let p1 = Double(x1) / Double(n1), p2 = Double(x2) / Double(n2)
        let pooled = Double(x1 + x2) / Double(n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
        baselineRate = p1
        currentRate = p2
        z = se > 0 ? (p2 - p1) / se : 0
        pValue = se > 0 ? _twoSidedNormalP(z) : 1
    }
}
