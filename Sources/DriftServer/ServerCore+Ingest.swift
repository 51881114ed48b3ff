#if canImport(Glibc)
import Glibc
#endif
import DriftColumnar
import DriftEngine
import DriftStore
import DriftWire

extension ServerCore {
    /// Ingest (method 7, PROTOCOL §13): the block's rows folded into the source's windows, durably.
    ///
    /// Under the source's monitor lock: the idempotency key is checked first (against the store and the keys still
    /// in flight; a retry is answered from the first ingest's record, whatever happened to the windows since); the
    /// rows are assigned to windows (late rows refuse the block unless `allow_late`); each touched window gets a
    /// partial `WindowState` of just this block's rows, merged in place into the open window and appended to the
    /// store as a window part; windows the watermark closed are decided. All writes go into ONE group-commit unit,
    /// submitted under the lock (so a source's units commit in order) and waited for after it is released, so the
    /// next ingest of the same source is prepared while this one commits and joins the same commit. Memory runs
    /// ahead of the store only between submit and commit; a failed commit drops the monitor, which the next use
    /// reloads from the store (exactly the committed parts). In rolling-baseline mode an ingest that closes windows
    /// waits under the lock, because the next rolling baseline is read back from the store. An OK answer means all
    /// of it is durable.
    ///
    /// `context.requestID` is the request id of this Ingest (in its RESPONSE and log lines): what is derived from
    /// the request (window closes, alerts) carries it.
    func ingest(_ req: IngestRequest, _ frame: Frame, context: RequestContext = .none) throws -> IngestResponse {
        let key: String? = req.idempotencyKey.isEmpty ? nil : req.idempotencyKey
        if let key, key.utf8.count > DriftStore.maximumIngestKeyBytes {
            throw RequestError(.invalidArgument, "idempotency_key is over \(DriftStore.maximumIngestKeyBytes) bytes",
                               fieldPath: "idempotency_key")
        }
        guard !req.source.isEmpty else { throw RequestError(.invalidArgument, "source is empty", fieldPath: "source") }
        // Cheap rejections before the block is decompressed.
        _ = try withMonitor(req.source) { _ in () }
        let block = try decodeBlock(frame)
        let blockKey = key.map { BlockKey.hash(Array($0.utf8)) } ?? BlockKey.hash(frame.body)
        let now = DriftStore.wallClockMilliseconds()
        var waits = 0
        while true {
            let step: IngestStep
            do {
                step = try withMonitor(req.source) { st -> IngestStep in
                    if let key {
                        if st.pendingKeys.contains(key) { return .retry }
                        if let first = try withStore({ try $0.ingestKeyRecord(source: req.source, key: key) }) {
                            return .answered(IngestResponse(rowsAccepted: first.rows, duplicate: true))
                        }
                    }
                    return try prepareIngest(req, key: key, frame: frame, block: block, blockKey: blockKey, now: now,
                                             requestID: context.requestID, st: &st)
                }
            } catch let dup as DuplicateCommit {
                return IngestResponse(rowsAccepted: dup.rows, duplicate: true)
            }
            switch step {
            case .answered(let response):
                return response
            case .retry:
                // The same key is in flight on another request: its outcome decides (answered duplicate once it
                // committed, or applied by us if it failed).
                waits += 1
                guard waits < 10_000 else {
                    throw RequestError(.aborted, "idempotency key \(key ?? "") is still being applied by another request")
                }
                usleep(1000)
            case .submitted(let pending, var response, let rolling, var deferred):
                response = try finishIngest(req.source, key: key, pending, response, rolling)
                deferred?.requestID = context.requestID
                if let deferred, !response.duplicate { response.windowsClosed = try finishClose(deferred) }
                return response
            }
        }
    }

    /// What one pass under the monitor lock produced.
    enum IngestStep {
        case answered(IngestResponse)
        case retry
        case submitted(PendingUnit<(IngestOutcome, UInt64?)>, IngestResponse, RollingBaseline?, DeferredClose?)
    }

