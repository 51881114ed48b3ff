extension ExactSum {
    /// Appends the canonical bytes of the sum (layout in the type's documentation).
    func encode(into w: inout _Writer) {
        w.u64(positiveInfinityCount)
        w.u64(negativeInfinityCount)
        w.u64(nanCount)
        let (negative, m) = signAndMagnitude()
        guard let low = m.firstIndex(where: { $0 != 0 }), let high = m.lastIndex(where: { $0 != 0 }) else {
            w.u8(0); w.u16(0); w.u16(0)
            return
        }
        w.u8(negative ? 1 : 0)
        w.u16(UInt16(low))
        w.u16(UInt16(high - low + 1))
        for i in low...high { w.u32(m[i]) }
    }

    /// A sum from its parts: the special counts and the sign and magnitude limbs (limb `low + i` = `limbs[i]`).
    /// - Precondition: `low + limbs.count < limbCount` (the top limb is headroom).
    init(positiveInfinities: UInt64, negativeInfinities: UInt64, nans: UInt64, negative: Bool, low: Int, limbs: [UInt32]) {
        self.init()
        precondition(low + limbs.count < Self.limbCount)
        positiveInfinityCount = positiveInfinities
        negativeInfinityCount = negativeInfinities
        nanCount = nans
        for (i, l) in limbs.enumerated() { self.limbs[low + i] = Int64(l) }
        if negative {
            // negate the normalized non-negative vector in place (two's complement over 32-bit limbs)
            var borrow: Int64 = 0
            for i in 0..<Self.limbCount {
                let v = 0 &- self.limbs[i] &- borrow
                if i == Self.limbCount - 1 {
                    self.limbs[i] = v
                } else {
                    self.limbs[i] = v & 0xFFFF_FFFF
                    borrow = v < 0 ? 1 : 0
                }
            }
        }
    }
}
