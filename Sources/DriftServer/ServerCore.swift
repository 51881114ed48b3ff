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
    var retryAfterMs: UInt32? = nil

    init(_ status: WireStatus, _ message: String, fieldPath: String? = nil, retryAfterMs: UInt32? = nil) {
        self.status = status
        self.message = message
        self.fieldPath = fieldPath
        self.retryAfterMs = retryAfterMs
    }
}

/// How a data-carrying request will be computed (see `CostModel` and PROTOCOL §13 "Latency budgets").
enum ComputeMode: Sendable, Equatable {
    case exact
    case approximate
}

/// State shared by the session handler (loop thread) and the workers.
final class ServerCore: Sendable {
    let configuration: DriftServerConfiguration
    let negotiator: HandshakeNegotiator
    let pool: WorkerPool
    /// Open sessions (handshake done) by connection id; removed when the connection closes.
    let sessions = Mutex<[UInt64: Session]>([:])
    /// The one store; every access holds the lock (one writer).
    nonisolated(unsafe) let store: DriftStore
    let storeLock = Mutex<Void>(())
    /// Decoded current baseline per source (this process is the store's only writer, so it stays current).
    let baselines = Mutex<[String: (id: UInt64, state: BaselineState)]>([:])
    let stats = ServerCounters()
    /// Requests by method and status, latency histograms, alert deliveries, drift gauges (`/metrics`).
    let metrics: ServerMetrics
    /// The structured log (`DriftServerConfiguration.logger`).
    let log: Logger
    let requestIDs = RequestIDs()
    /// The HTTP endpoint's handler pool, when there is one (its utilisation is reported by `/metrics`).
    let httpPool = Mutex<WorkerPool?>(nil)
    let costs = CostModel()
    /// Requests accepted and not yet started by a worker, and the estimated microseconds of their work.
    let queuedRequests = Atomic<Int>(0)
    let queuedMicros = Atomic<Int>(0)
    /// Set by `drain()`: new HELLOs are refused, new requests ignored (PROTOCOL §12 "GOAWAY and draining").
    let draining = Atomic<Bool>(false)
    let started = ContinuousClock.now
    /// Monitoring state per source (windows, hysteresis, progress), loaded on first use.
    let monitors = Mutex<[String: SourceMonitor]>([:])
    /// Group commit for ingests, window closings and freshness records: a second connection to the store, its
    /// writes serialised with the first one's by SQLite (WAL, busy timeout).
    let writer: GroupCommitWriter
    /// Generations of loaded monitor states (see `SourceMonitorState.generation`).
    let monitorGenerations = Atomic<UInt64>(0)
    /// When the monitoring timer last applied the history retention (ms; 0 = not yet).
    let lastRetentionMs = Atomic<Int64>(0)
    /// Alert decisions (dispatcher, components) and the outbox's wake-up; see `AlertCoordinator` for its lock.
    let alerting: AlertCoordinator

    init(configuration: DriftServerConfiguration) throws {
        self.configuration = configuration
        metrics = ServerMetrics(maxFeatureSeries: configuration.maxFeatureSeries)
        log = configuration.logger
        negotiator = HandshakeNegotiator(
            limits: ConnectionLimits(configuration.limits, maxConcurrentStreams: configuration.maxConcurrentStreams),
            methods: MethodID.descriptors, requiredAuthToken: configuration.authToken)
        store = try DriftStore(path: configuration.storePath)
        writer = try GroupCommitWriter(store: try DriftStore(path: configuration.storePath))
        alerting = AlertCoordinator(config: configuration.alerting, delivery: configuration.alertDelivery,
                                    dashboardURL: configuration.dashboardURL,
                                    deliverySettings: configuration.alertDeliverySettings)
        pool = WorkerPool(workers: configuration.workers)
        try reloadAlerting(nowMs: DriftStore.wallClockMilliseconds())
    }

    // MARK: Sessions (loop thread)

    func open(_ connection: ConnectionHandle) {
        sessions.withLock { $0[connection.id] = Session(connection: connection) }
    }

    func session(_ connection: ConnectionHandle) -> Session? {
        sessions.withLock { $0[connection.id] }
    }

    /// The connection is gone: forget the session; its queued requests are cancelled (nobody can read the answer).
    func closed(_ connection: ConnectionHandle) {
        guard let s = sessions.withLock({ $0.removeValue(forKey: connection.id) }) else { return }
        let tickets = s.state.withLock { Array($0.streams.values) }
        for t in tickets { _ = t.cancel() }
    }

    // MARK: Dispatch (loop thread)

