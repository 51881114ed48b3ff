/// Counts of a categorical column (dictionary codes) — its profile and its histogram at once.
public struct CategoryCounts: Sendable, Equatable {
    /// The code that marks a null row in a categorical column (besides a cleared validity bit).
    public static let nullCode: UInt32 = .max

    /// `counts[code]` = number of rows holding `code`.
    public var counts: [Int]
    public var nullCount: Int

    public init(counts: [Int], nullCount: Int) {
        self.counts = counts
        self.nullCount = nullCount
    }

    /// Counts codes of a column whose dictionary has `dictionarySize` entries.
    /// - Throws: `KernelError.invalidArgument` when a code is outside the dictionary.
    /// - Complexity: O(n + dictionarySize).
    public init(codes: UnsafeBufferPointer<UInt32>, dictionarySize: Int, validity: ValidityBitmap? = nil)
        throws(KernelError)
    {
        var counts = [Int](repeating: 0, count: dictionarySize)
        var nulls = 0
        let size = UInt32(truncatingIfNeeded: dictionarySize)
        try counts.withUnsafeMutableBufferPointer { (c) throws(KernelError) in
            for i in 0..<codes.count {
                let code = codes[i]
                if code == Self.nullCode || !(validity?.isValid(i) ?? true) {
                    nulls += 1
                } else if code < size {
                    c[Int(code)] += 1
                } else {
                    throw KernelError(.invalidArgument, "row \(i): code \(code) outside a dictionary of \(dictionarySize)")
                }
            }
        }
        self.counts = counts
        self.nullCount = nulls
    }

    /// Rows counted, nulls included.
    public var count: Int { counts.reduce(0, +) + nullCount }
    /// Non-null rows.
    public var nonNullCount: Int { counts.reduce(0, +) }
    /// Number of distinct non-null categories present.
    public var distinctCount: Int { counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }
    public var nullRate: Double { count == 0 ? 0 : Double(nullCount) / Double(count) }

    /// The counts of both samples together (dictionaries must be the same or one a prefix of the other).
    public func merged(with other: CategoryCounts) -> CategoryCounts {
        var c = counts.count >= other.counts.count ? counts : other.counts
        let shorter = counts.count >= other.counts.count ? other.counts : counts
        for i in shorter.indices { c[i] += shorter[i] }
        return CategoryCounts(counts: c, nullCount: nullCount + other.nullCount)
    }
}
