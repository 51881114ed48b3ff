/// The exact sum of float64 values: a long (fixed-point) accumulator covering the whole float64 range, so the
/// sum does not depend on the order of the additions, partial sums merge exactly, and ``value`` is the exact sum
/// rounded once (round to nearest, ties to even) — what Python's `math.fsum` returns.
///
/// Representation: the exact sum of the finite values added, as an integer multiple of 2⁻¹⁰⁷⁴ (the smallest
/// subnormal) held in ``limbCount`` signed 64-bit limbs of 32 bits each (limb i weighs 2^(32i − 1074)); a value's
/// 53-bit significand lands in at most three limbs. Limbs carry lazily: each addition changes a limb by less than
/// 2³², so carries are propagated only every 2³⁰ additions and before reading. 70 limbs hold 2 240 bits: the
/// 2 098 bits of the float64 range plus 142 bits of headroom, so even 2⁶⁴ additions of the largest double cannot
/// overflow. ±infinity and NaN are counted apart (``positiveInfinityCount``, ``negativeInfinityCount``,
/// ``nanCount``) and decide ``value`` as IEEE addition would, whatever the order: any NaN, or both infinities,
/// give NaN; otherwise an infinity gives that infinity.
///
/// ``value`` of a finite exact sum that rounds beyond the largest double is ±infinity (IEEE overflow; `math.fsum`
/// raises `OverflowError` there instead).
///
/// Cost: `add` is a few integer operations (no branch on the data beyond the finite check); `value` is O(limbs).
///
/// ## Binary layout (inside a ``WindowState`` blob)
///
/// ```
///  +-----------+-----------+-----------+--------+---------+---------+--------------------------+
///  | +inf u64  | −inf u64  | NaN u64   | sign u8| low u16 | n u16   | n × u32 magnitude limbs  |
///  +-----------+-----------+-----------+--------+---------+---------+--------------------------+
///    sign: 0 = ≥ 0, 1 = < 0; magnitude limbs low … low + n − 1 (n = 0 for a zero sum, then sign = 0 and
///    low = 0); limb low and limb low + n − 1 are non-zero (canonical: one encoding per sum)
/// ```
public struct ExactSum: Sendable {
    /// Number of 32-bit limbs (see the type's documentation).
    public static let limbCount = 70

    var limbs: [Int64]
    /// Additions since the last carry propagation.
    var pending: Int = 0
    /// Number of +infinity values added.
    public internal(set) var positiveInfinityCount: UInt64 = 0
    /// Number of −infinity values added.
    public internal(set) var negativeInfinityCount: UInt64 = 0
    /// Number of NaN values added.
    public internal(set) var nanCount: UInt64 = 0

    /// An empty sum (value 0).
    public init() { limbs = [Int64](repeating: 0, count: Self.limbCount) }

