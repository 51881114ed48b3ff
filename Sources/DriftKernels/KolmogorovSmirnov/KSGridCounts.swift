/// A sample's CDF at the edges of a ``KSGrid``, in counts: for every edge `e[k]`, how many non-null values lie
/// below it and how many at or below it (−inf values included in both), plus the sizes the CDF is divided by.
public struct KSGridCounts: Sendable, Equatable {
    /// `countBelow[k]` = #{x < e[k]}.
    public var countBelow: [Int]
    /// `countAtOrBelow[k]` = #{x ≤ e[k]}.
    public var countAtOrBelow: [Int]
    /// Non-null values (finite and infinite): the sample size of the test.
    public var count: Int
    public var negativeInfinityCount: Int
    public var positiveInfinityCount: Int
    /// Rows that were null (NaN or a cleared validity bit), for reference.
    public var nullCount: Int
    /// The smallest finite value where it matters for ``BinnedWasserstein`` (the outer cells' extent): a grid's own
    /// counts hold its first edge (the baseline's minimum); counts of a current sample hold it only when it lies
    /// below the first edge (any finite value when the grid has no edges), else nil — it is then at or above the
    /// first edge, inside the grid.
    public var finiteMinimum: Double?
    /// The largest finite value, likewise: a grid's last edge, or a current value above it.
    public var finiteMaximum: Double?

    public init(countBelow: [Int], countAtOrBelow: [Int], count: Int, negativeInfinityCount: Int,
                positiveInfinityCount: Int, nullCount: Int, finiteMinimum: Double?, finiteMaximum: Double?) {
        self.countBelow = countBelow
        self.countAtOrBelow = countAtOrBelow
        self.count = count
        self.negativeInfinityCount = negativeInfinityCount
        self.positiveInfinityCount = positiveInfinityCount
        self.nullCount = nullCount
        self.finiteMinimum = finiteMinimum
        self.finiteMaximum = finiteMaximum
    }

    /// Finite values.
    public var finiteCount: Int { count - negativeInfinityCount - positiveInfinityCount }

    /// Non-null values below +inf: the CDF just below +inf, i.e. at the largest finite value.
    public var countBelowPositiveInfinity: Int { count - positiveInfinityCount }
}
