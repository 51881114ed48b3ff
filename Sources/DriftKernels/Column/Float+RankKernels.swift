/// The rank-block kernels of ``IndexedSortedSample`` for float32: one 16-lane compare per block (64 bytes), the
/// partial sums widened to float64 in two 8-lane halves (exact: every float32 is a float64).
extension Float {
    public static func _rankBlockCount(_ p: UnsafePointer<Float>, below x: Float) -> Int {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        return Int(0 &- (v .< SIMD16<Float>(repeating: x))._storage.wrappedSum())
    }

    public static func _rankBlockCount(_ p: UnsafePointer<Float>, atOrBelow x: Float) -> Int {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        return Int(0 &- (v .<= SIMD16<Float>(repeating: x))._storage.wrappedSum())
    }

    public static func _rankBlockSum(_ p: UnsafePointer<Float>, below x: Float, pivot: Double) -> (count: Int, sum: Double) {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        let below = v .< SIMD16<Float>(repeating: x)
        let count = Int(0 &- below._storage.wrappedSum())
        let c = SIMD8<Double>(repeating: pivot)
        let lo = SIMD8<Double>(v.lowHalf) - c, hi = SIMD8<Double>(v.highHalf) - c
        let kl = SIMDMask<SIMD8<Int64>>(SIMD8<Int64>(truncatingIfNeeded: below._storage.lowHalf))
        let kh = SIMDMask<SIMD8<Int64>>(SIMD8<Int64>(truncatingIfNeeded: below._storage.highHalf))
        let s = SIMD8<Double>().replacing(with: lo, where: kl) + SIMD8<Double>().replacing(with: hi, where: kh)
        return (count, s.sum())
    }

    public static func _rankBlockPrefixSum(_ p: UnsafePointer<Float>, count: Int, pivot: Double) -> Double {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        let c = SIMD8<Double>(repeating: pivot)
        let lo = SIMD8<Double>(v.lowHalf) - c, hi = SIMD8<Double>(v.highHalf) - c
        let lane = SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7), k = SIMD8<Int64>(repeating: Int64(count))
        let s = SIMD8<Double>().replacing(with: lo, where: lane .< k)
            + SIMD8<Double>().replacing(with: hi, where: lane &+ 8 .< k)
        return s.sum()
    }
}