    /// Under the monitor lock: assign, fold, decide, update memory in place and submit the group-commit unit.
    private func prepareIngest(_ req: IngestRequest, key: String?, frame: Frame, block: DecodedBlock, blockKey: UInt64,
                               now: Int64, requestID: String, st: inout SourceMonitorState) throws -> IngestStep {
        let spec = st.spec
        for f in spec.features { _ = try column(f, in: block) }
        let columns = try FeatureBuilder.engineColumns(block, of: spec)
        let eventTimes = try self.eventTimes(block, req, st.settings, nowMs: now)
        let baseline = try comparisonBaseline(req.source)
        if st.settings.rollingWindows == nil && baseline == nil {
            throw RequestError(.failedPrecondition, "source \(req.source) has a fixed baseline and none was uploaded "
                + "yet; PutBaseline first (or create the source with baseline_mode rolling)")
        }
        var assigner = st.assigner
        let assignment = assigner.assign(rowCount: block.rowCount, eventTimes: eventTimes)
        // Windows closed on the timer are closed too, whatever the watermark says.
        var slices = assignment.slices
        var lateRows = assignment.lateRows
        if let through = st.closedThrough {
            for s in slices where s.window.index <= through { lateRows[s.window, default: 0] += s.rows.count }
            slices.removeAll { $0.window.index <= through }
        }
        let late = lateRows.values.reduce(0, +)
        if late > 0 && !req.allowLate {
            let oldest = lateRows.keys.min()!
            let start = st.range(of: oldest).startMs
            let when: String
            if case .eventTime = st.settings.mode { when = "\(AlertTimestamp.rfc3339(ms: start)) (\(start) ms)" } else { when = "row window \(start)" }
            throw RequestError(.failedPrecondition, "\(late) rows belong to windows already closed (the oldest "
                + "starts at \(when); grace \(st.settings.graceMs) ms); nothing of the block was applied — resend "
                + "with allow_late to count them as late")
        }
        // From here memory changes in place (no copy of the open windows); any failure drops the monitor. Each
        // touched window folds its rows straight from the block (a refused block changes nothing; a later slice
        // failing after an earlier one folded reloads the monitor), and keeps the block as its part.
        do {
            var parts: [(start: Int64, bytes: [UInt8])] = []
            var touched: [WindowRange] = []
            var counts: [Int64: Int] = [:]
            var accepted = 0
            for slice in slices {
                let range = st.range(of: slice.window)
                if st.open[slice.window.index] == nil {
                    st.open[slice.window.index] = OpenWindow(key: slice.window, range: range, state: st.emptyWindow())
                }
                do {
                    try st.open[slice.window.index]!.state.fold(columns: columns, rows: slice.rows, blockKey: blockKey,
                                                                frozenBins: baseline)
                } catch {
                    throw RequestError(.invalidArgument, "block: \(error)")
                }
                let all = slice.rows.count == block.rowCount
                parts.append((range.startMs, WindowPart(blockKey: blockKey, codec: frame.header.codec,
                                                        rows: all ? nil : slice.rows, body: frame.body).encode()))
                touched.append(range)
                counts[range.startMs] = slice.rows.count
                accepted += slice.rows.count
            }
            st.assigner = assigner
            st.progress.maxEventMilliseconds = assigner.maxEventTimeSeen
            st.progress.rowsSeen = assigner.rowsSeen
            st.progress.lastArrivalMilliseconds = now
            st.progress.lateRows &+= Int64(late)
            // Windows the new watermark (or row count) closed. Fixed baseline: taken out of the open set now and
            // decided after this ingest's commit, outside the lock (`finishClose`), so the source's other ingests
            // do not wait behind the comparison. Rolling baseline: decided here, in the same commit (the next
            // rolling baseline is read back from the store).
            let closing = st.open.values.filter { assigner.isClosed($0.key) }.sorted { $0.key < $1.key }
            var decided: [DecidedWindow] = []
            var deferred: DeferredClose? = nil
            if st.settings.rollingWindows == nil {
                deferred = deferClose(closing, st: &st, baseline: baseline)
            } else {
                for w in closing {
                    st.open[w.key.index] = nil
                    decided.append(try decide(w, st: st, baseline: baseline, stale: st.stale == true, tracker: &st.tracker,
                                              requestID: requestID))
                    st.lastClosed = w.range
                    st.closedThrough = max(st.closedThrough ?? .min, w.key.index)
                }
            }
            let rolling = try rollingBaseline(after: decided, st: st)
            let updates = touched.map { r in
                WindowUpdate(startMilliseconds: r.startMs, endMilliseconds: r.endMs, state: [],
                             rowsAdded: UInt64(counts[r.startMs] ?? 0))
            }
            let source = req.source
            let trackerBytes = decided.isEmpty ? [] : st.tracker.encode()
            let progress = st.progress
            let decidedNow = decided, partsNow = parts, keep = st.settings.keptClosedStates
            // Rolling baseline: the windows decided here, and the alert decisions they cause, go into this unit.
            let (pending, alertWrites) = try submitWithAlerts(
                source: source, components: Self.alertComponents(decided, source: source, requestID: requestID), nowMs: now
            ) { store -> (IngestOutcome, UInt64?) in
                let outcome = try store.applyIngest(source: source, key: key, windowUpdates: updates)
                guard outcome == .applied else { return (outcome, nil) }
                for p in partsNow { try store.appendWindowPart(source: source, start: p.start, state: p.bytes) }
                try store.putProgress(progress)
                let id = try Self.persist(decidedNow, source: source, tracker: trackerBytes, rolling: rolling,
                                      keepStates: keep, in: store)
                return (outcome, id)
            }
            if let key { st.pendingKeys.insert(key) }
            metrics.recordNewestEvent(source: source, ms: progress.maxEventMilliseconds)
            stats.valuesProcessed.add(UInt64(block.rowCount * spec.features.count), ordering: .relaxed)
            let response = IngestResponse(rowsAccepted: UInt64(accepted), rowsLate: UInt64(late), duplicate: false,
                                          windowsTouched: touched, windowsClosed: decided.map(\.closed))
            if st.settings.rollingWindows != nil && !decided.isEmpty {
                // The next rolling baseline reads these windows back from the store: commit before unlocking.
                let result = Result { try waitForAlertUnit(pending, alertWrites) }
                if let key { st.pendingKeys.remove(key) }
                return .answered(try finishCommitted(source, result, response, rolling))
            }
            return .submitted(pending, response, rolling, deferred)
        } catch let d as DropMonitor {
            throw d
        } catch {
            throw DropMonitor(underlying: error)
        }
    }

