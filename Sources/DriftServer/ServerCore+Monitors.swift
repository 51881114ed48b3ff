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
            do { return try body(&slot!) } catch let d as DropMonitor {
                slot = nil
                throw d.underlying
            }
        }
    }

    /// Rebuilds a source's monitoring state from the store: progress, open windows (their stored state, if any,
    /// with their parts' blocks folded in again), hysteresis, the last closed window and the last freshness state.
    func loadMonitor(_ name: String) throws -> SourceMonitorState {
        struct Stored {
            var spec: SourceSpec
            var progress: SourceProgress
            var open: [(window: StoredWindow, parts: [[UInt8]])]
            var tracker: [UInt8]?
            var lastClosed: StoredWindow?
            var stale: Bool?
        }
        let stored = try withStore { store -> Stored in
            guard let spec = try store.source(named: name) else {
                throw RequestError(.notFound, "no source named \(name)", fieldPath: "source")
            }
            let open = try store.openWindows(source: name).map {
                ($0, try store.windowParts(source: name, start: $0.startMilliseconds))
            }
            return Stored(spec: spec, progress: try store.progress(source: name) ?? SourceProgress(source: name),
                          open: open, tracker: try store.featureStatuses(source: name)[Self.trackerKey],
                          lastClosed: try store.lastClosedWindow(source: name),
                          stale: try store.latestFreshness(source: name)?.stale)
        }
        let settings = try MonitorSettings(stored.spec)
        var assigner = WindowAssigner(mode: settings.mode)
        assigner.restore(maxEventTimeSeen: stored.progress.maxEventMilliseconds, rowsSeen: stored.progress.rowsSeen)
        var st = SourceMonitorState(spec: stored.spec, settings: settings, assigner: assigner, open: [:],
                                    tracker: FeatureStatusTracker(), progress: stored.progress, lastClosed: nil,
                                    closedThrough: nil, stale: settings.sla == nil ? nil : stored.stale,
                                    loadedMs: DriftStore.wallClockMilliseconds())
        st.generation = monitorGenerations.add(1, ordering: .relaxed).newValue
        let baseline = try comparisonBaseline(name)
        for (w, parts) in stored.open {
            var merged = st.emptyWindow()
            do {
                if !w.state.isEmpty { try merged.merge(try WindowState.decode(w.state)) }
                for bytes in parts { try replay(WindowPart.decode(bytes), into: &merged, spec: stored.spec, baseline: baseline) }
            } catch let e as RequestError {
                throw e
            } catch {
                throw RequestError(.dataLoss, "stored state of window \(w.startMilliseconds) of \(name) is unreadable: "
                    + "\(error)")
            }
            let key = st.key(ofStart: w.startMilliseconds)
            st.open[key.index] = OpenWindow(key: key, range: WindowRange(startMs: w.startMilliseconds,
                                                                         endMs: w.endMilliseconds), state: merged)
        }
        if let blob = stored.tracker {
            do { st.tracker = try FeatureStatusTracker.decode(blob) } catch {
                throw RequestError(.dataLoss, "stored feature status of \(name) is unreadable: \(error)")
            }
        }
        if let c = stored.lastClosed {
            st.lastClosed = WindowRange(startMs: c.startMilliseconds, endMs: c.endMilliseconds)
            st.closedThrough = st.key(ofStart: c.startMilliseconds).index
        }
        return st
    }

    /// Folds a stored part's rows into `window` again, exactly as the ingest did.
    private func replay(_ part: WindowPart, into window: inout WindowState, spec: SourceSpec,
                        baseline: (id: UInt64, state: BaselineState)?) throws {
        let frame = Frame(header: FrameHeader(type: .request, codec: part.codec, bodyRawLength: 0), metadata: [],
                          body: part.body)
        let block = try decodeBlock(frame)
        for f in spec.features { _ = try column(f, in: block) }
        let columns = try FeatureBuilder.engineColumns(block, of: spec)
        try window.fold(columns: columns, rows: part.rows ?? Array(0..<block.rowCount), blockKey: part.blockKey,
                        frozenBins: baseline)
    }

    /// The `feature_status` row that holds a source's whole `FeatureStatusTracker` (every signal, one blob).
    static let trackerKey = ""

    /// Runs `unit` in the next group commit of the monitoring writer; store errors map to statuses as in
    /// `withStore`.
    func commit<R: Sendable>(_ unit: @escaping @Sendable (DriftStore) throws -> R) throws -> R {
        try Self.mapCommitErrors { try writer.perform(unit) }
    }

    /// Runs `body`, mapping store and writer errors to request errors (the one table for every commit path).
    static func mapCommitErrors<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
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

/// Thrown by a `withMonitor` body whose memory may be ahead of the store: the state is dropped (the next use
/// reloads it from the store, under a new generation) and `underlying` is rethrown.
struct DropMonitor: Error {
    let underlying: any Error
}
