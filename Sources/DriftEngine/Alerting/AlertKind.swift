/// The `kind` label of an ``Alert``: which check fires.
public enum AlertKind: String, Sendable, Equatable, Hashable, CaseIterable {
    case drift
    case nullRate = "null_rate"
    case correlation
    case freshness
    /// Drift that coincides with a model-performance drop (derived by the server from
    /// ``PerformanceCorrelation``; ``AlertDerivation`` does not produce it).
    case performance

    /// The alert kind of a monitoring check.
    public init(_ kind: SignalKind) {
        switch kind {
        case .drift: self = .drift
        case .nullRate: self = .nullRate
        case .correlation: self = .correlation
        case .freshness: self = .freshness
        }
    }
}
