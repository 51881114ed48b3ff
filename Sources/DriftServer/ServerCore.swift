import DriftColumnar
import DriftEngine
import DriftStore
import DriftTransport
import DriftWire
import Synchronization

/// A request failure: answered as a RESPONSE with `status` and an `ErrorDetail`.
struct RequestError: Error {
    var status: WireStatus
    var message: String
    var fieldPath: String? = nil

    init(_ status: WireStatus, _ message: String, fieldPath: String? = nil) {
        self.status = status
        self.message = message
        self.fieldPath = fieldPath
    }
}

/// State shared by the session handler and the workers.
final class ServerCore: Sendable {
    let configuration: DriftServerConfiguration
    let negotiator: HandshakeNegotiator
    let pool: WorkerPool
    /// Open connections whose handshake succeeded; an entry is removed when its connection closes (or is being
    /// closed), so the count is the `connections` stat (touched on the loop thread and by ServerStats).
    let sessions = Mutex<Set<UInt64>>([])
    /// The one store; every access holds the lock (one writer).
    nonisolated(unsafe) private let store: DriftStore
    private let storeLock = Mutex<Void>(())
    /// Decoded current baseline per source (this process is the store's only writer, so it stays current).
    private let baselines = Mutex<[String: (id: UInt64, state: BaselineState)]>([:])
    let stats = ServerCounters()
    private let started = ContinuousClock.now

    init(configuration: DriftServerConfiguration) throws {
        self.configuration = configuration
        negotiator = HandshakeNegotiator(
            limits: ConnectionLimits(configuration.limits, maxConcurrentStreams: configuration.maxConcurrentStreams),
            methods: MethodID.descriptors)
        store = try DriftStore(path: configuration.storePath)
        pool = WorkerPool(workers: configuration.workers)
    }

    // MARK: Dispatch (loop thread)

    func accept(_ frame: Frame, from connection: ConnectionHandle) {
        let h = frame.header
        let arrived = ContinuousClock.now
        stats.requestReceived(methodID: h.methodID, bytes: UInt64(h.frameLength))
        guard let method = MethodID(rawValue: h.methodID), method.supports(version: h.methodVersion) else {
            return respond(connection, h, error: RequestError(
                .unimplemented, "method \(h.methodID) version \(h.methodVersion) is not implemented"))
        }
        let budget = h.deadlineMs == 0 ? configuration.defaultDeadlineMs : h.deadlineMs
        let deadline = arrived.advanced(by: .milliseconds(Int(budget)))
        stats.inFlight.add(1, ordering: .relaxed)
        let submitted = pool.submit { [self] in
            defer { stats.inFlight.subtract(1, ordering: .relaxed) }
            let picked = ContinuousClock.now
            guard picked < deadline else {
                stats.budgetMisses.add(1, ordering: .relaxed)
                return respond(connection, h, error: RequestError(
                    .deadlineExceeded, "the \(budget) ms budget had passed before the request could start"))
            }
            do {
                let meta = try run(method, frame, queueWaitUs: micros(picked - arrived))
                respond(connection, h, status: .ok, metadata: meta)
            } catch let e as RequestError {
                respond(connection, h, error: e)
            } catch {
                respond(connection, h, error: RequestError(.internal, "\(error)"))
            }
        }
        if !submitted {
            stats.inFlight.subtract(1, ordering: .relaxed)
            respond(connection, h, error: RequestError(.unavailable, "the server is stopping"))
        }
    }

    private func respond(_ connection: ConnectionHandle, _ request: FrameHeader, error: RequestError) {
        stats.errors.add(1, ordering: .relaxed)
        let detail = ErrorDetail(status: error.status, message: error.message, fieldPath: error.fieldPath)
        respond(connection, request, status: error.status, metadata: detail.encode())
    }

    private func respond(_ connection: ConnectionHandle, _ request: FrameHeader, status: WireStatus, metadata: [UInt8]) {
        let header = FrameHeader(type: .response, flags: .endStream, status: status, streamID: request.streamID,
                                 methodID: request.methodID, methodVersion: request.methodVersion)
        connection.send(Frame(header: header, metadata: metadata))
    }

    // MARK: Methods (workers)