    /// Admission of one REQUEST: stream bookkeeping and limits, method, queue room, then the latency budget.
    func accept(_ frame: Frame, on session: Session) {
        let h = frame.header
        let arrived = ContinuousClock.now
        let connection = session.connection
        // The request id: the client's CheckDrift `request_id` when usable, else a fresh one.
        let method = MethodID(rawValue: h.methodID)
        var checkRequest: CheckDriftRequest? = nil
        if method == .checkDrift { checkRequest = try? CheckDriftRequest.decode(frame.metadata) }
        let requestID = requestIDs.id(clientSupplied: checkRequest?.requestID)
        enum Admission { case ignore, duplicate, tooMany(Int), admitted(RequestTicket) }
        let admission = session.state.withLock { s -> Admission in
            if s.draining { return .ignore }
            if s.streams[h.streamID] != nil { return .duplicate }
            if s.streams.count >= Int(configuration.maxConcurrentStreams) { return .tooMany(s.streams.count) }
            let t = RequestTicket(streamID: h.streamID, requestID: requestID, arrived: arrived)
            s.streams[h.streamID] = t
            s.highestStreamID = max(s.highestStreamID, h.streamID)
            return .admitted(t)
        }
        let ticket: RequestTicket
        switch admission {
        case .ignore:
            return  // after GOAWAY: not processed (the client retries ids above last_stream_id elsewhere)
        case .duplicate:
            return goAway(session, .invalidArgument, "stream id \(h.streamID) is already in flight on this connection")
        case .tooMany(let n):
            stats.requestReceived(methodID: h.methodID, bytes: UInt64(h.frameLength))
            return send(connection, h, requestID: requestID, arrived: arrived, error: RequestError(
                .resourceExhausted, "\(n) requests are already in flight on this connection (max_concurrent_streams "
                    + "\(configuration.maxConcurrentStreams)); wait for an answer", retryAfterMs: retryAfterMs()))
        case .admitted(let t):
            ticket = t
        }
        stats.requestReceived(methodID: h.methodID, bytes: UInt64(h.frameLength))
        guard let method, method.supports(version: h.methodVersion) else {
            return respond(session, ticket, h, error: RequestError(
                .unimplemented, "method \(h.methodID) version \(h.methodVersion) is not implemented"))
        }
        guard queuedRequests.load(ordering: .relaxed) < configuration.maxQueuedRequests else {
            return respond(session, ticket, h, error: RequestError(
                .resourceExhausted, "the server's queue is full (\(configuration.maxQueuedRequests) requests waiting)",
                retryAfterMs: retryAfterMs()))
        }
        let budgetMs = h.deadlineMs == 0 ? configuration.defaultDeadlineMs : h.deadlineMs
        let deadline = arrived.advanced(by: .milliseconds(Int(budgetMs)))

        // The budget: refuse at once what the estimate says cannot finish in time, or plan the cheaper method.
        var mode = ComputeMode.exact
        var estimate: Double? = nil
        if method == .checkDrift {
            // Decoded above for its request id when it could be; decoded again here only to report why not.
            if checkRequest == nil {
                do { checkRequest = try CheckDriftRequest.decode(frame.metadata) } catch {
                    let d = ErrorDetail(error)
                    return respond(session, ticket, h, error: RequestError(d.status, "malformed metadata: \(d.message)",
                                                                            fieldPath: d.fieldPath))
                }
            }
            let plan = planBudget(source: checkRequest!.source, rawBytes: Int(h.bodyRawLength),
                                  budgetMicros: Double(budgetMs) * 1000, allowApproximate: checkRequest!.allowApproximate)
            switch plan {
            case .refuse(let message):
                log.warning("request refused: over its latency budget", [
                    "request_id": .string(requestID), "method": .string(method.name),
                    "source": .string(checkRequest!.source), "budget_ms": .uint(UInt64(budgetMs)),
                ])
                stats.budgetMisses.add(1, ordering: .relaxed)
                stats.budgetRefusals.add(1, ordering: .relaxed)
                return respond(session, ticket, h, error: RequestError(.deadlineExceeded, message))
            case .run(let m, let e):
                mode = m
                estimate = e
            }
        }

        let queuedEstimate = Int(estimate ?? costs.meanServiceMicros)
        queuedRequests.add(1, ordering: .relaxed)
        queuedMicros.add(queuedEstimate, ordering: .relaxed)
        stats.inFlight.add(1, ordering: .relaxed)
        let job = RequestJob(frame: frame, method: method, session: session, ticket: ticket, arrived: arrived,
                             deadline: deadline, budgetMs: budgetMs, mode: mode, checkRequest: checkRequest)
        let submitted = pool.submit { [self] in
            queuedRequests.subtract(1, ordering: .relaxed)
            queuedMicros.subtract(queuedEstimate, ordering: .relaxed)
            defer { stats.inFlight.subtract(1, ordering: .relaxed) }
            execute(job)
        }
        if !submitted {
            queuedRequests.subtract(1, ordering: .relaxed)
            queuedMicros.subtract(queuedEstimate, ordering: .relaxed)
            stats.inFlight.subtract(1, ordering: .relaxed)
            respond(session, ticket, h, error: RequestError(.unavailable, "the server is stopping"))
        }
    }

