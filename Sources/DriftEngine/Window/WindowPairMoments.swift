import DriftKernels

/// Exact sums of one declared pair over the rows where both values are non-null and finite: count, Σx, Σy,
/// Σx², Σy², Σxy (products added exactly as value plus rounding error), so merging is exact and
/// order-independent. ``coMoments`` computes the means from the exact sums and centres exactly
/// (``WindowMoments``), so the co-moments carry no cancellation error beyond one final rounding each.
struct WindowPairMoments: Sendable, Equatable {
    var count: UInt64 = 0
    var sx = ExactSum(), sy = ExactSum(), sxx = ExactSum(), syy = ExactSum(), sxy = ExactSum()

    @inline(__always)
    mutating func fold(_ x: Double, _ y: Double) {
        guard x.isFinite, y.isFinite else { return }
        count &+= 1
        sx.add(x)
        sy.add(y)
        sxx.addProduct(x, x)
        syy.addProduct(y, y)
        sxy.addProduct(x, y)
    }

    mutating func merge(_ other: WindowPairMoments) {
        count &+= other.count
        sx.add(other.sx)
        sy.add(other.sy)
        sxx.add(other.sxx)
        syy.add(other.syy)
        sxy.add(other.sxy)
    }

    /// Two-dimensional co-moments (x at index 0).
    var coMoments: CoMoments {
        let n = Int(count)
        guard n > 0 else { return CoMoments(dimension: 2) }
        let mx = WindowMoments.mean(sx, count: n), my = WindowMoments.mean(sy, count: n)
        let cxx = WindowMoments.centred(sxx, sx, sx, mx, mx, count: n, clampAtZero: true)
        let cyy = WindowMoments.centred(syy, sy, sy, my, my, count: n, clampAtZero: true)
        let cxy = WindowMoments.centred(sxy, sx, sy, mx, my, count: n, clampAtZero: false)
        return try! CoMoments(count: n, means: [mx, my], comoments: [cxx, cxy, cxy, cyy])
    }
}
