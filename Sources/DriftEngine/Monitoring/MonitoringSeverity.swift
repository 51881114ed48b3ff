/// How serious one window's finding is, in four levels (the monitoring issue's info / warning / critical, plus
/// none).
///
/// `warning` and `critical` are the ``DriftPolicy`` grades: significant **and** material. `info` is a finding
/// that is significant (after Benjamini–Hochberg) with an effect at or above the *info* threshold but below the
/// warning one — worth showing in a history, never worth paging anyone, and it does **not** make a window
/// drifting (``WindowDecision``): on large windows almost every feature is significant, so letting info count
/// would bring back exactly the false alarms the materiality gate removes.
public enum MonitoringSeverity: String, Sendable, Equatable, Comparable, Codable, CaseIterable {
    case none, info, warning, critical

    /// 0 … 3, also the byte stored by ``FeatureStatusTracker/encode()``.
    public var rank: UInt8 {
        switch self {
        case .none: 0
        case .info: 1
        case .warning: 2
        case .critical: 3
        }
    }

    /// The severity with this rank, nil for ranks above 3.
    public init?(rank: UInt8) {
        switch rank {
        case 0: self = .none
        case 1: self = .info
        case 2: self = .warning
        case 3: self = .critical
        default: return nil
        }
    }

    /// The monitoring level of a ``DriftPolicy`` grade.
    public init(_ severity: Severity) {
        switch severity {
        case .none: self = .none
        case .warning: self = .warning
        case .critical: self = .critical
        }
    }

    public static func < (a: MonitoringSeverity, b: MonitoringSeverity) -> Bool { a.rank < b.rank }
}
