import DriftColumnar
import DriftEngine
import DriftStore
import DriftWire

extension ServerCore {
    /// Ingest (method 7, PROTOCOL §13): the block's rows folded into the source's windows, durably.
    ///
    /// Under the source's monitor lock: the idempotency key is checked first (a retry is answered from the first
    /// ingest's record, whatever happened to the windows since); the rows are assigned to windows (late rows refuse
    /// the block unless `allow_late`); each touched window gets a partial `WindowState` of just this block's rows,
    /// appended to the store as a window part in ONE group-commit unit with the key, the window counters and the
    /// source's progress; windows the watermark closed are decided in the same unit. Memory is updated only after
    /// the commit; an OK answer means all of it is durable.
    func ingest(_ req: IngestRequest, _ frame: Frame) throws -> IngestResponse {
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
        return try withMonitor(req.source) { st -> IngestResponse in
            if let key, let first = try withStore({ try $0.ingestKeyRecord(source: req.source, key: key) }) {
                return IngestResponse(rowsAccepted: first.rows, duplicate: true)
            }
            let spec = st.spec
            for f in spec.features { _ = try column(f, in: block) }
            let columns = try FeatureBuilder.engineColumns(block, of: spec)
            let eventTimes = try self.eventTimes(block, req, st.settings)
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
                throw RequestError(.failedPrecondition, "\(late) rows belong to windows already closed (the oldest "
                    + "starts at \(st.range(of: oldest).startMs) ms; grace \(st.settings.graceMs) ms); nothing of the "
                    + "block was applied — resend with allow_late to count them as late")
            }
            // Fold: one partial state per touched window (persisted as a part) merged into the open window.
            var open = st.open
            var parts: [(range: WindowRange, bytes: [UInt8], rows: Int)] = []
            var touched: [WindowRange] = []
            var accepted = 0
            for slice in slices {
                var partial = st.emptyWindow()
                do {
                    try partial.fold(columns: columns, rows: slice.rows, blockKey: blockKey, frozenBins: baseline)
                } catch {
                    throw RequestError(.invalidArgument, "block: \(error)")
                }
                let range = st.range(of: slice.window)
                var window = open[slice.window.index] ?? OpenWindow(key: slice.window, range: range, state: st.emptyWindow())
                do { try window.state.merge(partial) } catch {
                    throw RequestError(.internal, "window \(range.startMs): \(error)")
                }
                open[slice.window.index] = window
                parts.append((range, partial.encode(), slice.rows.count))
                touched.append(range)
                accepted += slice.rows.count
            }
            var progress = st.progress
            progress.maxEventMilliseconds = assigner.maxEventTimeSeen
            progress.rowsSeen = assigner.rowsSeen
            progress.lastArrivalMilliseconds = now
            progress.lateRows &+= Int64(late)
            // Windows the new watermark (or row count) closed: decided now, in the same commit.
            var tracker = st.tracker
            let closing = open.values.filter { assigner.isClosed($0.key) }.sorted { $0.key < $1.key }
            var decided: [DecidedWindow] = []
            for w in closing {
                decided.append(try decide(w, st: st, baseline: baseline, stale: st.stale == true, tracker: &tracker))
                open[w.key.index] = nil
            }
            let rolling = try rollingBaseline(after: decided, st: st)
            let updates = parts.map {
                WindowUpdate(startMilliseconds: $0.range.startMs, endMilliseconds: $0.range.endMs, state: [],
                             rowsAdded: UInt64($0.rows))
            }
            let source = req.source
            let trackerBytes = tracker.encode()
            let finalProgress = progress
            let decidedNow = decided, partsNow = parts
            let (outcome, rollingID) = try commit { store -> (IngestOutcome, UInt64?) in
                let outcome = try store.applyIngest(source: source, key: key, windowUpdates: updates)
                guard outcome == .applied else { return (outcome, nil) }
                for p in partsNow { try store.appendWindowPart(source: source, start: p.range.startMs, state: p.bytes) }
                try store.putProgress(finalProgress)
                let id = try Self.persist(decidedNow, source: source, tracker: trackerBytes, rolling: rolling, in: store)
                return (outcome, id)
            }
            if case .duplicate(_, let rows) = outcome {
                return IngestResponse(rowsAccepted: rows, duplicate: true)
            }
            st.assigner = assigner
            st.open = open
            st.progress = progress
            if !decided.isEmpty {
                st.tracker = tracker
                st.lastClosed = decided.last!.range
                st.closedThrough = max(st.closedThrough ?? .min, closing.last!.key.index)
            }
            installRolling(rolling, id: rollingID, source: source)
            stats.valuesProcessed.add(UInt64(block.rowCount * spec.features.count), ordering: .relaxed)
            return IngestResponse(rowsAccepted: UInt64(accepted), rowsLate: UInt64(late), duplicate: false,
                                  windowsTouched: touched, windowsClosed: decided.map(\.closed))
        }
    }

    /// Each row's event time (ms): the source's event-time column, else the request's block timestamp, else the
    /// block's; empty for row-count windows.
    func eventTimes(_ block: DecodedBlock, _ req: IngestRequest, _ settings: MonitorSettings) throws -> [Int64] {
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