    /// A CANCEL for `streamID`: a queued request is answered CANCELLED now; a running one stops at its next
    /// feature; an unknown or finished one is ignored (PROTOCOL §12 rule 4).
    func cancel(streamID: UInt32, on session: Session) {
        guard let t = session.state.withLock({ $0.streams[streamID] }) else { return }
        switch t.cancel() {
        case .wasQueued:
            stats.cancelled.add(1, ordering: .relaxed)
            let h = FrameHeader(type: .request, streamID: streamID)
            respond(session, t, h, error: RequestError(.cancelled, "cancelled by the client before it started"))
        case .wasRunning, .alreadyFinished:
            break
        }
    }

    enum BudgetPlan { case run(ComputeMode, estimateMicros: Double?), refuse(String) }

    /// Whether a CheckDrift of `rawBytes` decoded bytes on `source` fits its budget, given the queue ahead of it.
    func planBudget(source: String, rawBytes: Int, budgetMicros: Double, allowApproximate: Bool) -> BudgetPlan {
        let exactKey = CostModel.Key(method: MethodID.checkDrift.rawValue, source: source, approximate: false)
        guard let exact = costs.estimateMicros(exactKey, rawBytes: rawBytes) else { return .run(.exact, estimateMicros: nil) }
        let queueWait = Double(queuedMicros.load(ordering: .relaxed)) / Double(pool.count)
        if queueWait + exact <= budgetMicros { return .run(.exact, estimateMicros: exact) }
        if allowApproximate {
            let approxKey = CostModel.Key(method: MethodID.checkDrift.rawValue, source: source, approximate: true)
            let approx = costs.estimateMicros(approxKey, rawBytes: rawBytes)
            if approx == nil || queueWait + approx! <= budgetMicros { return .run(.approximate, estimateMicros: approx) }
        }
        return .refuse("the exact check is estimated at \(ms(queueWait + exact)) ms (queue \(ms(queueWait)) ms + "
            + "work \(ms(exact)) ms), over the \(ms(budgetMicros)) ms budget"
            + (allowApproximate ? " even approximately" : "; raise the budget or set allow_approximate"))
    }

    /// A retry-after for RESOURCE_EXHAUSTED: the estimated time for the queue to drain, at least 10 ms.
    func retryAfterMs() -> UInt32 {
        let micros = Double(queuedMicros.load(ordering: .relaxed)) / Double(pool.count)
        return UInt32(min(max(micros / 1000, 10), 60_000))
    }

    // MARK: Answers

    /// Answers a request once and retires its stream; a draining session closes after its last answer.
    func respond(_ session: Session, _ ticket: RequestTicket, _ request: FrameHeader, status: WireStatus = .ok,
                 metadata: [UInt8]) {
        respond(session, ticket, request, status: status, metadata: metadata, error: nil)
    }

    func respond(_ session: Session, _ ticket: RequestTicket, _ request: FrameHeader, error: RequestError) {
        stats.errors.add(1, ordering: .relaxed)
        respond(session, ticket, request, status: error.status, metadata: detail(error).encode(), error: error)
    }

    private func respond(_ session: Session, _ ticket: RequestTicket, _ request: FrameHeader, status: WireStatus,
                         metadata: [UInt8], error: RequestError?) {
        // Retire the stream before the answer leaves: a client may reuse its slot (or id) as soon as it reads it.
        let closeNow = session.state.withLock { s -> Bool in
            if s.streams[request.streamID] === ticket { s.streams[request.streamID] = nil }
            s.highestAnsweredID = max(s.highestAnsweredID, request.streamID)
            return s.draining && s.streams.isEmpty
        }
        send(session.connection, request, status: status, metadata: metadata, requestID: ticket.requestID,
             arrived: ticket.arrived, error: error)
        if closeNow { session.connection.close() }
    }

    /// An answer outside stream bookkeeping (a request that was never admitted).
    func send(_ connection: ConnectionHandle, _ request: FrameHeader, requestID: String,
              arrived: ContinuousClock.Instant, error: RequestError) {
        stats.errors.add(1, ordering: .relaxed)
        send(connection, request, status: error.status, metadata: detail(error).encode(), requestID: requestID,
             arrived: arrived, error: error)
    }

