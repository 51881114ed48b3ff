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

/// Bin counts of a numeric feature on a baseline's frozen bins: a join-semilattice, so merging is associative
/// and commutative. `empty` (no row folded yet) joins into anything; two tags of the same baseline add their
/// counts; anything else — another baseline's tag, or rows folded without frozen bins — is `dropped`, and the
/// counts are then recomputed at report time from the kept values.
enum WindowBinCounts: Sendable, Equatable {
    case empty
    /// Counts of all non-null rows folded, on the frozen bins of baseline `baselineId` (one per bin, tails included).
    case tagged(baselineId: UInt64, counts: [UInt64])
    case dropped

    func joined(with other: WindowBinCounts, selfEmpty: Bool, otherEmpty: Bool) -> WindowBinCounts {
        // A state with rows folded is never `empty` (fold moves it to tagged or dropped); the flags guard the
        // case of a state whose feature saw no row.
        switch (self, other) {
        case (_, .empty) where otherEmpty: return self
        case (.empty, _) where selfEmpty: return other
        case let (.tagged(a, x), .tagged(b, y)) where a == b && x.count == y.count:
            return .tagged(baselineId: a, counts: zip(x, y).map { $0 &+ $1 })
        default: return .dropped
        }
    }
}

/// Means and centred co-moments from exact sums.
enum WindowMoments {
    /// Σx / n: the exact sum rounded, divided by n, then corrected once by the exactly computed residual
    /// Σx − n·m₀ (within an ulp of the exact mean; a function of the exact sum only).
    static func mean(_ sum: ExactSum, count n: Int) -> Double {
        let dn = Double(n)
        var m0 = sum.value / dn
        if !m0.isFinite { m0 = sum.value(scaledBy: -64) / dn * 0x1p64 }  // Σx beyond the float64 range
        guard m0.isFinite else { return m0 }
        var residual = sum
        residual.addProduct(-dn, m0)
        let correction = residual.value / dn
        return correction.isFinite ? m0 + correction : m0
    }

    /// Σ(x − mx)(y − my) = Σxy − my·Σx − mx·Σy + n·mx·my, every term added exactly into one ``ExactSum`` (Σx
    /// enters as its rounded value plus its rounded remainder, so the result is within ~2⁻¹⁰⁰·|Σxy| of the exact
    /// centred sum, far below one rounding of it) and rounded once. Products beyond the float64 range make it
    /// ±inf (|x| > 1.3e154 for Σx²). `clampAtZero` for Σ(x − m)², which cannot be negative.
    static func centred(_ sxy: ExactSum, _ sx: ExactSum, _ sy: ExactSum, _ mx: Double, _ my: Double, count n: Int,
                        clampAtZero: Bool) -> Double {
        var acc = sxy
        func addScaled(_ s: ExactSum, by m: Double) {
            let hi = s.value
            guard hi.isFinite else { acc.add(hi * m); return }
            var rest = s
            rest.add(-hi)
            acc.addProduct(m, hi)
            acc.addProduct(m, rest.value)
        }
        addScaled(sx, by: -my)
        addScaled(sy, by: -mx)
        let dn = Double(n)
        let p = dn * mx
        acc.addProduct(p, my)
        if p.isFinite { acc.addProduct((-p).addingProduct(dn, mx), my) }
        let v = acc.value
        if v.isNaN { return .infinity }
        return clampAtZero ? Swift.max(0, v) : v
    }
}
