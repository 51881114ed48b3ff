import DriftEngine
import DriftStore
import DriftWire

extension ServerCore {
    /// One round of the monitoring timer: the history retention (hourly), then over every known source freshness
    /// checks (a change of state is stored as a `freshness` verdict and a freshness record) and the closing of
    /// idle windows. Errors are per source and do not stop the round (the next tick retries).
    func monitorTick(nowMs: Int64 = DriftStore.wallClockMilliseconds()) {
        // History retention: at the first tick, then hourly.
        if nowMs - lastRetentionMs.load(ordering: .relaxed) >= 3_600_000 {
            lastRetentionMs.store(nowMs, ordering: .relaxed)
            do { _ = try applyRetention(nowMs: nowMs) } catch {
                stats.errors.add(1, ordering: .relaxed)
                log.error("history retention failed", ["error": .string("\(error)")])
            }
        }
        for name in monitors.withLock({ Array($0.keys) }).sorted() {
            do { try tickSource(name, nowMs: nowMs) } catch let e as RequestError where e.status == .notFound {
                _ = monitors.withLock { $0.removeValue(forKey: name) }
            } catch {
                stats.errors.add(1, ordering: .relaxed)
                log.error("monitoring tick failed", ["source": .string(name), "error": .string("\(error)")])
            }
        }
        alertTick(nowMs: nowMs)
    }

    /// Creates a monitor for every stored source, so freshness is checked for sources with no traffic since start.
    func registerStoredSources() throws {
        var after: String? = nil
        while true {
            let page = try withStore { try $0.listSources(after: after, limit: 500) }
            for s in page { _ = monitor(s.name) }
            guard page.count == 500 else { break }
            after = page.last!.name
        }
    }

    /// An event-time window is idle-closed when the clock passed its end + grace and no batch arrived for the
    /// grace period (a paused stream, or the end of a backfill): otherwise the last window of a source that stops
    /// would wait forever for a row beyond it. Row-count windows close only when full.
    func isIdle(_ w: OpenWindow, _ st: SourceMonitorState, nowMs: Int64) -> Bool {
        guard case .eventTime(_, let grace) = st.settings.mode else { return false }
        let lastArrival = st.progress.lastArrivalMilliseconds ?? st.loadedMs
        return nowMs >= w.range.endMs &+ grace && nowMs >= lastArrival &+ grace
    }

    func tickSource(_ name: String, nowMs: Int64) throws {
        let baseline = try comparisonBaseline(name)
        let deferred = try withMonitor(name) { st -> DeferredClose? in
            var tracker = st.tracker
            var rows: [VerdictRow] = []
            var record: FreshnessRecord? = nil
            var components: [String: [Alert]] = [:]
            var stale = st.stale == true
            if let v = freshness(st, nowMs: nowMs), v.isStale != st.stale {
                let r = v.record(source: name, baselineId: baseline.map { Int64($0.id) }, tracker: &tracker)
                rows.append(VerdictCodes.row(r, createdMilliseconds: nowMs))
                components[AlertCoordinator.freshnessComponent] = AlertDerivation.alert(for: r).map { [$0] } ?? []
                record = FreshnessRecord(
                    source: name, checkedMilliseconds: nowMs, newestEventMilliseconds: st.progress.maxEventMilliseconds,
                    lastArrivalMilliseconds: st.progress.lastArrivalMilliseconds,
                    maximumAgeMilliseconds: v.sla.maxEventAgeMs ?? 0, maximumIntervalMilliseconds: v.sla.maxArrivalIntervalMs ?? 0,
                    stale: v.isStale, reason: v.reasons.joined(separator: "; "))
                stale = v.isStale
            }
            var idle = st.open.values.filter { isIdle($0, st, nowMs: nowMs) }.sorted { $0.key < $1.key }
            if !idle.isEmpty && st.settings.rollingWindows == nil && baseline == nil { idle = [] }
            guard record != nil || !idle.isEmpty else { return nil }
            // Idle windows of a fixed-baseline source are decided after the lock is released (`finishClose`), as
            // an ingest's are; a rolling source's here, with its next rolling baseline.
            var decided: [DecidedWindow] = []
            if st.settings.rollingWindows != nil {
                for w in idle { decided.append(try decide(w, st: st, baseline: baseline, stale: stale, tracker: &tracker)) }
            }
            let rolling = try rollingBaseline(after: decided, st: st)
            let trackerBytes = tracker.encode()
            let freshRows = rows, freshRecord = record, decidedNow = decided, keep = st.settings.keptClosedStates
            components.merge(Self.alertComponents(decided, source: name)) { $1 }
            let (pending, writes) = try Self.mapCommitErrors {
                try submitWithAlerts(source: name, components: components, nowMs: nowMs) { store -> UInt64? in
                    if let freshRecord {
                        try store.recordFreshness(freshRecord)
                        try store.recordVerdicts(freshRows)
                        try store.putFeatureStatus(source: name, feature: Self.trackerKey, state: trackerBytes)
                    }
                    return try Self.persist(decidedNow, source: name, tracker: trackerBytes, rolling: rolling,
                                            keepStates: keep, in: store)
                }
            }
            let id = try Self.mapCommitErrors { try waitForAlertUnit(pending, writes) }
            st.tracker = tracker
            if let record {
                st.stale = stale
                recordFreshnessChange(source: name, stale: stale, reason: record.reason)
            }
            for d in decided {
                st.open[st.key(ofStart: d.range.startMs).index] = nil
                st.closedThrough = max(st.closedThrough ?? .min, st.key(ofStart: d.range.startMs).index)
                st.lastClosed = d.range
            }
            installRolling(rolling, id: id, source: name)
            return st.settings.rollingWindows == nil ? deferClose(idle, st: &st, baseline: baseline) : nil
        }
        if let deferred { _ = try finishClose(deferred) }
    }
}
