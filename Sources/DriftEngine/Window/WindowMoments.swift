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
