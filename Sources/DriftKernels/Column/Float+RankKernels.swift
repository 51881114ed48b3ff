/// The rank-block kernels of ``IndexedSortedSample`` for float32: one 16-lane compare per block (64 bytes), the
/// partial sums widened to float64 in two 8-lane halves (exact: every float32 is a float64).
///
/// Written against concrete vector types with hand-made reductions: the standard library's generic
/// `wrappedSum()`, `sum()` and widening initialisers may stay out-of-line calls (and `sum()` is a serial chain).
extension Float {
    @inline(__always)
    public static func _rankBlockCount(_ p: UnsafePointer<Float>, below x: Float) -> Int {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        return _laneCount(v .< SIMD16<Float>(repeating: x))
    }

    @inline(__always)
    public static func _rankBlockCount(_ p: UnsafePointer<Float>, atOrBelow x: Float) -> Int {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        return _laneCount(v .<= SIMD16<Float>(repeating: x))
    }

    @inline(__always)
    public static func _rankBlockCounts(_ p: UnsafePointer<Float>, _ x: Float) -> (below: Int, atOrBelow: Int) {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self), x16 = SIMD16<Float>(repeating: x)
        // lanes are 0 or −1: one reduction of (below + 256 · atOrBelow)
        let both = _laneCount((v .< x16)._storage &+ ((v .<= x16)._storage &<< 8))
        return (both & 0xFF, both >> 8)
    }

    @inline(__always)
    public static func _rankBlockPrefixSum(_ p: UnsafePointer<Float>, count: Int, pivot: Double) -> Double {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        let c = SIMD8<Double>(repeating: pivot)
        let lo = _widen(v.lowHalf) - c, hi = _widen(v.highHalf) - c
        let lane = SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7), k = SIMD8<Int64>(repeating: Int64(count))
        let s = SIMD8<Double>().replacing(with: lo, where: lane .< k) + SIMD8<Double>().replacing(with: hi, where: lane &+ 8 .< k)
        return _laneSum(s)
    }
}

/// Number of true lanes.
@inline(__always)
func _laneCount(_ m: SIMDMask<SIMD16<Int32>>) -> Int { _laneCount(m._storage) }

/// The negated sum of the lanes (lanes of a mask are 0 or −1), as a fixed shuffle tree: the standard library's
/// `wrappedSum()` and a lane loop compile to anything from movemask + popcount to sixteen lane extractions,
/// depending on the surrounding code.
@inline(__always)
func _laneCount(_ s: SIMD16<Int32>) -> Int {
    let s8 = s.lowHalf &+ s.highHalf
    let s4 = s8.lowHalf &+ s8.highHalf
    let s2 = s4.lowHalf &+ s4.highHalf
    return Int(0 &- (s2[0] &+ s2[1]))
}

/// Number of true lanes.
@inline(__always)
func _laneCount(_ m: SIMDMask<SIMD8<Int64>>) -> Int { _laneCount(m._storage) }

/// The negated sum of the lanes (lanes of a mask are 0 or −1).
@inline(__always)
func _laneCount(_ s: SIMD8<Int64>) -> Int {
    let s4 = s.lowHalf &+ s.highHalf
    let s2 = s4.lowHalf &+ s4.highHalf
    return Int(0 &- (s2[0] &+ s2[1]))
}

/// Pairwise sum of the lanes (a fixed order, so the result is deterministic).
@inline(__always)
func _laneSum(_ v: SIMD8<Double>) -> Double {
    let s4 = v.lowHalf + v.highHalf
    let s2 = s4.lowHalf + s4.highHalf
    return s2[0] + s2[1]
}

/// float32 lanes widened to float64 (exact).
@inline(__always)
func _widen(_ v: SIMD8<Float>) -> SIMD8<Double> {
    var r = SIMD8<Double>()
    for i in 0..<8 { r[i] = Double(v[i]) }
    return r
}
