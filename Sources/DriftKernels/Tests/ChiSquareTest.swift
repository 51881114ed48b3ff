/// Chi-square test of homogeneity between baseline and current category counts (a 2 × K contingency table).
///
/// Categories empty on both sides are dropped (a column of zeros has no expected count); a category seen only
/// in the current sample (an unseen category) is an ordinary column with baseline count 0, so it contributes,
/// it does not crash. Matches `scipy.stats.chi2_contingency(table, correction=False)` on the reduced table.
public struct ChiSquareTest: Sendable, Equatable {
    public var statistic: Double
    public var degreesOfFreedom: Int
    public var pValue: Double
    /// Categories with at least one observation (the K of the table).
    public var categories: Int
    /// Categories present in the current sample but absent from the baseline.
    public var unseenCategories: Int

    /// - Throws: `insufficientData` when a side has no non-null value; `invalidArgument` on length mismatch.
    /// - Complexity: O(K).
    public init(baseline: [Int], current: [Int]) throws(KernelError) {
        guard baseline.count == current.count else {
            throw KernelError(.invalidArgument, "chi-square over \(baseline.count) vs \(current.count) categories")
        }
        let n = Double(baseline.reduce(0, +)), m = Double(current.reduce(0, +))
        guard n > 0 else { throw KernelError(.insufficientData, "chi-square: baseline has no non-null values") }
        guard m > 0 else { throw KernelError(.insufficientData, "chi-square: current sample has no non-null values") }
        let total = n + m
        var chi2 = 0.0
        var k = 0
        var unseen = 0
        for i in baseline.indices where baseline[i] + current[i] > 0 {
            k += 1
            if baseline[i] == 0 { unseen += 1 }
            let col = Double(baseline[i] + current[i])
            let eb = n * col / total, ec = m * col / total
            let db = Double(baseline[i]) - eb, dc = Double(current[i]) - ec
            chi2 += db * db / eb + dc * dc / ec
        }
        statistic = chi2
        degreesOfFreedom = Swift.max(k - 1, 0)
        pValue = degreesOfFreedom == 0 ? 1 : _chiSquareSurvival(chi2, dof: degreesOfFreedom)
        categories = k
        unseenCategories = unseen
    }
}
