import DriftEngine
import DriftStore
import DriftWire

extension ServerCore {
    /// The source's monitor, created empty on first use (loaded from the store under its lock by `withMonitor`).
    func monitor(_ name: String) -> SourceMonitor {
        monitors.withLock { m in
            if let existing = m[name] { return existing }
            let created = SourceMonitor(name: name)
            m[name] = created
            return created
        }
    }

    /// Runs `body` with the source's monitoring state, loading it from the store first when needed; NOT_FOUND for
    /// an unknown source. Calls for one source run one at a time.
    func withMonitor<T>(_ name: String, _ body: (inout SourceMonitorState) throws -> T) throws -> T {
        let m = monitor(name)
        return try m.state.withLock { slot in
            if slot == nil { slot = try loadMonitor(name) }
            return try body(&slot!)
        }
    }

    /// Forgets a loaded monitor state (the next use reloads it from the store): after a failed commit, memory may
    /// be ahead of the store.
    func forgetMonitor(_ slot: inout SourceMonitorState?) { slot = nil }

    /// Rebuilds a source's monitoring state from the store: progress, open windows (the merge of their parts),
    /// hysteresis, the last closed window and the last freshness state.
    func loadMonitor(_ name: String) throws -> SourceMonitorState {
        try withStore { store -> SourceMonitorState in
            guard let spec = try store.source(named: name) else {
                throw RequestError(.notFound, "no source named \(name)", fieldPath: "source")
            }
            let settings = try MonitorSettings(spec)
            let progress = try store.progress(source: name) ?? SourceProgress(source: name)
            var assigner = WindowAssigner(mode: settings.mode)
            assigner.restore(maxEventTimeSeen: progress.maxEventMilliseconds, rowsSeen: progress.rowsSeen)
            var st = SourceMonitorState(spec: spec, settings: settings, assigner: assigner, open: [:],
                                        tracker: FeatureStatusTracker(), progress: progress, lastClosed: nil,
                                        closedThrough: nil, stale: nil, loadedMs: DriftStore.wallClockMilliseconds())
            for w in try store.openWindows(source: name) {
                var merged = st.emptyWindow()
                var parts = try store.windowParts(source: name, start: w.startMilliseconds)
                if !w.state.isEmpty { parts.insert(w.state, at: 0) }
                for bytes in parts {
                    do { try merged.merge(try WindowState.decode(bytes)) } catch {
                        throw RequestError(.dataLoss, "stored state of window \(w.startMilliseconds) of \(name) is "
                            + "unreadable: \(error)")
                    }
                }
                let key = st.key(ofStart: w.startMilliseconds)
                st.open[key.index] = OpenWindow(key: key, range: WindowRange(startMs: w.startMilliseconds,
                                                                             endMs: w.endMilliseconds), state: merged)
            }
            if let blob = try store.featureStatuses(source: name)[Self.trackerKey] {
                do { st.tracker = try FeatureStatusTracker.decode(blob) } catch {
                    throw RequestError(.dataLoss, "stored feature status of \(name) is unreadable: \(error)")
                }
            }
            if let c = try store.lastClosedWindow(source: name) {
                st.lastClosed = WindowRange(startMs: c.startMilliseconds, endMs: c.endMilliseconds)
                st.closedThrough = st.key(ofStart: c.startMilliseconds).index
            }
            if settings.sla != nil { st.stale = try store.latestFreshness(source: name)?.stale }
            return st
        }
    }

    /// The `feature_status` row that holds a source's whole `FeatureStatusTracker` (every signal, one blob).
    static let trackerKey = ""

    /// Runs `unit` in the next group commit of the monitoring writer; store errors map to statuses as in
    /// `withStore`.
    func commit<R: Sendable>(_ unit: @escaping @Sendable (DriftStore) throws -> R) throws -> R {
        do {
            return try writer.perform(unit)
        } catch let e as RequestError {
            throw e
        } catch let e as DriftStoreError {
            throw Self.requestError(e)
        } catch let e as GroupCommitWriter.WriterError {
            throw RequestError(.unavailable, "the store writer is stopped (\(e)); retry on another server")
        } catch {
            throw RequestError(.internal, "store: \(error)")
        }
    }

    static func requestError(_ e: DriftStoreError) -> RequestError {
        switch e {
        case .conflict(let s): RequestError(.alreadyExists, "source \(s) exists with a different definition")
        case .notFound(let s): RequestError(.notFound, "no source named \(s)", fieldPath: "source")
        case .invalidArgument(let m): RequestError(.invalidArgument, m)
        case .corrupt(let m): RequestError(.dataLoss, m)
        case .sqlite(let e): RequestError(.internal, "store: \(e)")
        }
    }

    /// The baseline a window of this source is compared against: the current one (uploaded, or the latest rolling
    /// one), decoded and cached.
    func comparisonBaseline(_ name: String) throws -> (id: UInt64, state: BaselineState)? {
        try sourceAndBaseline(name).1
    }
}
