extension Float {
    public static func _blockMoments(_ p: UnsafeRawPointer, count: Int) -> _BlockMoments? {
        var s0 = SIMD16<Float>(), s1 = SIMD16<Float>()
        var lo = SIMD16<Float>(repeating: .infinity), hi = SIMD16<Float>(repeating: -.infinity)
        var probe = SIMD16<Float>()
        var off = 0
        for _ in 0..<(count / 32) {
            let a = p.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
            let b = p.loadUnaligned(fromByteOffset: off + 64, as: SIMD16<Float>.self)
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
        let sv = s0 + s1
        var sum = 0.0
        for i in 0..<16 { sum += Double(sv[i]) }
        let centre = Float(sum / Double(count))
        let c = SIMD16<Float>(repeating: centre)
        var q0 = SIMD16<Float>(), q1 = SIMD16<Float>()
        off = 0
        for _ in 0..<(count / 32) {
            let a = p.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self) - c
            let b = p.loadUnaligned(fromByteOffset: off + 64, as: SIMD16<Float>.self) - c
            q0 = q0.addingProduct(a, a)
            q1 = q1.addingProduct(b, b)
            off += 128
        }
        let qv = q0 + q1
        var m2 = 0.0
        for i in 0..<16 { m2 += Double(qv[i]) }
        return _BlockMoments(count: count, sum: sum, minimum: Double(lo.min()), maximum: Double(hi.max()),
                             m2AroundCentre: m2, centre: Double(centre))
    }

    public static func _blockBinIndices(_ p: UnsafeRawPointer, edges: UnsafeBufferPointer<Float>,
                                        into index: UnsafeMutablePointer<Int32>) -> Int {
        var nanLanes = SIMD16<Int32>()
        let k = edges.count
        for v in 0..<(_binBlock / 16) {
            let x = p.loadUnaligned(fromByteOffset: v * 64, as: SIMD16<Float>.self)
            var acc = SIMD16<Int32>()
            for e in 0..<k {
                acc &-= (SIMD16<Float>(repeating: edges[e]) .<= x)._storage
            }
            nanLanes &-= (x .!= x)._storage
            UnsafeMutableRawPointer(index + v * 16).storeBytes(of: acc, as: SIMD16<Int32>.self)
        }
        return Int(nanLanes.wrappedSum())
    }

    public static func _countAtOrBelow32(_ p: UnsafeRawPointer, _ x: Float) -> Int {
        let v = SIMD16<Float>(repeating: x)
        let a = p.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
        let b = p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        let lanes: SIMD16<Int32> = (a .<= v)._storage &+ (b .<= v)._storage
        return -Int(lanes.wrappedSum())
    }
}
