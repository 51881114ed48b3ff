import DriftEngine
import DriftStore
import DriftWire

extension ServerCore {
    /// GetSourceStatus (method 10): freshness evaluated now, the last closed window, each feature's persistence
    /// state (its worst signal: drift or null rate; correlation pairs as "a|b"), the baseline in use, late rows.
    func sourceStatus(_ req: GetSourceStatusRequest) throws -> GetSourceStatusResponse {
        let now = DriftStore.wallClockMilliseconds()
        let baselineID = try comparisonBaseline(req.source)?.id
        return try withMonitor(req.source) { st in
            var r = GetSourceStatusResponse(baselineID: baselineID, lateRows: UInt64(max(0, st.progress.lateRows)))
            r.lastClosedWindow = st.lastClosed
            if let v = freshness(st, nowMs: now) {
                r.freshness = v.isStale ? .stale : .fresh
                r.eventAgeMs = v.eventAgeMs.map { UInt64(max(0, $0)) }
                r.arrivalAgeMs = v.arrivalAgeMs.map { UInt64(max(0, $0)) }
                r.staleRule = v.brokenRules.map(\.rawValue).joined(separator: ",")
            }
            var worst: [String: DriftEngine.FeatureStatus] = [:]
            for (signal, status) in st.tracker.statuses where signal.kind != .freshness {
                let name = signal.partner.map { signal.feature + "|" + $0 } ?? signal.feature
                if let w = worst[name], Self.rank(w) >= Self.rank(status) { continue }
                worst[name] = status
            }
            var entries: [FeatureStatusEntry] = []
            for f in st.spec.features { entries.append(Self.entry(f.name, worst.removeValue(forKey: f.name))) }
            for name in worst.keys.sorted() { entries.append(Self.entry(name, worst[name])) }
            r.features = entries
            return r
        }
    }

    private static func rank(_ s: DriftEngine.FeatureStatus) -> Int {
        switch s.state {
        case .drifting: 3
        case .recovering: 2
        case .pending: 1
        case .ok: 0
        }
    }

    private static func entry(_ name: String, _ s: DriftEngine.FeatureStatus?) -> FeatureStatusEntry {
        guard let s else { return FeatureStatusEntry(feature: name, status: .ok) }
        let status: DriftWire.FeatureStatus = switch s.state {
        case .ok, .pending: .ok
        case .drifting: .drifting
        case .recovering: .recovering
        }
        let severity: FeatureVerdict.Severity = switch s.incidentSeverity {
        case .none, .info: .none
        case .warning: .warning
        case .critical: .critical
        }
        return FeatureStatusEntry(feature: name, status: status, severity: s.state.isIncident ? severity : .none,
                                  sinceWindowStartMs: s.state.isIncident ? s.incidentStartMs : nil)
    }

    /// The source's freshness now, or nil without an SLA. A source that has never sent data is held to its SLA
    /// from the moment this server loaded it (creation, or the last restart) as if data had arrived then: a
    /// source just created is not stale before it had the chance to deliver.
    func freshness(_ st: SourceMonitorState, nowMs: Int64) -> FreshnessVerdict? {
        guard let sla = st.settings.sla else { return nil }
        let never = st.progress.lastArrivalMilliseconds == nil
        let newest: Int64? = st.progress.maxEventMilliseconds ?? (never ? st.loadedMs : nil)
        return FreshnessEvaluator(sla: sla).evaluate(
            newestEventMs: newest, lastArrivalMs: st.progress.lastArrivalMilliseconds ?? st.loadedMs, nowMs: nowMs)
    }

    /// AcknowledgeWindow (method 14): an alerted window may enter rolling baselines again; the rolling baseline is
    /// rebuilt at once when the window is among the trailing ones.
    func acknowledgeWindow(_ req: AcknowledgeWindowRequest) throws -> AcknowledgeWindowResponse {
        try withMonitor(req.source) { st in
            guard let w = try withStore({ try $0.window(source: req.source, start: req.windowStartMs) }), w.closed else {
                throw RequestError(.notFound, "source \(req.source) has no closed window starting at "
                    + "\(req.windowStartMs) ms", fieldPath: "window_start_ms")
            }
            let range = WindowRange(startMs: w.startMilliseconds, endMs: w.endMilliseconds)
            guard w.alerted && !w.acknowledged else { return AcknowledgeWindowResponse(acknowledged: false, window: range) }
            let source = req.source, start = req.windowStartMs
            try commit { store in _ = try store.acknowledge(source: source, start: start) }
            if st.settings.rollingWindows != nil, let rolling = try rollingBaseline(after: [], st: st, force: true) {
                let id = try commit { store in
                    try store.putBaseline(source: source, rows: rolling.rows, state: rolling.bytes, kind: .rolling)
                }
                installRolling(rolling, id: id, source: source)
            }
            return AcknowledgeWindowResponse(acknowledged: true, window: range)
        }
    }
}