    /// The sum of `values`.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        self.init()
        for x in values { add(x) }
    }

    /// Adds one value (finite: exactly; ±inf and NaN: counted).
    @inline(__always)
    public mutating func add(_ x: Double) {
        guard x.isFinite else {
            if x.isNaN { nanCount &+= 1 } else if x > 0 { positiveInfinityCount &+= 1 } else { negativeInfinityCount &+= 1 }
            return
        }
        let bits = x.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        var significand = bits & 0x000F_FFFF_FFFF_FFFF
        if biased != 0 { significand |= 1 << 52 }
        if significand == 0 { return }
        let position = Swift.max(biased, 1) - 1  // bit position of the significand's last bit above 2^-1074
        let limb = position >> 5, shift = UInt64(position & 31)
        let low = significand << shift                       // bits 0 … 63 of significand · 2^shift
        let high = shift == 0 ? 0 : significand >> (64 - shift)  // bits 64 … 84
        let l0 = Int64(low & 0xFFFF_FFFF), l1 = Int64(low >> 32), l2 = Int64(high)
        if bits >> 63 == 0 {
            limbs[limb] &+= l0
            limbs[limb + 1] &+= l1
            limbs[limb + 2] &+= l2
        } else {
            limbs[limb] &-= l0
            limbs[limb + 1] &-= l1
            limbs[limb + 2] &-= l2
        }
        pending += 1
        if pending >= 1 << 30 { normalize() }
    }

    /// Adds the exact product a·b (as the pair p + e with p = a·b rounded, e = fma(a, b, −p)). Exact unless the
    /// product overflows (then p, an infinity, is added) or its rounding error falls below the subnormal range
    /// (|a·b| < 2⁻⁹⁶⁹ or so, where e itself is rounded).
    @inline(__always)
    public mutating func addProduct(_ a: Double, _ b: Double) {
        let p = a * b
        add(p)
        if p.isFinite { add((-p).addingProduct(a, b)) }
    }

    /// Adds another sum (exactly).
    public mutating func add(_ other: ExactSum) {
        var o = other
        o.normalize()
        normalize()
        for i in 0..<Self.limbCount { limbs[i] &+= o.limbs[i] }
        pending = 1
        normalize()
        positiveInfinityCount &+= other.positiveInfinityCount
        negativeInfinityCount &+= other.negativeInfinityCount
        nanCount &+= other.nanCount
    }

    /// Propagates carries: afterwards limbs 0 … n−2 are in 0 ..< 2³² and the top limb holds the signed rest.
    mutating func normalize() {
        guard pending > 0 else { return }
        var carry: Int64 = 0
        for i in 0..<(Self.limbCount - 1) {
            let v = limbs[i] &+ carry
            limbs[i] = v & 0xFFFF_FFFF
            carry = v >> 32  // arithmetic shift: floor division
        }
        limbs[Self.limbCount - 1] &+= carry
        pending = 0
    }

    /// The sign and the magnitude limbs (each in 0 ..< 2³²) of the finite part.
    func signAndMagnitude() -> (negative: Bool, magnitude: [UInt32]) {
        var s = self
        s.normalize()
        let negative = s.limbs[Self.limbCount - 1] < 0
        var magnitude = [UInt32](repeating: 0, count: Self.limbCount)
        if negative {
            // two's complement negation over the limb vector
            var borrow: Int64 = 0
            for i in 0..<Self.limbCount {
                let v = 0 &- s.limbs[i] &- borrow
                magnitude[i] = UInt32(truncatingIfNeeded: v & 0xFFFF_FFFF)
                borrow = v < 0 ? 1 : 0
                if i == Self.limbCount - 1 { precondition(v >= 0 && v < 1 << 32, "ExactSum headroom exceeded") }
            }
        } else {
            for i in 0..<Self.limbCount {
                precondition(s.limbs[i] < 1 << 32, "ExactSum headroom exceeded")
                magnitude[i] = UInt32(truncatingIfNeeded: s.limbs[i])
            }
        }
        return (negative, magnitude)
    }

    /// The finite part is exactly zero.
    public var isZero: Bool {
        var s = self
        s.normalize()
        return s.limbs.allSatisfy { $0 == 0 }
    }

    /// The exact sum rounded to the nearest double (ties to even); ±inf / NaN as described in the type's
    /// documentation.
    public var value: Double { value(scaledBy: 0) }

    /// The exact sum times 2^`exponent`, rounded once to the nearest double (ties to even). Scaling keeps a
    /// mean computable when the sum itself exceeds the float64 range.
    public func value(scaledBy exponent: Int) -> Double {
        if nanCount > 0 || (positiveInfinityCount > 0 && negativeInfinityCount > 0) { return .nan }
        if positiveInfinityCount > 0 { return .infinity }
        if negativeInfinityCount > 0 { return -.infinity }
        let (negative, m) = signAndMagnitude()
        guard let top = m.lastIndex(where: { $0 != 0 }) else { return 0 }
        let highest = top * 32 + (31 - m[top].leadingZeroBitCount)  // position of the leading 1 bit
        func bit(_ p: Int) -> UInt64 { p < 0 || p > highest ? 0 : UInt64((m[p >> 5] >> UInt32(p & 31)) & 1) }
        // The value is integer · 2^(-1074 + exponent). Keep the 53 bits from the leading one when the result is
        // normal; when the scaled leading bit lies in the subnormal range, keep the bits down to 2^-1074 (scaled).
        let scaledHighest = highest - 1074 + exponent          // exponent of the leading bit
        let lowest = scaledHighest >= -1022 ? highest - 52 : -exponent  // position of the last kept bit
        var significand: UInt64 = 0
        for p in Swift.stride(from: highest, through: Swift.max(lowest, 0), by: -1) { significand = significand << 1 | bit(p) }
        if lowest < 0 { significand <<= UInt64(-lowest) }      // the integer has fewer bits than kept: exact
        if lowest > 0 {
            let round = bit(lowest - 1)
            var sticky = false
            let stickyTop = lowest - 2
            if stickyTop > highest {
                sticky = true  // every non-zero bit lies below the rounding position
            } else if stickyTop >= 0 {
                let limb = stickyTop >> 5
                let mask: UInt32 = (stickyTop & 31) == 31 ? .max : (UInt32(1) << UInt32((stickyTop & 31) + 1)) - 1
                sticky = m[limb] & mask != 0 || m[..<limb].contains { $0 != 0 }
            }
            if round == 1 && (sticky || significand & 1 == 1) { significand += 1 }
        }
        // significand · 2^(lowest − 1074 + exponent); the conversion and the power-of-two scaling are exact (the
        // significand has ≤ 54 bits only when it just carried into a power of two)
        let magnitude = Double(sign: .plus, exponent: lowest - 1074 + exponent, significand: Double(significand))
        return negative ? -magnitude : magnitude
    }
}

extension ExactSum: Equatable {
    /// Equal exact sums and equal special counts (whatever the order of the additions).
    public static func == (a: ExactSum, b: ExactSum) -> Bool {
        var x = a, y = b
        x.normalize()
        y.normalize()
        return x.limbs == y.limbs && a.positiveInfinityCount == b.positiveInfinityCount
            && a.negativeInfinityCount == b.negativeInfinityCount && a.nanCount == b.nanCount
    }
}