    private func run(_ method: MethodID, _ frame: Frame, queueWaitUs: UInt64) throws -> [UInt8] {
        if method.carriesBlock {
            guard !frame.body.isEmpty else { throw RequestError(.invalidArgument, "\(method.name) needs a ColumnBlock body") }
        } else if !frame.body.isEmpty {
            throw RequestError(.invalidArgument, "\(method.name) takes no body")
        }
        switch method {
        case .createSource:
            let req = try decode { () throws(WireError) in try CreateSourceRequest.decode(frame.metadata) }
            try Validation.check(req.source)
            let created = try withStore { try $0.createSource(req.source) }
            return CreateSourceResponse(created: created == .created).encode()
        case .getSource:
            let req = try decode { () throws(WireError) in try GetSourceRequest.decode(frame.metadata) }
            let (spec, current) = try withStore { s in (try s.source(named: req.name), try s.currentBaseline(source: req.name)?.id) }
            guard let spec else { throw RequestError(.notFound, "no source named \(req.name)", fieldPath: "name") }
            return GetSourceResponse(source: spec, baselineID: current).encode()
        case .listSources:
            let req = try decode { () throws(WireError) in try ListSourcesRequest.decode(frame.metadata) }
            let limit = req.pageSize == 0 ? 100 : Int(min(req.pageSize, 1000))
            let after: String?
            if req.pageToken.isEmpty { after = nil } else {
                guard req.pageToken.hasPrefix("after:") else {
                    throw RequestError(.invalidArgument, "unknown page token", fieldPath: "page_token")
                }
                after = String(req.pageToken.dropFirst(6))
            }
            let page = try withStore { try $0.listSources(after: after, limit: limit + 1) }
            let more = page.count > limit
            let sources = Array(page.prefix(limit))
            return ListSourcesResponse(sources: sources, nextPageToken: more ? "after:" + sources.last!.name : "").encode()
        case .putBaseline:
            let req = try decode { () throws(WireError) in try PutBaselineRequest.decode(frame.metadata) }
            return try putBaseline(req, frame).encode()
        case .checkDrift:
            let req = try decode { () throws(WireError) in try CheckDriftRequest.decode(frame.metadata) }
            return try checkDrift(req, frame, queueWaitUs: queueWaitUs).encode()
        case .serverStats:
            _ = try decode { () throws(WireError) in try ServerStatsRequest.decode(frame.metadata) }
            return stats.snapshot(uptimeMs: UInt64(micros(ContinuousClock.now - started) / 1000),
                                  connections: UInt64(sessions.withLock { $0.count })).encode()
        }
    }

    private func putBaseline(_ req: PutBaselineRequest, _ frame: Frame) throws -> PutBaselineResponse {
        guard req.blockCount >= 1 else { throw RequestError(.invalidArgument, "block_count must be at least 1", fieldPath: "block_count") }
        guard req.blockCount == 1, req.lastBlock else {
            throw RequestError(.unimplemented, "multi-block baseline uploads are not implemented yet: send one block with last_block")
        }
        guard let spec = try withStore({ try $0.source(named: req.source) }) else {
            throw RequestError(.notFound, "no source named \(req.source)", fieldPath: "source")
        }
        let block = try decodeBlock(frame)
        var features: [(name: String, baseline: FeatureBaseline)] = []
        var sampled = false
        var sampleSize: UInt64 = 0
        for (i, f) in spec.features.enumerated() {
            let col = try column(f, in: block)
            let fb = try FeatureBuilder.baseline(f, col, seed: 0x5EED_0000 &+ UInt64(i))
            if case .numeric(let nb) = fb, nb.sampled {
                sampled = true
                sampleSize = max(sampleSize, UInt64(nb.sortedValues.count))
            }
            features.append((f.name, fb))
        }
        stats.valuesProcessed.add(UInt64(block.rowCount * spec.features.count), ordering: .relaxed)
        let state = BaselineState(features: features)
        let bytes = state.encode()
        let id = try withStore { store in
            let id = try store.putBaseline(source: req.source, rows: UInt64(block.rowCount), state: bytes)
            baselines.withLock { $0[req.source] = (id, state) }  // under the store lock: ids stay in order
            return id
        }
        return PutBaselineResponse(baselineID: id, rows: UInt64(block.rowCount), sampled: sampled, sampleSize: sampleSize)
    }

