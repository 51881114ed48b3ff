/// The hysteresis state of one signal after the windows seen so far.
public struct FeatureStatus: Sendable, Equatable {
    public var state: SignalState = .ok
    /// Drifting windows in a row (insufficient-data windows in between neither count nor break the run).
    public var consecutiveDrifting = 0
    /// Clean windows in a row (likewise).
    public var consecutiveClean = 0
    /// Start (ms) of the first drifting window of the current run or incident; nil in `ok`.
    public var incidentStartMs: Int64?
    /// The highest severity over the current run or incident; `none` in `ok`.
    public var incidentSeverity = MonitoringSeverity.none
    /// Start (ms) of the last window applied, of any decision; nil before the first.
    public var lastWindowStartMs: Int64?

    public init() {}

    /// The status after one more window, with persistence `k` and recovery `j` (each at least 1).
    ///
    /// Windows must come in order of their start: a window starting at or before `lastWindowStartMs` (a replay,
    /// or a late re-evaluation) leaves the status unchanged, so re-evaluating a window never counts it twice.
    public func advanced(by decision: WindowDecision, severity: MonitoringSeverity, windowStartMs: Int64,
                         persistence k: Int, recovery j: Int) -> FeatureStatus {
        if let last = lastWindowStartMs, windowStartMs <= last { return self }
        let k = Swift.max(1, k), j = Swift.max(1, j)
        var next = self
        next.lastWindowStartMs = windowStartMs
        switch decision {
        case .insufficientData:
            break
        case .drifting:
            next.consecutiveClean = 0
            next.consecutiveDrifting = consecutiveDrifting + 1
            if incidentStartMs == nil { next.incidentStartMs = windowStartMs }
            next.incidentSeverity = Swift.max(incidentSeverity, severity)
            switch state {
            case .ok, .pending: next.state = next.consecutiveDrifting >= k ? .drifting : .pending
            case .drifting, .recovering: next.state = .drifting
            }
        case .clean:
            next.consecutiveDrifting = 0
            switch state {
            case .ok, .pending:
                next = FeatureStatus()
                next.lastWindowStartMs = windowStartMs
                next.consecutiveClean = consecutiveClean + 1
            case .drifting, .recovering:
                next.consecutiveClean = consecutiveClean + 1
                if next.consecutiveClean >= j {
                    let clean = next.consecutiveClean
                    next = FeatureStatus()
                    next.lastWindowStartMs = windowStartMs
                    next.consecutiveClean = clean
                } else {
                    next.state = .recovering
                }
            }
        }
        return next
    }
}
