/// The rank-block kernels of ``IndexedSortedSample`` for float64: a block of 16 values is two 8-lane vectors
/// (two cache lines). Reductions as in `Float+RankKernels.swift`.
extension Double {
    @inline(__always)
    public static func _rankBlockCount(_ p: UnsafePointer<Double>, below x: Double) -> Int {
        let r = UnsafeRawPointer(p)
        let a = r.loadUnaligned(as: SIMD8<Double>.self), b = r.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        let x8 = SIMD8<Double>(repeating: x)
        return _laneCount(a .< x8) + _laneCount(b .< x8)
    }

    @inline(__always)
    public static func _rankBlockCount(_ p: UnsafePointer<Double>, atOrBelow x: Double) -> Int {
        let r = UnsafeRawPointer(p)
        let a = r.loadUnaligned(as: SIMD8<Double>.self), b = r.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        let x8 = SIMD8<Double>(repeating: x)
        return _laneCount(a .<= x8) + _laneCount(b .<= x8)
    }

    @inline(__always)
    public static func _rankBlockCounts(_ p: UnsafePointer<Double>, _ x: Double) -> (below: Int, atOrBelow: Int) {
        let r = UnsafeRawPointer(p)
        let a = r.loadUnaligned(as: SIMD8<Double>.self), b = r.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        let x8 = SIMD8<Double>(repeating: x)
        // lanes are 0 or −1: one reduction of (below + 256 · atOrBelow)
        let lanes = (a .< x8)._storage &+ (b .< x8)._storage &+ (((a .<= x8)._storage &+ (b .<= x8)._storage) &<< 8)
        let both = _laneCount(lanes)
        return (both & 0xFF, both >> 8)
    }

    @inline(__always)
    public static func _rankBlockPrefixSum(_ p: UnsafePointer<Double>, count: Int, pivot: Double) -> Double {
        let r = UnsafeRawPointer(p)
        let a = r.loadUnaligned(as: SIMD8<Double>.self), b = r.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        let c = SIMD8<Double>(repeating: pivot)
        let lane = SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7), k = SIMD8<Int64>(repeating: Int64(count))
        let s = SIMD8<Double>().replacing(with: a - c, where: lane .< k) + SIMD8<Double>().replacing(with: b - c, where: lane &+ 8 .< k)
        return _laneSum(s)
    }
}
