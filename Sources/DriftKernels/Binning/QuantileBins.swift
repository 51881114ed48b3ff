/// Bins frozen from a baseline: interior bins at baseline quantiles plus explicit tail bins.
///
/// `edges` is strictly increasing; a value `v` falls in bin `#{edges <= v}` (numpy's
/// `searchsorted(edges, v, side="right")`), so there are `edges.count + 1` bins for non-null values:
///
/// ```
///   bin 0            bin 1          bin 2        …   bin B               bin B+1
/// (-inf, e0)      [e0, e1)       [e1, e2)      …  [e(B-1), eB)         [eB, +inf]
///  below the      baseline min                     … up to the          above the
///  baseline min                                      baseline max        baseline max
/// ```
///
/// `e0` is the smallest finite baseline value, `e1 … e(B-1)` the baseline quantiles at k/B (numpy's default
/// "linear" interpolation), and `eB` the float just above the largest finite baseline value, so every finite
/// baseline value lands in an interior bin and only values outside the baseline's range reach the tails.
/// Duplicate quantiles (ties, discrete data) collapse, so a feature may get fewer than B interior bins.
/// Nulls (NaN or invalid rows) are counted apart (``BinCounts/nullCount``).
public struct QuantileBins: Sendable, Equatable {
    /// The default number of interior bins.
    public static let defaultBinCount = 10
    /// The largest number of interior bins accepted.
    public static let maximumBinCount = 1000

    public let edges: [Double]

    /// Number of non-null bins (interior bins plus the two tails).
    public var binCount: Int { edges.count + 1 }

    public init(edges: [Double]) throws(KernelError) {
        guard !edges.isEmpty else { throw KernelError(.invalidArgument, "bins need at least one edge") }
        for i in 1..<edges.count where !(edges[i - 1] < edges[i]) {
            throw KernelError(.invalidArgument, "bin edges must be strictly increasing (edge \(i))")
        }
        guard edges.allSatisfy({ $0.isFinite }) else { throw KernelError(.invalidArgument, "bin edges must be finite") }
        self.edges = edges
    }

    /// Freezes bins from the sorted finite values of a baseline (for example ``SortedSample/finiteValues``).
    /// - Parameters:
    ///   - sorted: finite values in ascending order.
    ///   - bins: requested number of interior bins, 1 … 1000.
    /// - Throws: `insufficientData` when `sorted` is empty; `invalidArgument` for a bad `bins`.
    /// - Complexity: O(bins).
    public init<T: DriftFloat>(sortedBaseline sorted: UnsafeBufferPointer<T>, bins: Int = defaultBinCount)
        throws(KernelError)
    {
        guard (1...Self.maximumBinCount).contains(bins) else {
            throw KernelError(.invalidArgument, "bins must be between 1 and \(Self.maximumBinCount), got \(bins)")
        }
        guard !sorted.isEmpty else { throw KernelError(.insufficientData, "baseline has no finite values") }
        let n = sorted.count
        var e: [Double] = [Double(sorted[0])]
        for k in 1..<bins {
            let q = Double(k) / Double(bins)
            let value = Self.linearQuantile(sorted, q)
            if value > e[e.count - 1] { e.append(value) }
        }
        let top = Double(sorted[n - 1]).nextUp
        if top > e[e.count - 1] { e.append(top) }
        try self.init(edges: e)
    }

    /// numpy's `quantile(method="linear")` on sorted data, step for step (Hyndman–Fan type 7 with numpy's
    /// virtual index `(n − 1)·q` and its two-sided lerp), computed in float64.
    static func linearQuantile<T: DriftFloat>(_ sorted: UnsafeBufferPointer<T>, _ q: Double) -> Double {
        let n = sorted.count
        let virtualIndex = Double(n - 1) * q
        if virtualIndex >= Double(n - 1) { return Double(sorted[n - 1]) }
        if virtualIndex < 0 { return Double(sorted[0]) }
        let previous = virtualIndex.rounded(.down)
        let i = Int(previous)
        let gamma = virtualIndex - previous
        let a = Double(sorted[i]), b = Double(sorted[i + 1])
        let diff = b - a
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
    }

    /// The bin of one value (`nil` for NaN): the scalar definition every kernel must agree with.
    @inline(__always)
    public func bin(of value: Double) -> Int? {
        if value.isNaN { return nil }
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if edges[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Edges rounded up to Float: for any Float `v`, `v >= e` ⇔ `v >= Float edge`, so float32 columns bin exactly.
    var float32Edges: [Float] {
        edges.map { e in
            let f = Float(e)
            return Double(f) < e ? f.nextUp : f
        }
    }
}
