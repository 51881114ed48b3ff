/// LSD radix sort for floats on their order-preserving bit pattern (8-bit digits: 4 passes for float32,
/// 8 for float64; passes whose digit is the same for every key are skipped).
///
/// The key of a float flips the sign bit of positives and all bits of negatives, so unsigned key order is
/// numeric order (−inf < … < −0 < +0 < … < +inf; callers strip NaN and canonicalise −0 first). Keys start in
/// whichever of the two buffers makes the last pass land in the caller's buffer, and the last pass converts keys
/// back to floats as it scatters, so a sort costs one counting pass plus one pass per digit.
public enum RadixSort {
    /// Below this many values the standard library's introsort is faster than four passes over the data.
    public static let smallSortThreshold = 384

    /// Sorts `values` ascending in place; NaN must not occur.
    /// - Complexity: O(n) time, O(n) scratch.
    public static func sort(_ values: UnsafeMutableBufferPointer<Float>) {
        _sortInPlace(values, key: { $0.bitPattern }, value: { Float(bitPattern: $0) })
    }

    /// Sorts `values` ascending in place; NaN must not occur.
    public static func sort(_ values: UnsafeMutableBufferPointer<Double>) {
        _sortInPlace(values, key: { $0.bitPattern }, value: { Double(bitPattern: $0) })
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

/// Digit width: 8 bits (4 passes for float32, 8 for float64). Measured against 11-bit digits (3 and 6 passes):
/// the extra pass costs less than scattering into 2048 places at once, which overflows the TLB and the
/// write-combining buffers (1e6 float32: 8.5 ms against 13 ms; Benchmarks/README.md).
@inline(__always)
func _digitBits<K: FixedWidthInteger>(_: K.Type) -> Int { 8 }

@inline(__always)
func _radix<K: FixedWidthInteger>(_: K.Type) -> Int { 1 << _digitBits(K.self) }

/// Number of digit passes for keys of type K.
@inline(__always)
func _passes<K: FixedWidthInteger>(_: K.Type) -> Int { (K.bitWidth + _digitBits(K.self) - 1) / _digitBits(K.self) }

/// Size of the per-pass digit histograms for keys of type K.
@inline(__always)
func _histogramSize<K: FixedWidthInteger>(_: K.Type) -> Int { _radix(K.self) * _passes(K.self) }

/// Counts key `k` into the per-pass digit histograms.
@inline(__always)
func _countDigits<K: FixedWidthInteger & UnsignedInteger>(_ k: K, _ hist: UnsafeMutablePointer<UInt32>) {
    let radix = _radix(K.self)
    var shifted = k
    for p in 0..<_passes(K.self) {
        hist[p &* radix &+ Int(truncatingIfNeeded: shifted) & (radix - 1)] &+= 1
        shifted >>= K(_digitBits(K.self))
    }
}

/// True when the keys should start in the caller's own buffer for the last pass to land there (even pass count).
@inline(__always)
func _keysStartInDestination<K: FixedWidthInteger>(_: K.Type) -> Bool { _passes(K.self) % 2 == 0 }

/// Runs the digit passes over `n` keys in `keys`, ping-ponging with `other`; the last pass writes floats.
/// Returns true when the sorted floats ended up in `other` (reinterpreted), false when in `keys`.
@inline(__always)
func _radixPasses<T: DriftFloat, K: FixedWidthInteger & UnsignedInteger>(
    keys: UnsafeMutablePointer<K>, other: UnsafeMutablePointer<K>, count n: Int,
    hist: UnsafeMutablePointer<UInt32>, value: (K) -> T
) -> Bool {
    let radix = _radix(K.self), bits = _digitBits(K.self)
    var live: [Int] = []
    for p in 0..<_passes(K.self) {
        let h = hist + p * radix
        let first = Int(truncatingIfNeeded: keys[0] >> K(p * bits)) & (radix - 1)
        if h[first] != UInt32(truncatingIfNeeded: n) { live.append(p) }  // else: constant digit, skip
    }
    var src = keys, dst = other
    var inOther = false
    if live.isEmpty {
        for i in 0..<n { UnsafeMutableRawPointer(src + i).storeBytes(of: value(_fromKey(src[i])), as: T.self) }
        return false
    }
    for (index, p) in live.enumerated() {
        let h = hist + p * radix
        var sum: UInt32 = 0
        for d in 0..<radix {
            let c = h[d]
            h[d] = sum
            sum &+= c
        }
        let shift = K(p * bits)
        if index == live.count - 1 {
            let out = UnsafeMutableRawPointer(dst)
            for i in 0..<n {
                let k = src[i]
                let d = Int(truncatingIfNeeded: k >> shift) & (radix - 1)
                out.storeBytes(of: value(_fromKey(k)), toByteOffset: Int(h[d]) &* MemoryLayout<T>.stride, as: T.self)
                h[d] &+= 1
            }
        } else {
            for i in 0..<n {
                let k = src[i]
                let d = Int(truncatingIfNeeded: k >> shift) & (radix - 1)
                dst[Int(h[d])] = k
                h[d] &+= 1
            }
        }
        swap(&src, &dst)
        inOther.toggle()
    }
    return inOther
}

@inline(__always)
func _sortInPlace<T: DriftFloat, K: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafeMutableBufferPointer<T>, key: (T) -> K, value: (K) -> T
) {
    precondition(MemoryLayout<T>.stride == MemoryLayout<K>.stride)
    let n = values.count
    if n < RadixSort.smallSortThreshold {
        var v = values
        v.sort()
        return
    }
    let scratch = UnsafeMutablePointer<K>.allocate(capacity: n)
    let hist = UnsafeMutablePointer<UInt32>.allocate(capacity: _histogramSize(K.self))
    defer { scratch.deallocate(); hist.deallocate() }
    hist.initialize(repeating: 0, count: _histogramSize(K.self))
    let own = UnsafeMutableRawPointer(values.baseAddress!).assumingMemoryBound(to: K.self)
    let keys = _keysStartInDestination(K.self) ? own : scratch
    for i in 0..<n {
        let k = _toKey(key(values[i]))
        keys[i] = k
        _countDigits(k, hist)
    }
    let other = keys == own ? scratch : own
    let inOther = _radixPasses(keys: keys, other: other, count: n, hist: hist, value: value)
    let result = inOther ? other : keys
    if result != own { UnsafeMutableRawPointer(own).copyMemory(from: result, byteCount: n * MemoryLayout<K>.stride) }
}
