/// A log-bucketed latency histogram in the manner of HdrHistogram: mergeable, fixed size, ≤ 1 % relative error.
///
/// Values are nanoseconds. Below 256 ns every value has its own bucket; above, each power of two is split into
/// 128 equal buckets, so a bucket's width is at most 1/128 of its lower bound. A percentile is reported as the
/// midpoint of its bucket (clamped to the exact minimum and maximum), so it is within 1/256 ≈ 0.4 % of a value
/// that has the requested rank. The tracked range is 1 µs … 100 s with that precision; larger values land in the
/// last bucket (the exact maximum is kept separately). Count, sum, minimum and maximum are exact.
///
///     var h = LatencyHistogram()
///     h.record(.milliseconds(3))
///     h.percentile(99)     // nanoseconds, nil when empty
public struct LatencyHistogram: Sendable, Equatable {
    /// Largest value with the stated precision: 100 s.
    public static let highestTrackableNanoseconds: UInt64 = 100_000_000_000
    /// log2 of the number of buckets per power of two (128 → 1/128 relative bucket width).
    static let subBucketBits = 7
    static let subBucketHalf = 1 << subBucketBits          // 128
    static let linearLimit = UInt64(2 << subBucketBits)    // 256: values below have exact buckets
    static let bucketCount = index(of: highestTrackableNanoseconds) + 1

    private var counts: [UInt64]
    /// Values recorded.
    public private(set) var count: UInt64 = 0
    /// Sum of the recorded values, nanoseconds (exact while it fits; saturates).
    public private(set) var sumNanoseconds: UInt64 = 0
    /// The smallest recorded value (nil when empty).
    public private(set) var minNanoseconds: UInt64?
    /// The largest recorded value (nil when empty).
    public private(set) var maxNanoseconds: UInt64?

    public init() {
        counts = [UInt64](repeating: 0, count: Self.bucketCount)
    }

    /// The bucket of `value` (values above the tracked range share the last bucket).
    static func index(of value: UInt64) -> Int {
        let v = min(value, highestTrackableNanoseconds)
        if v < linearLimit { return Int(v) }
        let shift = (64 - v.leadingZeroBitCount) - (subBucketBits + 1)   // v >> shift is in 128 ..< 256
        return Int(linearLimit) + (shift - 1) * subBucketHalf + Int(v >> UInt64(shift)) - subBucketHalf
    }

    /// The values bucket `index` holds: lower bound and width.
    static func bucketRange(_ index: Int) -> (lower: UInt64, width: UInt64) {
        if index < Int(linearLimit) { return (UInt64(index), 1) }
        let k = index - Int(linearLimit)
        let shift = k / subBucketHalf + 1
        let sub = UInt64(k % subBucketHalf + subBucketHalf)
        return (sub << UInt64(shift), 1 << UInt64(shift))
    }

    /// Records one value in nanoseconds.
    public mutating func record(nanoseconds value: UInt64) {
        counts[Self.index(of: value)] += 1
        count += 1
        let (sum, overflow) = sumNanoseconds.addingReportingOverflow(value)
        sumNanoseconds = overflow ? .max : sum
        minNanoseconds = Swift.min(minNanoseconds ?? value, value)
        maxNanoseconds = Swift.max(maxNanoseconds ?? value, value)
    }

    /// Records one duration (negative durations count as 0).
    public mutating func record(_ duration: Duration) {
        record(nanoseconds: Self.nanoseconds(duration))
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        for i in counts.indices where other.counts[i] != 0 { counts[i] += other.counts[i] }
        count += other.count
        let (sum, overflow) = sumNanoseconds.addingReportingOverflow(other.sumNanoseconds)
        sumNanoseconds = overflow ? .max : sum
        if let m = other.minNanoseconds { minNanoseconds = Swift.min(minNanoseconds ?? m, m) }
        if let m = other.maxNanoseconds { maxNanoseconds = Swift.max(maxNanoseconds ?? m, m) }
    }

    /// The value at percentile `p` (0 … 100) by nearest rank: the value of rank ⌈p/100 · count⌉ (at least 1) of
    /// the sorted values, up to the bucket precision. 100 is the exact maximum. Nil when empty.
    public func percentile(_ p: Double) -> UInt64? {
        guard count > 0, let lo = minNanoseconds, let hi = maxNanoseconds else { return nil }
        let q = Swift.min(Swift.max(p, 0), 100)
        if q >= 100 { return hi }
        // ⌈q/100 · count⌉, forgiving the rounding of q/100 (99.9/100 · 100 000 is 99 900.000…01 in doubles).
        let exact = q / 100 * Double(count)
        let rank = Swift.min(count, Swift.max(1, UInt64((exact - exact * 1e-12).rounded(.up))))
        var seen: UInt64 = 0
        for (i, c) in counts.enumerated() where c != 0 {
            seen += c
            if seen >= rank {
                let (lower, width) = Self.bucketRange(i)
                let mid = lower + width / 2
                return Swift.min(Swift.max(mid, lo), hi)
            }
        }
        return hi
    }

    /// Mean in nanoseconds (nil when empty).
    public var meanNanoseconds: Double? {
        count == 0 ? nil : Double(sumNanoseconds) / Double(count)
    }

    /// p50, p90, p99, p99.9, max and mean.
    public var summary: LatencySummary { LatencySummary(self) }

    static func nanoseconds(_ d: Duration) -> UInt64 {
        let c = d.components
        if c.seconds < 0 { return 0 }
        let ns = c.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if ns.overflow { return .max }
        let total = ns.partialValue + c.attoseconds / 1_000_000_000
        return total < 0 ? 0 : UInt64(total)
    }
}
