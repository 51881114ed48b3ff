import DriftKernels

/// One feature's distribution in a closed window beside its baseline's, on the baseline's own bins — what a
/// dashboard overlays. Numeric features: the frozen quantile bins (``QuantileBins``: bin 0 below the baseline's
/// minimum, bin i in `[edges[i-1], edges[i])`, the last one at or above `edges.last`); categorical features: the
/// baseline's categories in dictionary order, then the window's new ones in ascending UTF-8 byte order.
public struct FeatureHistogram: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case numeric
        case categorical
    }

    public var kind: Kind
    /// The frozen bin edges (numeric; `baseline.count == edges.count + 1`), empty for categorical features.
    public var edges: [Double]
    /// The category of each bin (categorical), empty for numeric features.
    public var categories: [String]
    /// Non-null baseline rows per bin.
    public var baseline: [UInt64]
    /// Non-null window rows per bin (of the kept sample when `currentSampled`).
    public var current: [UInt64]
    public var baselineNulls: UInt64
    public var currentNulls: UInt64
    /// Rows of the window (nulls included).
    public var currentRows: UInt64
    /// The window kept a sample of its values and its all-rows bin counts were not on these bins, so `current`
    /// counts the sample (proportions stay unbiased).
    public var currentSampled: Bool

    public init(kind: Kind, edges: [Double] = [], categories: [String] = [], baseline: [UInt64], current: [UInt64],
                baselineNulls: UInt64, currentNulls: UInt64, currentRows: UInt64, currentSampled: Bool = false) {
        self.kind = kind
        self.edges = edges
        self.categories = categories
        self.baseline = baseline
        self.current = current
        self.baselineNulls = baselineNulls
        self.currentNulls = currentNulls
        self.currentRows = currentRows
        self.currentSampled = currentSampled
    }

    /// PSI of the window against the baseline on these bins (``PopulationStabilityIndex``), nil when a side has
    /// no value.
    public var psi: Double? {
        try? PopulationStabilityIndex.compute(baseline: baseline.map { Int(clamping: $0) }, current: current.map { Int(clamping: $0) })
    }

    /// Null rows over all rows of the window (0 for an empty window).
    public var currentNullRate: Double { currentRows == 0 ? 0 : Double(currentNulls) / Double(currentRows) }
}
