/// LSD radix sort for floats on their order-preserving bit pattern (11-bit digits: 3 passes for float32,
/// 6 for float64; passes whose digit is the same for every key are skipped).
///
/// The key of a float flips the sign bit of positives and all bits of negatives, so unsigned key order is
/// numeric order (−inf < … < −0 < +0 < … < +inf; callers strip NaN and canonicalise −0 first).
public enum RadixSort {
    /// Below this many values the standard library's introsort is faster than four passes over the data.
    public static let smallSortThreshold = 384

    /// Sorts `values` ascending in place; NaN must not occur.
    /// - Complexity: O(n) time, O(n) scratch.
    public static func sort(_ values: UnsafeMutableBufferPointer<Float>) {
        _radixSort(values, key: { $0.bitPattern }, value: { Float(bitPattern: $0) })
    }

    /// Sorts `values` ascending in place; NaN must not occur.
    public static func sort(_ values: UnsafeMutableBufferPointer<Double>) {
        _radixSort(values, key: { $0.bitPattern }, value: { Double(bitPattern: $0) })
    }

    public static func sort(_ values: inout [Float]) { values.withUnsafeMutableBufferPointer { sort($0) } }
    public static func sort(_ values: inout [Double]) { values.withUnsafeMutableBufferPointer { sort($0) } }
}

@inline(__always)
func _toKey<K: FixedWidthInteger & UnsignedInteger>(_ bits: K) -> K {
    let signBit = K(1) << (K.bitWidth - 1)
    // negative: flip all bits; positive: flip the sign bit.
    let mask = (bits & signBit) != 0 ? ~K(0) : signBit
    return bits ^ mask
}

@inline(__always)
func _fromKey<K: FixedWidthInteger & UnsignedInteger>(_ key: K) -> K {
    let signBit = K(1) << (K.bitWidth - 1)
    let mask = (key & signBit) != 0 ? signBit : ~K(0)
    return key ^ mask
}

@inline(__always)
func _radixSort<T: DriftFloat, K: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafeMutableBufferPointer<T>, key: (T) -> K, value: (K) -> T
) {
    precondition(MemoryLayout<T>.stride == MemoryLayout<K>.stride)
    let n = values.count
    if n < RadixSort.smallSortThreshold {
        var v = values
        v.sort()
        return
    }
    let digitBits = 11
    let radix = 1 << digitBits
    let passes = (K.bitWidth + digitBits - 1) / digitBits
    let scratch = UnsafeMutableBufferPointer<K>.allocate(capacity: n)
    let hist = UnsafeMutableBufferPointer<Int>.allocate(capacity: radix * passes)
    defer { scratch.deallocate(); hist.deallocate() }
    hist.initialize(repeating: 0)
    // The values' own memory holds keys while sorting (same size): no third buffer.
    let own = UnsafeMutableBufferPointer<K>(
        start: UnsafeMutableRawPointer(values.baseAddress!).assumingMemoryBound(to: K.self), count: n)
    // One pass: keys into scratch, and every digit's histogram.
    for i in 0..<n {
        let k = _toKey(key(values[i]))
        scratch[i] = k
        var shifted = k
        for p in 0..<passes {
            hist[p &* radix &+ Int(truncatingIfNeeded: shifted) & (radix - 1)] &+= 1
            shifted >>= K(digitBits)
        }
    }
    var src = scratch, dst = own
    for p in 0..<passes {
        let h = hist.baseAddress! + p * radix
        // Skip a pass whose digit is constant.
        let first = Int(truncatingIfNeeded: src[0] >> K(p * digitBits)) & (radix - 1)
        if h[first] == n { continue }
        var sum = 0
        for d in 0..<radix {
            let c = h[d]
            h[d] = sum
            sum &+= c
        }
        let shift = K(p * digitBits)
        for i in 0..<n {
            let k = src[i]
            let d = Int(truncatingIfNeeded: k >> shift) & (radix - 1)
            dst[h[d]] = k
            h[d] &+= 1
        }
        swap(&src, &dst)
    }
    // Keys back to values, in the values' memory.
    if src.baseAddress == own.baseAddress {
        for i in 0..<n { values[i] = value(_fromKey(own[i])) }
    } else {
        for i in 0..<n { values[i] = value(_fromKey(scratch[i])) }
    }
}
