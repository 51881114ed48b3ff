/// The rank-block kernels of ``IndexedSortedSample`` for float64: a block of 16 values is two 8-lane vectors
/// (two cache lines).
extension Double {
    public static func _rankBlockCount(_ p: UnsafePointer<Double>, below x: Double) -> Int {
        let r = UnsafeRawPointer(p)
        let a = r.loadUnaligned(as: SIMD8<Double>.self), b = r.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        let x8 = SIMD8<Double>(repeating: x)
        return Int(0 &- ((a .< x8)._storage &+ (b .< x8)._storage).wrappedSum())
    }

    public static func _rankBlockCount(_ p: UnsafePointer<Double>, atOrBelow x: Double) -> Int {
        let r = UnsafeRawPointer(p)
        let a = r.loadUnaligned(as: SIMD8<Double>.self), b = r.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        let x8 = SIMD8<Double>(repeating: x)
        return Int(0 &- ((a .<= x8)._storage &+ (b .<= x8)._storage).wrappedSum())
    }

    public static func _rankBlockSum(_ p: UnsafePointer<Double>, below x: Double, pivot: Double) -> (count: Int, sum: Double) {
        let r = UnsafeRawPointer(p)
        let a = r.loadUnaligned(as: SIMD8<Double>.self), b = r.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        let x8 = SIMD8<Double>(repeating: x), c = SIMD8<Double>(repeating: pivot)
        let ka = a .< x8, kb = b .< x8
        let count = Int(0 &- (ka._storage &+ kb._storage).wrappedSum())
        let s = SIMD8<Double>().replacing(with: a - c, where: ka) + SIMD8<Double>().replacing(with: b - c, where: kb)
        return (count, s.sum())
    }

    public static func _rankBlockPrefixSum(_ p: UnsafePointer<Double>, count: Int, pivot: Double) -> Double {
        let r = UnsafeRawPointer(p)
        let a = r.loadUnaligned(as: SIMD8<Double>.self), b = r.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        let c = SIMD8<Double>(repeating: pivot)
        let lane = SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7), k = SIMD8<Int64>(repeating: Int64(count))
        let s = SIMD8<Double>().replacing(with: a - c, where: lane .< k)
            + SIMD8<Double>().replacing(with: b - c, where: lane &+ 8 .< k)
        return s.sum()
    }
}
