import DriftKernels

/// What a window keeps of one numeric feature: exact counts, extremes and exact sums of x and x² over all rows
/// (so the profile does not depend on the order rows arrive in), the kept values (``WindowKeptValues``) and the
/// bin counts on a baseline's frozen bins (``WindowBinCounts``). Every field merges by an associative and
/// commutative operation.
struct WindowNumericSummary: Sendable {
    var nulls: UInt64 = 0
    /// NaN values among `nulls` (the rest are cleared validity bits).
    var nans: UInt64 = 0
    var positiveInfinities: UInt64 = 0
    var negativeInfinities: UInt64 = 0
    /// Smallest / largest non-null value; −0 orders below +0 so that the result does not depend on the order.
    var minimum: Double? = nil
    var maximum: Double? = nil
    /// Σx over finite values, exactly.
    var sum = ExactSum()
    /// Σx² over finite values, exactly (each square as its rounded value plus its rounding error).
    var sumOfSquares = ExactSum()
    var bins: WindowBinCounts = .empty
    var kept: WindowKeptValues

    init(cap: Int) { kept = WindowKeptValues(cap: cap) }

    /// Folds one value of row `priority`'s row (NaN is null, as is `valid == false`).
    @inline(__always)
    mutating func fold(_ x: Double, valid: Bool, priority: UInt64) {
        guard valid, !x.isNaN else {
            nulls &+= 1
            if valid { nans &+= 1 }
            return
        }
        if x.isFinite {
            sum.add(x)
            sumOfSquares.addProduct(x, x)
        } else if x > 0 {
            positiveInfinities &+= 1
        } else {
            negativeInfinities &+= 1
        }
        if let m = minimum { if x < m || (x == m && x.sign == .minus) { minimum = x } } else { minimum = x }
        if let m = maximum { if x > m || (x == m && x.sign == .plus) { maximum = x } } else { maximum = x }
        kept.offer(.init(priority: priority, bits: x.bitPattern))
    }

    mutating func merge(_ other: WindowNumericSummary, selfEmpty: Bool, otherEmpty: Bool) {
        nulls &+= other.nulls
        nans &+= other.nans
        positiveInfinities &+= other.positiveInfinities
        negativeInfinities &+= other.negativeInfinities
        if let o = other.minimum {
            if let m = minimum { if o < m || (o == m && o.sign == .minus) { minimum = o } } else { minimum = o }
        }
        if let o = other.maximum {
            if let m = maximum { if o > m || (o == m && o.sign == .plus) { maximum = o } } else { maximum = o }
        }
        sum.add(other.sum)
        sumOfSquares.add(other.sumOfSquares)
        bins = bins.joined(with: other.bins, selfEmpty: selfEmpty, otherEmpty: otherEmpty)
        kept.merge(other.kept)
    }

    /// Non-null values (finite and infinite).
    func nonNull(rows: UInt64) -> UInt64 { rows - nulls }

    /// The profile of all `rows` rows: counts and extremes exactly, mean and Σ(x − mean)² from the exact sums
    /// (``WindowMoments``), so it is bit-identical whatever the order of folds and merges.
    func profile(rows: UInt64) -> ColumnProfile {
        var p = ColumnProfile()
        p.count = Int(rows)
        p.nullCount = Int(nulls)
        p.nanCount = Int(nans)
        p.positiveInfinityCount = Int(positiveInfinities)
        p.negativeInfinityCount = Int(negativeInfinities)
        p.minimum = minimum
        p.maximum = maximum
        let n = p.finiteCount
        if n > 0 {
            let mean = WindowMoments.mean(sum, count: n)
            p.mean = mean
            p.sumOfSquaredDeviations = WindowMoments.centred(sumOfSquares, sum, sum, mean, mean, count: n, clampAtZero: true)
        }
        return p
    }
}
