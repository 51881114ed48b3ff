import DriftColumnar
import DriftEngine
import DriftKernels
import DriftWire

/// A source's `MonitoringSpec` with the server's defaults filled in (PROTOCOL §13 "Monitoring"):
///
/// | setting | default | why |
/// |---|---|---|
/// | windows | event time, 1 h | the default; hourly is what batch pipelines produce |
/// | grace | 1/10 of the window (6 min for 1 h), 0 for row-count windows | pipelines deliver a little late; a tenth keeps verdicts within the hour |
/// | value cap | `WindowState.defaultValueCap` per feature and window | exact KS up to it, a seeded uniform sample beyond |
/// | baseline | fixed (uploaded); rolling over 24 windows when `baseline_mode` = rolling | a day of hourly windows |
/// | k / j, BH | 2 / 2, on | `MonitoringPolicy`'s table |
struct MonitorSettings: Sendable {
    static let defaultWindowLengthMs: Int64 = 3_600_000
    static let defaultRollingWindows = 24
    /// Longest window accepted (a year): keeps window arithmetic far from overflow.
    static let maximumWindowLengthMs: Int64 = 366 * 24 * 3_600_000

    let mode: WindowingMode
    /// The column carrying each row's event time (ms), or nil (the request's or the block's timestamp).
    let eventTimeColumn: String?
    let valueCap: Int
    let sla: FreshnessSLA?
    /// nil = a fixed (uploaded) baseline; else the number of trailing windows of a rolling baseline.
    let rollingWindows: Int?
    let policy: MonitoringPolicy
    let windowFeatures: [WindowState.Feature]
    let driftPolicies: [DriftPolicy]
    let builderFeatures: [BaselineBuilder.Feature]

    var graceMs: Int64 {
        if case .eventTime(_, let grace) = mode { return grace }
        return 0
    }

    /// Resolves and checks `spec`'s monitoring settings; errors name the offending field.
    init(_ spec: SourceSpec) throws {
        let m = spec.monitoring ?? MonitoringSpec()
        func bad(_ field: String, _ message: String) -> RequestError {
            RequestError(.invalidArgument, message, fieldPath: "source.monitoring." + field)
        }
        if let rows = m.windowRows {
            guard m.windowLengthMs == nil else { throw bad("window_rows", "set window_length_ms or window_rows, not both") }
            guard rows >= 1, rows <= UInt64(Int64.max / 4) else { throw bad("window_rows", "window_rows must be at least 1") }
            guard m.eventTimeColumn.isEmpty else {
                throw bad("event_time_column", "row-count windows take no event-time column")
            }
            mode = .rowCount(rowsPerWindow: Int64(rows))
        } else {
            let length = Int64(clamping: m.windowLengthMs ?? UInt64(Self.defaultWindowLengthMs))
            guard length >= 1, length <= Self.maximumWindowLengthMs else {
                throw bad("window_length_ms", "window_length_ms must be 1 ms … 366 days")
            }
            let grace = Int64(clamping: m.graceMs ?? UInt64(length / 10))
            guard grace <= Self.maximumWindowLengthMs else { throw bad("grace_ms", "grace_ms must be at most 366 days") }
            mode = .eventTime(lengthMilliseconds: length, graceMilliseconds: grace)
        }
        let names = Set(spec.features.map(\.name))
        if m.eventTimeColumn.isEmpty {
            eventTimeColumn = nil
        } else {
            guard !names.contains(m.eventTimeColumn) else {
                throw bad("event_time_column", "the event-time column \(m.eventTimeColumn) is also a feature")
            }
            guard m.eventTimeColumn.utf8.count <= 256, !hasControlCharacters(m.eventTimeColumn) else {
                throw bad("event_time_column", "column names are 1…256 bytes without control characters")
            }
            eventTimeColumn = m.eventTimeColumn
        }
        let cap = m.valueCap ?? UInt64(WindowState.defaultValueCap)
        guard cap >= 1, cap <= 10_000_000 else { throw bad("value_cap", "value_cap must be 1 … 10,000,000") }
        valueCap = Int(cap)
        if m.maxEventAgeMs != nil || m.maxArrivalIntervalMs != nil {
            for (field, v) in [("max_event_age_ms", m.maxEventAgeMs), ("max_arrival_interval_ms", m.maxArrivalIntervalMs)] {
                if let v, v == 0 || v > UInt64(Int64.max / 4) { throw bad(field, "\(field) must be positive") }
            }
            sla = FreshnessSLA(maxEventAgeMs: m.maxEventAgeMs.map { Int64($0) },
                               maxArrivalIntervalMs: m.maxArrivalIntervalMs.map { Int64($0) })
        } else {
            sla = nil
        }
        switch m.baselineMode {
        case .unspecified, .fixed:
            guard m.rollingWindows == nil else { throw bad("rolling_windows", "rolling_windows needs baseline_mode rolling") }
            rollingWindows = nil
        case .rolling:
            let n = Int(m.rollingWindows ?? UInt32(Self.defaultRollingWindows))
            guard (1...1000).contains(n) else { throw bad("rolling_windows", "rolling_windows must be 1 … 1000") }
            rollingWindows = n
        default:
            throw bad("baseline_mode", "unknown baseline_mode \(m.baselineMode.rawValue)")
        }
        var policy = MonitoringPolicy()
        if let k = m.persistenceK {
            guard (1...1000).contains(k) else { throw bad("persistence_k", "persistence_k must be 1 … 1000") }
            policy.defaults.persistence = Int(k)
        }
        if let j = m.recoveryJ {
            guard (1...1000).contains(j) else { throw bad("recovery_j", "recovery_j must be 1 … 1000") }
            policy.defaults.recovery = Int(j)
        }
        if let bh = m.benjaminiHochberg { policy.benjaminiHochberg = bh }
        let numeric = Set(spec.features.filter { FeatureBuilder.kind($0) == .numeric }.map(\.name))
        for (i, g) in m.correlationGroups.enumerated() {
            guard g.features.count >= 2 else { throw bad("correlation_groups[\(i)]", "a correlation group needs 2 features") }
            for f in g.features where !numeric.contains(f) {
                throw bad("correlation_groups[\(i)]", names.contains(f)
                    ? "feature \(f) is categorical; correlations are between numeric features"
                    : "no feature named \(f)")
            }
        }
        policy.correlationGroups = m.correlationGroups.map(\.features)
        var driftPolicies: [DriftPolicy] = []
        for f in spec.features {
            let p = FeatureBuilder.policy(f.policy)
            driftPolicies.append(p)
            if p != DriftPolicy() {
                var s = policy.defaults
                s.drift = p
                policy.overrides[f.name] = s
            }
        }
        self.policy = policy
        self.driftPolicies = driftPolicies
        builderFeatures = try FeatureBuilder.baselineBuilder(spec).features
        windowFeatures = builderFeatures.map { WindowState.Feature(name: $0.name, kind: $0.kind) }
    }
}
