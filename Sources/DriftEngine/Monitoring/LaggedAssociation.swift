/// The rank correlation of one feature's drift scores with a model metric at one lag.
public struct LaggedAssociation: Sendable, Equatable {
    public var feature: String
    /// In windows: the drift of window w is paired with the metric of window w + lag (drift leading).
    public var lag: Int
    /// Spearman of (drift score, metric) over the complete pairs; nil when undefined (fewer than 3 pairs, a
    /// constant series), `count` still tells how many pairs there were.
    public var spearman: SpearmanCorrelation?
    public var count: Int
    /// ρ(drift, degradation) = ρ(drift, metric) × ``MetricDirection/degradationSign``: positive when more drift
    /// goes with worse performance.
    public var degradationCorrelation: Double? { spearman.map { $0.rho * direction.degradationSign } }
    public var direction: MetricDirection

    public init(feature: String, lag: Int, spearman: SpearmanCorrelation?, count: Int, direction: MetricDirection) {
        self.feature = feature
        self.lag = lag
        self.spearman = spearman
        self.count = count
        self.direction = direction
    }
}
