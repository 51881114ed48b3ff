import DriftEngine
import DriftStore
import DriftWire
import Synchronization

/// A window decided in memory, waiting for its commit.
struct DecidedWindow: Sendable {
    var range: WindowRange
    /// The window's merged state (encoded into `windows.state` by the commit unit, on the writer thread and not
    /// under the source's lock; its parts are deleted).
    var state: WindowState
    var rows: [VerdictRow]
    /// A signal of the window is in an incident and drifted in it: the window stays out of rolling baselines
    /// until acknowledged.
    var alerted: Bool
    var closed: ClosedWindow
    /// The engine's records of the window (the alerts are derived from them); empty without a baseline.
    var records: [FeatureWindowVerdict] = []
}

/// A window compared with its baseline, not yet graded (see `ServerCore.compare` / `evaluate`).
struct ComparedWindow: Sendable {
    var window: OpenWindow
    var baseline: (id: UInt64, state: BaselineState)?
    var reports: [FeatureReport]
    var correlations: [CorrelationObservation]
}

/// A rolling baseline built for the next windows, waiting for its commit.
struct RollingBaseline: Sendable {
    var state: BaselineState
    var bytes: [UInt8]
    var rows: UInt64
}

extension ServerCore {
    /// Decides one window: its reports against `baseline`, the monitoring policy (BH, grades, hysteresis in
    /// `tracker`), the history rows and the wire verdicts. No I/O: the caller commits the result.
    func decide(_ w: OpenWindow, st: SourceMonitorState, baseline: (id: UInt64, state: BaselineState)?, stale: Bool,
                tracker: inout FeatureStatusTracker, requestID: String = "") throws -> DecidedWindow {
        evaluate(compare(w, policies: st.settings.driftPolicies, baseline: baseline), st: st, stale: stale,
                 tracker: &tracker, requestID: requestID)
    }

    /// The expensive half of deciding a window, which needs no source state: every feature's report (spread over
    /// idle workers, the caller working too, as CheckDrift does) and the pair observations.
    func compare(_ w: OpenWindow, policies: [DriftPolicy], baseline: (id: UInt64, state: BaselineState)?)
        -> ComparedWindow
    {
        guard let baseline else { return ComparedWindow(window: w, baseline: nil, reports: [], correlations: []) }
        let state = w.state
        let slots = Mutex<[FeatureReport?]>(Array(repeating: nil, count: state.features.count))
        pool.concurrentForEach(state.features.count) { i in
            let r = state.report(feature: i, against: baseline.state, baselineId: baseline.id,
                                 policy: i < policies.count ? policies[i] : DriftPolicy())
            slots.withLock { $0[i] = r }
        }
        return ComparedWindow(window: w, baseline: baseline, reports: slots.withLock { $0.map { $0! } },
                              correlations: state.correlationObservations(against: baseline.state))
    }

    /// The cheap half, in window order per source: the monitoring policy over the reports (BH, grades, the
    /// hysteresis in `tracker`), the history rows and the wire verdicts.
    /// `requestID`: the Ingest that closed the window ("" on the timer), named in the "window closed" log line.
    func evaluate(_ c: ComparedWindow, st: SourceMonitorState, stale: Bool,
                  tracker: inout FeatureStatusTracker, requestID: String = "") -> DecidedWindow {
        let w = c.window
        guard let baseline = c.baseline else {
            // Rolling baseline not built yet (its first windows): the window only feeds the next baseline.
            return DecidedWindow(range: w.range, state: w.state, rows: [], alerted: false,
                                 closed: ClosedWindow(window: w.range, baselineID: 0, verdicts: []))
        }
        let reports = c.reports
        let evaluator = WindowEvaluator(policy: st.settings.policy)
        let records = evaluator.evaluate(source: st.spec.name, windowStartMs: w.range.startMs, windowEndMs: w.range.endMs,
                                         baselineId: Int64(baseline.id), reports: reports, correlations: c.correlations,
                                         stale: stale, tracker: &tracker)
        let now = DriftStore.wallClockMilliseconds()
        let rows = records.map { VerdictCodes.row($0, createdMilliseconds: now) }
        let alerted = records.contains { $0.decision == .drifting && $0.status.state == .drifting }
        // Wire verdicts: the one-shot statistics of each feature, graded by the window's drift record.
        var byFeature: [String: FeatureWindowVerdict] = [:]
        for r in records where r.kind == .drift { byFeature[r.feature] = r }
        let kinds = Dictionary(uniqueKeysWithValues: st.spec.features.map { ($0.name, FeatureBuilder.kind($0)) })
        let verdicts = reports.map { report -> FeatureVerdict in
            var v = FeatureBuilder.verdict(report, kind: kinds[report.name] ?? .numeric)
            if let r = byFeature[report.name] {
                v.decision = switch r.decision {
                case .drifting: .drift
                case .clean: .stable
                case .insufficientData: .insufficientData
                }
                v.severity = switch r.severity {
                case .none, .info: .none
                case .warning: .warning
                case .critical: .critical
                }
                v.reasons = r.reasons
            }
            return v
        }
        recordClose(source: st.spec.name, w.range, verdicts, alerted: alerted, requestID: requestID)
        return DecidedWindow(range: w.range, state: w.state, rows: rows, alerted: alerted,
                             closed: ClosedWindow(window: w.range, baselineID: baseline.id, verdicts: verdicts),
                             records: records)
    }

