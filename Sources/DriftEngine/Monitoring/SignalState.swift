/// Where a signal stands in the hysteresis (``FeatureStatusTracker``).
///
/// ```
///            drifting window                    k-th consecutive drifting window
///   ok ───────────────────────▶ pending ──────────────────────────────────────▶ drifting
///    ▲  ◀─────────────────────    │                                            │   ▲
///    │      clean window          │                          clean window       ▼   │ drifting window
///    └──────────────────────────────────── j-th consecutive clean window ── recovering
/// ```
/// `pending` and `recovering` are the two "not yet" states; only `drifting` and `recovering` are an incident
/// (``isIncident``). Insufficient-data windows change nothing.
public enum SignalState: String, Sendable, Equatable, Codable, CaseIterable {
    case ok
    /// Drifting windows seen, fewer than k in a row.
    case pending
    case drifting
    /// Clean windows seen after drifting, fewer than j in a row: still an incident.
    case recovering

    /// An open incident: `drifting` or `recovering`.
    public var isIncident: Bool { self == .drifting || self == .recovering }

    /// The byte stored by ``FeatureStatusTracker/encode()``.
    public var code: UInt8 {
        switch self {
        case .ok: 0
        case .pending: 1
        case .drifting: 2
        case .recovering: 3
        }
    }

    public init?(code: UInt8) {
        guard let state = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = state
    }
}