    /// Outside the lock: waits for the commit, then retires the key; a failed or duplicate commit drops the
    /// monitor (memory was ahead of the store).
    private func finishIngest(_ source: String, key: String?, _ pending: PendingUnit<(IngestOutcome, UInt64?)>,
                              _ response: IngestResponse, _ rolling: RollingBaseline?) throws -> IngestResponse {
        let result = Result { try pending.wait() }
        return try monitor(source).state.withLock { slot in
            if let key { slot?.pendingKeys.remove(key) }
            do {
                return try finishCommitted(source, result, response, rolling)
            } catch let d as DropMonitor {
                slot = nil  // memory was ahead of the store: the next use reloads it
                if let dup = d.underlying as? DuplicateCommit { return IngestResponse(rowsAccepted: dup.rows, duplicate: true) }
                throw d.underlying
            }
        }
    }

    /// The answer once the unit is committed; a failed unit, or a duplicate found only at commit (memory folded
    /// the block once too often), throws `DropMonitor` so the caller drops the state and the store is the truth.
    private func finishCommitted(_ source: String, _ result: Result<(IngestOutcome, UInt64?), any Error>,
                                 _ response: IngestResponse, _ rolling: RollingBaseline?) throws -> IngestResponse {
        do {
            return try Self.answer(result, response, rolling, install: { self.installRolling(rolling, id: $0, source: source) })
        } catch {
            throw DropMonitor(underlying: error)
        }
    }

