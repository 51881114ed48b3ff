/// What the hysteresis tracks separately: one check of one feature (or of one declared feature pair).
///
/// A feature's distribution and its null rate are separate signals, so a null-rate outage and a later shift of
/// the values are two incidents with their own start windows and severities.
public struct MonitoredSignal: Sendable, Hashable, Comparable {
    public var feature: String
    /// The second feature of a correlation pair; nil for every other kind.
    public var partner: String?
    public var kind: SignalKind

    public init(feature: String, partner: String? = nil, kind: SignalKind) {
        self.feature = feature
        self.partner = partner
        self.kind = kind
    }

    /// Orders by feature, partner (none first), then kind: the order ``FeatureStatusTracker/encode()`` writes.
    public static func < (a: MonitoredSignal, b: MonitoredSignal) -> Bool {
        if a.feature != b.feature { return a.feature < b.feature }
        if a.partner != b.partner { return (a.partner ?? "") < (b.partner ?? "") || (a.partner == nil) }
        return a.kind.code < b.kind.code
    }
}
