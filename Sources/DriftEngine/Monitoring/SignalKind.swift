/// Which check a ``FeatureWindowVerdict`` records.
public enum SignalKind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The distribution test (KS for numeric features, chi-square for categorical ones) gated by effect sizes.
    case drift
    /// The two-proportion test on the null rate gated by the absolute change.
    case nullRate = "null_rate"
    /// Fisher z on the Pearson correlation of a declared feature pair gated by |Δr|.
    case correlation
    /// The source's freshness SLA (``FreshnessEvaluator``).
    case freshness

    /// The byte stored by ``FeatureStatusTracker/encode()``.
    public var code: UInt8 {
        switch self {
        case .drift: 0
        case .nullRate: 1
        case .correlation: 2
        case .freshness: 3
        }
    }

    /// The kind with this code, nil for unknown codes.
    public init?(code: UInt8) {
        guard let kind = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = kind
    }
}
