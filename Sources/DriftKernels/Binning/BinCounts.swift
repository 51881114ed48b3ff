/// Counts of a column over frozen ``QuantileBins`` plus a separate null count.
public struct BinCounts: Sendable, Equatable {
    /// `counts[b]` = number of non-null values in bin `b` (`bins.binCount` entries).
    public var counts: [Int]
    public var nullCount: Int

    public init(counts: [Int], nullCount: Int) {
        self.counts = counts
        self.nullCount = nullCount
    }

    public var nonNullCount: Int { counts.reduce(0, +) }

    /// Counts of both samples together.
    public func merged(with other: BinCounts) -> BinCounts {
        precondition(counts.count == other.counts.count, "bin counts over different bins")
        return BinCounts(counts: zip(counts, other.counts).map(+), nullCount: nullCount + other.nullCount)
    }
}
