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
    /// - Complexity: O(n).
    public init(_ values: UnsafeBufferPointer<Float>, validity: ValidityBitmap? = nil) {
        self = _makeSorted(values, validity) { RadixSort.sort($0) }
    }

    public init(_ values: [Float], validity: ValidityBitmap? = nil) {
        self = values.withUnsafeBufferPointer { SortedSample($0, validity: validity) }
    }
}

extension SortedSample where T == Double {
    /// Drops nulls, separates ±inf, and radix-sorts the rest.
    /// - Complexity: O(n).
    public init(_ values: UnsafeBufferPointer<Double>, validity: ValidityBitmap? = nil) {
        self = _makeSorted(values, validity) { RadixSort.sort($0) }
    }

    public init(_ values: [Double], validity: ValidityBitmap? = nil) {
        self = values.withUnsafeBufferPointer { SortedSample($0, validity: validity) }
    }
}

@inline(__always)
func _makeSorted<T: DriftFloat>(_ values: UnsafeBufferPointer<T>, _ validity: ValidityBitmap?,
                                _ sort: (UnsafeMutableBufferPointer<T>) -> Void) -> SortedSample<T> {
    var negInf = 0, posInf = 0, nulls = 0
    var finite = 0
    let pad = SortedSample<T>.paddingCount
    let storage = [T](unsafeUninitializedCapacity: values.count + pad) { buf, initialized in
        for i in 0..<values.count {
            let x = values[i]
            if let v = validity, !v.isValid(i) { nulls += 1; continue }
            if x.isNaN { nulls += 1; continue }
            if x.isInfinite { if x > 0 { posInf += 1 } else { negInf += 1 }; continue }
            buf[finite] = x + 0  // folds −0 into +0
            finite += 1
        }
        sort(UnsafeMutableBufferPointer(rebasing: buf[0..<finite]))
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