    /// The answer for a committed unit: the prepared response, or the first ingest's rows for a duplicate (which
    /// is thrown as `DuplicateCommit` so memory is reloaded).
    private static func answer(_ result: Result<(IngestOutcome, UInt64?), any Error>, _ response: IngestResponse,
                               _ rolling: RollingBaseline?, install: (UInt64?) -> Void) throws -> IngestResponse {
        let (outcome, id): (IngestOutcome, UInt64?)
        (outcome, id) = try Self.mapCommitErrors { try result.get() }
        if case .duplicate(_, let rows) = outcome { throw DuplicateCommit(rows: rows) }
        install(id)
        return response
    }

    /// Each row's event time (ms): the source's event-time column, else the request's block timestamp, else the
    /// block's; empty for row-count windows.
    ///
    /// Event times must lie in [1970-01-01, now + 1 day]: one row from the far future would move the source's
    /// watermark past every window to come and make all later rows late, so such a block is refused whole
    /// (INVALID_ARGUMENT naming the first offending row).
    func eventTimes(_ block: DecodedBlock, _ req: IngestRequest, _ settings: MonitorSettings,
                    nowMs: Int64) throws -> [Int64] {
        let times = try rawEventTimes(block, req, settings)
        let latest = nowMs &+ Self.maximumEventTimeAheadMs
        if let i = times.firstIndex(where: { $0 < 0 || $0 > latest }) {
            throw RequestError(.invalidArgument, "event time \(times[i]) ms (row \(i)) is outside 1970-01-01 … now + 1 day "
                + "(\(AlertTimestamp.rfc3339(ms: latest))); nothing of the block was applied",
                               fieldPath: settings.eventTimeColumn ?? "block_timestamp_ms")
        }
        return times
    }

    /// How far ahead of the server's clock an event time may lie (clock skew, time zones handled wrong).
    static let maximumEventTimeAheadMs: Int64 = 86_400_000

    private func rawEventTimes(_ block: DecodedBlock, _ req: IngestRequest, _ settings: MonitorSettings) throws -> [Int64] {
        guard case .eventTime = settings.mode else { return [] }
        if let name = settings.eventTimeColumn {
            guard let c = block.column(named: name) else {
                throw RequestError(.invalidArgument, "the block has no event-time column \(name)", fieldPath: name)
            }
            guard c.type == .timestampMs || c.type == .int64, let times = c.withInt64Values({ Array($0) }) else {
                throw RequestError(.invalidArgument, "event-time column \(name) is \(c.type.name); it must be "
                    + "TIMESTAMP_MS or INT64 (ms since the epoch)", fieldPath: name)
            }
            if let v = c.validity, v.nullCount > 0 {
                throw RequestError(.invalidArgument, "event-time column \(name) has \(v.nullCount) null rows",
                                   fieldPath: name)
            }
            return times
        }
        guard let t = req.blockTimestampMs ?? block.timestampUnixMs else {
            throw RequestError(.invalidArgument, "no event time: the source has no event_time_column and neither the "
                + "request (block_timestamp_ms) nor the block (timestamp_unix_ms) carries a timestamp",
                               fieldPath: "block_timestamp_ms")
        }
        return [Int64](repeating: t, count: block.rowCount)
    }
}

/// A unit found its idempotency key already committed (answered as a duplicate after memory is reloaded).
struct DuplicateCommit: Error {
    let rows: UInt64
}

/// A 64-bit digest of a block's identity (its idempotency key, or its bytes): the seed of the rows' sampling
/// priorities in `WindowState`, so the rows kept beyond the value cap do not depend on arrival order. Not
/// cryptographic; 8 bytes at a time.
enum BlockKey {
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < raw.count {
                tail |= UInt64(raw[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ tail)
        }
        return h
    }

    /// SplitMix64's finaliser.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
