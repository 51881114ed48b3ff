/// The hysteresis of every signal of one source: ok → (k consecutive drifting windows) → drifting →
/// (j consecutive clean windows) → ok, per ``MonitoredSignal``.
///
/// Insufficient-data windows count as neither drifting nor clean and do not break a run: a window too small to
/// test says nothing about whether the change is still there. Info findings are clean (``WindowDecision``).
/// The tracker is a plain value; the server persists it with ``encode()`` / ``decode(_:)`` after each window.
public struct FeatureStatusTracker: Sendable, Equatable {
    /// Status per signal; a signal never seen is `FeatureStatus()` (ok).
    public private(set) var statuses: [MonitoredSignal: FeatureStatus] = [:]

    public init() {}

    public init(statuses: [MonitoredSignal: FeatureStatus]) { self.statuses = statuses }

    /// The status of `signal` (ok if never seen).
    public func status(of signal: MonitoredSignal) -> FeatureStatus { statuses[signal] ?? FeatureStatus() }

    /// Applies one window's decision to `signal` and returns its new status (see
    /// ``FeatureStatus/advanced(by:severity:windowStartMs:persistence:recovery:)`` for replays).
    @discardableResult
    public mutating func advance(_ signal: MonitoredSignal, decision: WindowDecision, severity: MonitoringSeverity,
                                 windowStartMs: Int64, persistence: Int, recovery: Int) -> FeatureStatus {
        let next = status(of: signal).advanced(by: decision, severity: severity, windowStartMs: windowStartMs,
                                               persistence: persistence, recovery: recovery)
        statuses[signal] = next
        return next
    }

    /// Forgets a signal (a feature removed from the source).
    public mutating func remove(_ signal: MonitoredSignal) { statuses[signal] = nil }
}
