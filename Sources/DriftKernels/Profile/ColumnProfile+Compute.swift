extension ColumnProfile {
    /// Profiles a float32 column in one pass (SIMD, 256-value blocks merged with Chan's update).
    /// - Parameters:
    ///   - values: the column; NaN is null.
    ///   - validity: optional bitmap; rows whose bit is 0 are null whatever value they hold.
    /// - Complexity: O(n), one read of the column.
    public init(_ values: UnsafeBufferPointer<Float>, validity: ValidityBitmap? = nil) {
        self = _profileSIMD(values, validity)
    }

    /// Profiles a float64 column in one pass. See ``init(_:validity:)-float32``.
    public init(_ values: UnsafeBufferPointer<Double>, validity: ValidityBitmap? = nil) {
        self = _profileSIMD(values, validity)
    }

    /// Convenience for arrays.
    public init(_ values: [Double], validity: ValidityBitmap? = nil) {
        self = values.withUnsafeBufferPointer { _profileSIMD($0, validity) }
    }

    /// Convenience for arrays.
    public init(_ values: [Float], validity: ValidityBitmap? = nil) {
        self = values.withUnsafeBufferPointer { _profileSIMD($0, validity) }
    }

    /// Profiles an int64 column (values converted to Double; only the bitmap marks nulls).
    public init(_ values: UnsafeBufferPointer<Int64>, validity: ValidityBitmap? = nil) {
        var acc = _ScalarProfileAccumulator()
        for i in 0..<values.count {
            if let v = validity, !v.isValid(i) { acc.addNull() } else { acc.add(Double(values[i])) }
        }
        self = acc.profile
    }

    /// Profiles a bool column as 0/1 values (the mean is the share of `true`).
    public init(_ values: UnsafeBufferPointer<Bool>, validity: ValidityBitmap? = nil) {
        var acc = _ScalarProfileAccumulator()
        for i in 0..<values.count {
            if let v = validity, !v.isValid(i) { acc.addNull() } else { acc.add(values[i] ? 1 : 0) }
        }
        self = acc.profile
    }

    /// The plain scalar twin of the SIMD profile (Welford, one value at a time); tests compare the two.
    public static func scalarReference<T: DriftFloat>(_ values: UnsafeBufferPointer<T>, validity: ValidityBitmap? = nil)
        -> ColumnProfile
    {
        var acc = _ScalarProfileAccumulator()
        acc.add(values, range: 0..<values.count, validity: validity)
        return acc.profile
    }
}

/// Welford accumulator used by the scalar twin and by blocks that hold nulls or non-finite values.
struct _ScalarProfileAccumulator {
    var profile = ColumnProfile()
    private var n = 0

    @inline(__always)
    mutating func addNull() {
        profile.count += 1
        profile.nullCount += 1
    }

    @inline(__always)
    mutating func add(_ x: Double) {
        profile.count += 1
        if x.isNaN {
            profile.nullCount += 1
            profile.nanCount += 1
            return
        }
        profile.minimum = profile.minimum.map { Swift.min($0, x) } ?? x
        profile.maximum = profile.maximum.map { Swift.max($0, x) } ?? x
        if x.isInfinite {
            if x > 0 { profile.positiveInfinityCount += 1 } else { profile.negativeInfinityCount += 1 }
            return
        }
        n += 1
        let delta = x - profile.mean
        if delta.isFinite {
            profile.mean += delta / Double(n)
            profile.sumOfSquaredDeviations += delta * (x - profile.mean)
        } else {
            // |x − mean| overflowed (values near ±1.8e308): keep the mean finite, the spread is infinite.
            profile.mean += x / Double(n) - profile.mean / Double(n)
            profile.sumOfSquaredDeviations = .infinity
        }
        if !profile.sumOfSquaredDeviations.isFinite { profile.sumOfSquaredDeviations = .infinity }
    }

    mutating func add<T: DriftFloat>(_ values: UnsafeBufferPointer<T>, range: Range<Int>, validity: ValidityBitmap?) {
        if let validity {
            for i in range { if validity.isValid(i) { add(Double(values[i])) } else { addNull() } }
        } else {
            for i in range { add(Double(values[i])) }
        }
    }
}

/// SIMD profile: each block (1024 values, the last one shorter) without nulls is summarised by the type's SIMD block kernel (one read
/// for sum/min/max and a non-finite probe, a second over the L1-resident block for Σ(x − block mean)²); blocks
/// with nulls or non-finite values go through the scalar accumulator. Blocks merge with Chan's update.
@inline(__always)
func _profileSIMD<T: DriftFloat>(_ values: UnsafeBufferPointer<T>, _ validity: ValidityBitmap?) -> ColumnProfile {
    var result = ColumnProfile()
    guard let base = values.baseAddress else { return result }
    let n = values.count
    let raw = UnsafeRawPointer(base)
    var cleanCount = 0
    var cleanMean = 0.0, cleanM2 = 0.0
    var cleanMin = Double.infinity, cleanMax = -Double.infinity
    var start = 0
    while start < n {
        // Full blocks, then one shorter block (a multiple of 32), then fewer than 32 values by the scalar path.
        let size = Swift.min(_simdBlock, (n - start) & ~31)
        if size == 0 {
            var acc = _ScalarProfileAccumulator()
            acc.add(values, range: start..<n, validity: validity)
            result = result.merged(with: acc.profile)
            break
        }
        let allValid = validity.map { $0.allValid(byteOffset: start >> 3, byteCount: size >> 3) } ?? true
        if allValid, let b = T._blockMoments(raw + start * MemoryLayout<T>.stride, count: size), b.isFinite {
            (cleanMean, cleanM2) = ColumnProfile.chan(cleanCount, cleanMean, cleanM2, size, b.sum / Double(size), b.m2)
            cleanCount += size
            cleanMin = Swift.min(cleanMin, b.minimum)
            cleanMax = Swift.max(cleanMax, b.maximum)
        } else {
            var acc = _ScalarProfileAccumulator()
            acc.add(values, range: start..<(start + size), validity: validity)
            result = result.merged(with: acc.profile)
        }
        start += size
    }
    if cleanCount > 0 {
        var clean = ColumnProfile()
        clean.count = cleanCount
        clean.minimum = cleanMin
        clean.maximum = cleanMax
        clean.mean = cleanMean
        clean.sumOfSquaredDeviations = cleanM2
        result = clean.merged(with: result)
    }
    return result
}