    /// The rolling baseline after `decided` windows closed (rolling sources only; nil when nothing changes): the
    /// trailing `rolling_windows` closed windows that may enter a baseline (not alerted, or acknowledged), the
    /// just-decided ones included.
    func rollingBaseline(after decided: [DecidedWindow], st: SourceMonitorState, force: Bool = false) throws
        -> RollingBaseline?
    {
        guard let n = st.settings.rollingWindows else { return nil }
        let eligibleNew = decided.filter { !$0.alerted }
        guard force || !eligibleNew.isEmpty else { return nil }
        let before = decided.first?.range.startMs ?? Int64.max
        let stored = try withStore { try $0.rollingBaselineWindows(source: st.spec.name, before: before, count: n) }
        var states: [WindowState] = []
        for w in stored where !w.state.isEmpty {
            do { states.append(try WindowState.decode(w.state)) } catch {
                throw RequestError(.dataLoss, "stored state of window \(w.startMilliseconds) of \(st.spec.name) is "
                    + "unreadable: \(error)")
            }
        }
        states += eligibleNew.map(\.state)
        states = Array(states.suffix(n))
        guard !states.isEmpty else { return nil }
        let state: BaselineState
        do { state = try WindowState.rollingBaseline(from: states, features: st.settings.builderFeatures) } catch {
            throw RequestError(.internal, "rolling baseline of \(st.spec.name): \(error)")
        }
        let rows = states.reduce(UInt64(0)) { $0 &+ $1.rows }
        return RollingBaseline(state: state, bytes: state.encode(), rows: rows)
    }

    /// Writes decided windows, the hysteresis and a new rolling baseline (inside the caller's group-commit unit);
    /// returns the new baseline's id.
    static func persist(_ decided: [DecidedWindow], source: String, tracker: [UInt8], rolling: RollingBaseline?,
                        keepStates: Int, in store: DriftStore) throws -> UInt64? {
        guard !decided.isEmpty || rolling != nil else { return nil }
        for d in decided {
            try store.compactWindow(source: source, start: d.range.startMs, state: d.state.encode())
            try store.closeWindow(source: source, start: d.range.startMs)
            if d.alerted { try store.markAlerted(source: source, start: d.range.startMs) }
            try store.recordVerdicts(d.rows)
        }
        if !decided.isEmpty {
            try store.putFeatureStatus(source: source, feature: trackerKey, state: tracker)
            try store.dropClosedWindowStates(source: source, keepingNewest: keepStates)
        }
        guard let rolling else { return nil }
        return try store.putBaseline(source: source, rows: rolling.rows, state: rolling.bytes, kind: .rolling)
    }

    /// After the commit: the new rolling baseline becomes the cached current one.
    func installRolling(_ rolling: RollingBaseline?, id: UInt64?, source: String) {
        guard let rolling, let id else { return }
        baselines.withLock { $0[source] = (id, rolling.state) }
    }
}