    /// Every RESPONSE leaves here: the request id appended to its metadata (PROTOCOL §13 "Request ids"), the
    /// request counted and timed, and logged at `logLevel(status)` with the error message when there is one —
    /// all before the frame is sent.
    private func send(_ connection: ConnectionHandle, _ request: FrameHeader, status: WireStatus, metadata: [UInt8],
                      requestID: String, arrived: ContinuousClock.Instant, error: RequestError?) {
        var metadata = metadata
        ResponseRequestID.append(requestID, to: &metadata)
        let header = FrameHeader(type: .response, flags: .endStream, status: status, streamID: request.streamID,
                                 methodID: request.methodID, methodVersion: request.methodVersion)
        // Counted and logged before the answer leaves: a client that scrapes /metrics or reads the log right
        // after its answer finds the request there.
        let elapsed = ContinuousClock.now - arrived
        metrics.recordRequest(methodID: request.methodID, status: status, duration: elapsed)
        defer { connection.send(Frame(header: header, metadata: metadata)) }
        let level = Self.logLevel(status)
        guard log.isEnabled(level) else { return }
        var fields: [(String, LogValue)] = [
            ("request_id", .string(requestID)),
            ("method", .string(MethodID(rawValue: request.methodID)?.name ?? "method \(request.methodID)")),
            ("status", .string(status.name)), ("duration_ms", .double(Double(micros(elapsed)) / 1000)),
            ("connection", .uint(connection.id)), ("stream", .uint(UInt64(request.streamID))),
        ]
        if let error {
            fields.append(("error", .string(error.message)))
            if let f = error.fieldPath { fields.append(("field", .string(f))) }
        }
        log.log(level, status == .ok ? "request" : "request failed", fields: fields)
    }

    /// OK at debug; the client's own mistakes (NOT_FOUND, INVALID_ARGUMENT, CANCELLED, …) at info; refusals for
    /// load or time (RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, UNAVAILABLE, ABORTED) at warning; the server's
    /// failures (INTERNAL, UNKNOWN, DATA_LOSS) at error.
    static func logLevel(_ status: WireStatus) -> LogLevel {
        switch status {
        case .ok: .debug
        case .internal, .unknown, .dataLoss: .error
        case .resourceExhausted, .deadlineExceeded, .unavailable, .aborted: .warning
        default: .info
        }
    }

    private func detail(_ e: RequestError) -> ErrorDetail {
        ErrorDetail(status: e.status, message: e.message, retryAfterMs: UInt64(e.retryAfterMs ?? 0), fieldPath: e.fieldPath)
    }

    /// A connection error (PROTOCOL §6, §12): GOAWAY naming the highest stream id already answered, then close
    /// at once; requests still in flight are cancelled with the connection.
    func goAway(_ session: Session, _ status: WireStatus, _ message: String) {
        let last = session.state.withLock { s -> UInt32 in
            s.draining = true
            return s.highestAnsweredID
        }
        let g = GoAway(status: status, message: message, lastStreamID: last)
        session.connection.send(Frame(header: FrameHeader(type: .goAway, status: status), metadata: g.encode()))
        session.connection.close()
    }

    /// Graceful drain of every session: GOAWAY UNAVAILABLE naming the last stream each will still answer; a
    /// session with nothing in flight closes at once, the others after their last answer.
    func goAwayAll(message: String) {
        draining.store(true, ordering: .releasing)
        for s in sessions.withLock({ Array($0.values) }) {
            let (last, idle) = s.state.withLock { st -> (UInt32, Bool) in
                st.draining = true
                return (st.highestStreamID, st.streams.isEmpty)
            }
            let g = GoAway(status: .unavailable, message: message, lastStreamID: last)
            s.connection.send(Frame(header: FrameHeader(type: .goAway, status: .unavailable), metadata: g.encode()))
            if idle { s.connection.close() }
        }
    }
}

/// Everything a worker needs to run one admitted request.
struct RequestJob: Sendable {
    let frame: Frame
    let method: MethodID
    let session: Session
    let ticket: RequestTicket
    let arrived: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant
    let budgetMs: UInt32
    var mode: ComputeMode
    let checkRequest: CheckDriftRequest?

    /// The per-request context handed to the methods (its `requestID` is the ticket's).
    var context: RequestContext { RequestContext(requestID: ticket.requestID, method: method) }
}

func micros(_ d: Duration) -> UInt64 {
    let c = d.components
    let us = c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000
    return us < 0 ? 0 : UInt64(us)
}

func ms(_ micros: Double) -> String {
    let v = micros / 1000
    return v < 10 ? String(Double(Int(v * 10)) / 10) : String(Int(v.rounded()))
}
