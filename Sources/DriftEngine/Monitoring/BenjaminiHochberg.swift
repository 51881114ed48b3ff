/// Benjamini–Hochberg step-up procedure over one family of p-values.
///
/// Adjusted p-values equal `scipy.stats.false_discovery_control(ps, method='bh')` on the valid p-values:
/// sort ascending, p₍ᵢ₎ · (m / i), running minimum from the largest down, capped at 1 (ties get the same value
/// whatever their order). A hypothesis is rejected at level q when its adjusted p-value is **below** q — the
/// same strict comparison as ``DriftPolicy``'s p < α, so with m = 1 BH is exactly the raw test.
///
/// Missing (nil), NaN and out-of-range (< 0, > 1) p-values are excluded: they are not counted in m and their
/// adjusted value is nil.
public struct BenjaminiHochberg: Sendable, Equatable {
    /// Adjusted p-values, index for index with the input; nil where the input was excluded.
    public let adjusted: [Double?]
    /// m: the number of valid p-values.
    public let testCount: Int

    /// - Complexity: O(m log m).
    public init(pValues: [Double?]) {
        let valid = pValues.indices.filter { i in
            guard let p = pValues[i] else { return false }
            return p >= 0 && p <= 1  // false for NaN
        }
        let order = valid.sorted { pValues[$0]! < pValues[$1]! || (pValues[$0]! == pValues[$1]! && $0 < $1) }
        let m = order.count
        var result = [Double?](repeating: nil, count: pValues.count)
        var running = 1.0
        for rank in stride(from: m, through: 1, by: -1) {
            let i = order[rank - 1]
            running = Swift.min(running, pValues[i]! * (Double(m) / Double(rank)))  // scipy's order of operations
            result[i] = running
        }
        adjusted = result
        testCount = m
    }

    /// Convenience for a family without missing values.
    public init(pValues: [Double]) { self.init(pValues: pValues.map { Optional($0) }) }

    /// Which hypotheses are rejected at level `q` (adjusted p < q); false where excluded.
    public func rejections(at q: Double) -> [Bool] { adjusted.map { $0.map { $0 < q } ?? false } }
}