    private func checkDrift(_ req: CheckDriftRequest, _ frame: Frame, queueWaitUs: UInt64) throws -> CheckDriftResponse {
        let (spec, current) = try withStore { store -> (SourceSpec?, (id: UInt64, state: BaselineState)?) in
            guard let spec = try store.source(named: req.source) else { return (nil, nil) }
            if let cached = baselines.withLock({ $0[req.source] }) { return (spec, cached) }
            guard let stored = try store.currentBaseline(source: req.source) else { return (spec, nil) }
            let state: BaselineState
            do { state = try BaselineState.decode(stored.state) } catch {
                throw RequestError(.dataLoss, "stored baseline \(stored.id) of \(req.source) is unreadable: \(error)")
            }
            baselines.withLock { $0[req.source] = (stored.id, state) }
            return (spec, (stored.id, state))
        }
        guard let spec else { throw RequestError(.notFound, "no source named \(req.source)", fieldPath: "source") }
        guard let current else { throw RequestError(.failedPrecondition, "source \(req.source) has no baseline yet") }
        let t0 = ContinuousClock.now
        let block = try decodeBlock(frame)
        let t1 = ContinuousClock.now
        var verdicts: [FeatureVerdict] = []
        let declared = Set(spec.features.map(\.name))
        let ignored = block.columns.map(\.name).filter { !declared.contains($0) }
        for f in spec.features {
            guard let fb = current.state[f.name] else {
                verdicts.append(FeatureVerdict(feature: f.name, kind: FeatureBuilder.kind(f), decision: .insufficientData,
                                               notes: ["the baseline has no state for this feature"]))
                continue
            }
            guard let col = block.column(named: f.name) else {
                verdicts.append(FeatureVerdict(feature: f.name, kind: FeatureBuilder.kind(f), decision: .insufficientData,
                                               notes: ["the block has no column \(f.name); not compared"]))
                continue
            }
            guard col.type.rawValue == f.type else {
                throw RequestError(.invalidArgument, "column \(f.name) is \(col.type.name), the feature is type \(f.type)",
                                   fieldPath: f.name)
            }
            verdicts.append(try FeatureBuilder.compare(f, col, against: fb))
        }
        if !ignored.isEmpty && !verdicts.isEmpty {
            verdicts[0].notes.append("undeclared columns ignored: " + ignored.joined(separator: ", "))
        }
        let t2 = ContinuousClock.now
        stats.valuesProcessed.add(UInt64(block.rowCount * spec.features.count), ordering: .relaxed)
        return CheckDriftResponse(baselineID: current.id, verdicts: verdicts,
                                  timings: ServerTimings(queueWaitUs: queueWaitUs, decodeUs: micros(t1 - t0),
                                                         computeUs: micros(t2 - t1)),
                                  approximate: false)
    }

    // MARK: Helpers

    private func decode<T>(_ body: () throws(WireError) -> T) throws -> T {
        do { return try body() } catch {
            let d = ErrorDetail(error)
            throw RequestError(d.status, "malformed metadata: \(d.message)", fieldPath: d.fieldPath)
        }
    }

    private func withStore<T>(_ body: (DriftStore) throws -> T) throws -> T {
        do {
            return try storeLock.withLock { _ in try body(store) }
        } catch let e as RequestError {
            throw e
        } catch let e as DriftStoreError {
            switch e {
            case .conflict(let s): throw RequestError(.alreadyExists, "source \(s) exists with a different definition")
            case .notFound(let s): throw RequestError(.notFound, "no source named \(s)", fieldPath: "source")
            case .invalidArgument(let m): throw RequestError(.invalidArgument, m)
            case .corrupt(let m): throw RequestError(.dataLoss, m)
            case .sqlite(let e): throw RequestError(.internal, "store: \(e)")
            }
        } catch {
            throw RequestError(.internal, "store: \(error)")
        }
    }

    private func decodeBlock(_ frame: Frame) throws -> DecodedBlock {
        let decoder = ColumnBlockDecoder()
        do {
            switch frame.header.codec {
            case .zstd: return try decoder.decodeCompressed(frame.body, maxDecoded: configuration.limits.maxDecoded)
            case .none: return try decoder.decode(frame.body)
            }
        } catch {
            throw RequestError(error.code, "block: \(error.description)", fieldPath: error.column)
        }
    }

    private func column(_ f: FeatureSpec, in block: DecodedBlock) throws -> DecodedColumn {
        guard let col = block.column(named: f.name) else {
            throw RequestError(.invalidArgument, "the block has no column \(f.name)", fieldPath: f.name)
        }
        guard col.type.rawValue == f.type else {
            throw RequestError(.invalidArgument, "column \(f.name) is \(col.type.name), the feature is type \(f.type)",
                               fieldPath: f.name)
        }
        return col
    }
}

func micros(_ d: Duration) -> UInt64 {
    let c = d.components
    let us = c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000
    return us < 0 ? 0 : UInt64(us)
}
