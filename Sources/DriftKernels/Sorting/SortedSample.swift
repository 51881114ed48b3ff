/// The non-null values of a numeric column, sorted: what exact KS and Wasserstein need from each side.
///
/// Finite values are stored ascending (−0 folded into +0) and followed by ``paddingCount`` copies of +inf,
/// so merge kernels may read a whole SIMD vector past the last value; ±inf values are kept as counts.
/// A baseline is sorted once and reused for every comparison.
public struct SortedSample<T: DriftFloat>: Sendable {
    /// Sentinel +inf values stored after the finite values.
    public static var paddingCount: Int { 16 }

    /// Finite values ascending, then `paddingCount` × +inf.
    public let storage: [T]
    public let negativeInfinityCount: Int
    public let positiveInfinityCount: Int
    /// Rows that were null (NaN or invalid), for reference.
    public let nullCount: Int

    /// Number of finite values.
    public var finiteCount: Int { storage.count - Self.paddingCount }
    /// Number of non-null values (finite and infinite): the sample size of the tests.
    public var count: Int { finiteCount + negativeInfinityCount + positiveInfinityCount }

    /// The sorted finite values.
    public func withFiniteValues<R>(_ body: (UnsafeBufferPointer<T>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<finiteCount])) }
    }

    /// Builds a sample from already sorted finite values (no check beyond debug builds).
    public init(sortedFinite: [T], negativeInfinityCount: Int = 0, positiveInfinityCount: Int = 0, nullCount: Int = 0) {
        storage = sortedFinite + [T](repeating: .infinity, count: Self.paddingCount)
        self.negativeInfinityCount = negativeInfinityCount
        self.positiveInfinityCount = positiveInfinityCount
        self.nullCount = nullCount
    }
}

extension SortedSample where T == Float {
    /// Drops nulls, separates ±inf, and radix-sorts the rest.
    /// - Complexity: O(n): one compaction pass that also counts digits, then four 8-bit digit passes.
    public init(_ values: UnsafeBufferPointer<Float>, validity: ValidityBitmap? = nil) {
        self = _makeSorted(values, validity, key: { $0.bitPattern }, value: { Float(bitPattern: $0) })
    }

    public init(_ values: [Float], validity: ValidityBitmap? = nil) {
        self = values.withUnsafeBufferPointer { SortedSample($0, validity: validity) }
    }
}

extension SortedSample where T == Double {
    /// Drops nulls, separates ±inf, and radix-sorts the rest.
    /// - Complexity: O(n): one compaction pass that also counts digits, then eight 8-bit digit passes.
    public init(_ values: UnsafeBufferPointer<Double>, validity: ValidityBitmap? = nil) {
        self = _makeSorted(values, validity, key: { $0.bitPattern }, value: { Double(bitPattern: $0) })
    }

    public init(_ values: [Double], validity: ValidityBitmap? = nil) {
        self = values.withUnsafeBufferPointer { SortedSample($0, validity: validity) }
    }
}

/// Compaction (nulls and ±inf out, −0 folded into +0) fused with the radix sort's key and digit-count pass; the
/// last digit pass writes the sorted floats straight into the sample's storage.
@inline(__always)
func _makeSorted<T: DriftFloat, K: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafeBufferPointer<T>, _ validity: ValidityBitmap?, key: (T) -> K, value: (K) -> T
) -> SortedSample<T> {
    var negInf = 0, posInf = 0, nulls = 0
    var finite = 0
    let n = values.count
    let pad = SortedSample<T>.paddingCount
    let scratch = UnsafeMutablePointer<K>.allocate(capacity: Swift.max(n, 1))
    let hist = UnsafeMutablePointer<UInt32>.allocate(capacity: _histogramSize(K.self))
    defer { scratch.deallocate(); hist.deallocate() }
    hist.initialize(repeating: 0, count: _histogramSize(K.self))
    let storage = [T](unsafeUninitializedCapacity: n + pad) { buf, initialized in
        let own = UnsafeMutableRawPointer(buf.baseAddress!).assumingMemoryBound(to: K.self)
        let keys = _keysStartInDestination(K.self) ? own : scratch
        for i in 0..<n {
            let x = values[i]
            if let v = validity, !v.isValid(i) { nulls += 1; continue }
            if x.isNaN { nulls += 1; continue }
            if x.isInfinite { if x > 0 { posInf += 1 } else { negInf += 1 }; continue }
            let k = _toKey(key(x + 0))  // x + 0 folds −0 into +0
            keys[finite] = k
            _countDigits(k, hist)
            finite += 1
        }
        if finite < RadixSort.smallSortThreshold {
            for i in 0..<finite { buf[i] = value(_fromKey(keys[i])) }
            var head = UnsafeMutableBufferPointer(rebasing: buf[0..<finite])
            head.sort()
        } else {
            let other = keys == own ? scratch : own
            let inOther = _radixPasses(keys: keys, other: other, count: finite, hist: hist, value: value)
            let result = inOther ? other : keys
            if result != own { UnsafeMutableRawPointer(own).copyMemory(from: result, byteCount: finite * MemoryLayout<K>.stride) }
        }
        for i in finite..<(finite + pad) { buf[i] = .infinity }
        initialized = finite + pad
    }
    return SortedSample(_storage: storage, negativeInfinityCount: negInf, positiveInfinityCount: posInf, nullCount: nulls)
}

extension SortedSample {
    init(_storage: [T], negativeInfinityCount: Int, positiveInfinityCount: Int, nullCount: Int) {
        self.storage = _storage
        self.negativeInfinityCount = negativeInfinityCount
        self.positiveInfinityCount = positiveInfinityCount
        self.nullCount = nullCount
    }
}
