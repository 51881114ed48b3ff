extension Double {
    public static func _blockMoments(_ p: UnsafeRawPointer, count: Int) -> _BlockMoments? {
        var s0 = SIMD8<Double>(), s1 = SIMD8<Double>()
        var lo = SIMD8<Double>(repeating: .infinity), hi = SIMD8<Double>(repeating: -.infinity)
        var probe = SIMD8<Double>()
        var off = 0
        for _ in 0..<(count / 16) {
            let a = p.loadUnaligned(fromByteOffset: off, as: SIMD8<Double>.self)
            let b = p.loadUnaligned(fromByteOffset: off + 64, as: SIMD8<Double>.self)
            s0 += a
            s1 += b
            probe += (a - a) + (b - b)  // x − x is NaN exactly for NaN and ±inf
            lo = lo.replacing(with: a, where: a .< lo)
            hi = hi.replacing(with: a, where: a .> hi)
            lo = lo.replacing(with: b, where: b .< lo)
            hi = hi.replacing(with: b, where: b .> hi)
            off += 128
        }
        if probe.sum().isNaN { return nil }  // (a sum or square that overflows is caught below)
        let sum = (s0 + s1).sum()
        let centre = sum / Double(count)
        let c = SIMD8<Double>(repeating: centre)
        var q0 = SIMD8<Double>(), q1 = SIMD8<Double>()
        off = 0
        for _ in 0..<(count / 16) {
            let a = p.loadUnaligned(fromByteOffset: off, as: SIMD8<Double>.self) - c
            let b = p.loadUnaligned(fromByteOffset: off + 64, as: SIMD8<Double>.self) - c
            q0 = q0.addingProduct(a, a)
            q1 = q1.addingProduct(b, b)
            off += 128
        }
        return _BlockMoments(count: count, sum: sum, minimum: lo.min(), maximum: hi.max(),
                             m2AroundCentre: (q0 + q1).sum(), centre: centre)
    }

    public static func _blockBinIndices(_ p: UnsafeRawPointer, edges: UnsafeBufferPointer<Double>,
                                        into index: UnsafeMutablePointer<Int32>) -> Int {
        var nanLanes = SIMD8<Int64>()
        let k = edges.count
        for v in 0..<(_binBlock / 8) {
            let x = p.loadUnaligned(fromByteOffset: v * 64, as: SIMD8<Double>.self)
            var acc = SIMD8<Int64>()
            for e in 0..<k {
                acc &-= (SIMD8<Double>(repeating: edges[e]) .<= x)._storage
            }
            nanLanes &-= (x .!= x)._storage
            UnsafeMutableRawPointer(index + v * 8).storeBytes(of: SIMD8<Int32>(truncatingIfNeeded: acc),
                                                             as: SIMD8<Int32>.self)
        }
        return Int(nanLanes.wrappedSum())
    }

    public static func _countAtOrBelow32(_ p: UnsafeRawPointer, _ x: Double) -> Int {
        let v = SIMD8<Double>(repeating: x)
        var acc = SIMD8<Int64>()
        for i in 0..<4 { acc &+= (p.loadUnaligned(fromByteOffset: 64 * i, as: SIMD8<Double>.self) .<= v)._storage }
        return -Int(acc.wrappedSum())
    }
}
