import DriftWire
import Glibc
import Synchronization

/// One handshaken TCP connection to driftd, multiplexing requests by stream id.
///
///     callers ──start()──► wait for a stream slot ──► register stream id ──► write frame (under the write lock)
///                                                                                  │
///     reader thread ◄── FrameDecoder ◄── socket ◄──────────────────────────────────┘
///        │  RESPONSE n  → complete stream n (any order), free its slot
///        │  GOAWAY      → streams > last_stream_id fail UNAVAILABLE (not processed); no new streams
///        │  PING        → PONG;   PONG → completes `ping()`
///        └─ every pass: calls past budget + grace fail DEADLINE_EXCEEDED and are CANCELled; their slot stays
///           taken until the late response arrives or another grace passes
///
/// Stream ids count up from 1. At most `limits.maxConcurrentStreams` slots are in use: `start` blocks for one.
/// Once the connection fails (EOF, I/O or protocol error, `close`) every pending call fails with that error and
/// the reader thread closes the descriptor; `start` on a failed or draining connection returns the reason without
/// sending, so the owner can use a new connection.
final class ClientConnection: Sendable {
    let configuration: DriftClientConfiguration
    /// As announced in HELLO_ACK (zero fields replaced by the protocol defaults; at least one stream).
    let limits: ConnectionLimits
    let keepaliveMinIntervalMs: UInt64
    private let socket: ClientSocket
    private let completions: CompletionQueue
    private let counters: ClientCounters
    /// Held while a frame is written, so frames never interleave; true once the descriptor is closed.
    private let writer = Mutex<Bool>(false)
    private let table = ConditionLock(StreamTable())

    /// The longest the reader sleeps between deadline checks (a call registered meanwhile may expire sooner).
    private static let maxPollMs: UInt64 = 100

    private init(configuration: DriftClientConfiguration, socket: ClientSocket, ack: HelloAck,
                 completions: CompletionQueue, counters: ClientCounters) {
        self.configuration = configuration
        self.socket = socket
        self.completions = completions
        self.counters = counters
        let announced = ack.limits ?? ConnectionLimits()
        let defaults = ConnectionLimits()
        limits = ConnectionLimits(
            maxFrameBody: announced.maxFrameBody == 0 ? defaults.maxFrameBody : announced.maxFrameBody,
            maxDecoded: announced.maxDecoded == 0 ? defaults.maxDecoded : announced.maxDecoded,
            maxMetadata: announced.maxMetadata == 0 ? defaults.maxMetadata : announced.maxMetadata,
            maxConcurrentStreams: announced.maxConcurrentStreams == 0 ? defaults.maxConcurrentStreams
                : announced.maxConcurrentStreams)
        keepaliveMinIntervalMs = ack.keepaliveMinIntervalMs
    }

    // MARK: - Opening

    /// Connects, sends HELLO, reads HELLO_ACK (all within `connectTimeoutMs`) and starts the reader thread.
    /// - Throws: UNAVAILABLE (connection) when the server cannot be reached or hangs up; the HELLO_ACK's status
    ///   (server) when it refuses the handshake.
    static func open(_ configuration: DriftClientConfiguration, completions: CompletionQueue,
                     counters: ClientCounters) throws(DriftClientError) -> ClientConnection {
        let endpoint = configuration.endpoint
        let deadline = MonotonicClock.deadline(afterMilliseconds: UInt64(configuration.connectTimeoutMs))
        let socket = try ClientSocket.connect(host: configuration.host, port: configuration.port, endpoint: endpoint,
                                              timeoutMs: configuration.connectTimeoutMs)
        let ack: HelloAck
        do {
            ack = try handshake(socket, configuration, deadline: deadline)
        } catch {
            socket.close()
            throw error
        }
        let connection = ClientConnection(configuration: configuration, socket: socket, ack: ack,
                                          completions: completions, counters: counters)
        let decoder = FrameDecoder(limits: connection.limits.frameLimits)
        guard DetachedThread.start({ connection.readLoop(decoder) }) else {
            socket.close()
            throw DriftClientError(status: .unavailable, message: "cannot start the connection's reader thread",
                                   origin: .local)
        }
        counters.connectionsOpened.add(1, ordering: .relaxed)
        return connection
    }

    private static func handshake(_ socket: ClientSocket, _ configuration: DriftClientConfiguration,
                                  deadline: UInt64) throws(DriftClientError) -> HelloAck {
        let endpoint = configuration.endpoint
        let hello = Hello(minWireVersion: 1, maxWireVersion: 1, clientName: configuration.clientName,
                          clientVersion: DriftClient.version, authToken: configuration.token ?? "",
                          acceptedCodecs: [UInt32(BodyCodec.none.rawValue), UInt32(BodyCodec.zstd.rawValue)])
        let helloFrame = Frame(header: FrameHeader(type: .hello), metadata: hello.encode())
        if let code = socket.sendAll(helloFrame.encode()) {
            throw DriftClientError(status: .unavailable,
                                   message: "cannot connect to driftd at \(endpoint): sending HELLO failed: "
                                       + ClientSocket.describe(errno: code),
                                   origin: .connection)
        }
        // Read exactly one frame, so no byte after it is consumed before the reader's decoder exists.
        func fail(_ what: String) -> DriftClientError {
            DriftClientError(status: .unavailable, message: "handshake with driftd at \(endpoint) failed: \(what)",
                             origin: .connection)
        }
        let headerBytes = try readExactly(socket, FrameHeader.size, deadline: deadline, timeoutMs: configuration.connectTimeoutMs,
                                          fail: fail)
        let header: FrameHeader
        do { header = try FrameHeader.decode(headerBytes) } catch {
            throw fail("the server did not answer with a driftd frame (\(error.message))")
        }
        do { try FrameLimits.default.check(header) } catch { throw fail(error.message) }
        let rest = try readExactly(socket, header.paddedMetadataLength + Int(header.bodyLength), deadline: deadline,
                                   timeoutMs: configuration.connectTimeoutMs, fail: fail)
        let metadata = Array(rest.prefix(Int(header.metadataLength)))
        switch header.type {
        case .helloAck:
            break
        case .goAway:
            let goAway = (try? GoAway.decode(metadata)) ?? GoAway()
            throw DriftClientError(status: header.status,
                                   message: "driftd at \(endpoint) ended the handshake with GOAWAY: "
                                       + (goAway.message.isEmpty ? header.status.name : goAway.message),
                                   origin: .server)
        default:
            throw fail("expected HELLO_ACK, got \(header.type)")
        }
        let ack: HelloAck
        do { ack = try HelloAck.decode(metadata) } catch { throw fail("malformed HELLO_ACK: \(error.message)") }
        let detail = ack.message.isEmpty ? "" : " (\(ack.message))"
        switch header.status {
        case .ok:
            return ack
        case .unauthenticated:
            let what = (configuration.token ?? "").isEmpty ? "requires an auth token and none was configured"
                : "refused the auth token"
            throw DriftClientError(status: .unauthenticated, message: "driftd at \(endpoint) \(what)\(detail)",
                                   origin: .server)
        case .unimplemented:
            throw DriftClientError(status: .unimplemented,
                                   message: "wire version mismatch: this client speaks wire version 1, driftd at "
                                       + "\(endpoint) does not\(detail)",
                                   origin: .server)
        default:
            throw DriftClientError(status: header.status,
                                   message: "driftd at \(endpoint) refused the handshake: \(header.status.name)\(detail)",
                                   origin: .server)
        }
    }

    private static func readExactly(_ socket: ClientSocket, _ count: Int, deadline: UInt64, timeoutMs: UInt32,
                                    fail: (String) -> DriftClientError) throws(DriftClientError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let now = MonotonicClock.nanoseconds()
            guard now < deadline else { throw fail("no HELLO_ACK within \(timeoutMs) ms") }
            guard socket.waitReadable(timeoutMs: Int32(clamping: (deadline - now + 999_999) / 1_000_000)) else { continue }
            let n = bytes.withUnsafeMutableBytes { raw in
                socket.receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            }
            if n == 0 { throw fail("the server closed the connection") }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw fail(ClientSocket.describe(errno: errno))
            }
            filled += n
        }
        return bytes
    }

    // MARK: - State

    /// True while new streams may be opened here.
    var isUsable: Bool { table.withLock { $0.canOpenStream } }

    /// True once the connection has failed or been closed (its calls are all completed).
    var isFinished: Bool { table.withLock { $0.failure != nil } }

    /// Why the connection takes no new streams (nil while it does).
    var unusableReason: DriftClientError? {
        table.withLock { t in t.canOpenStream ? nil : t.unusableReason(configuration.endpoint) }
    }

    /// Fails every pending call with `error`, stops the socket (the reader thread then closes it). Idempotent:
    /// the first error sticks.
    func close(with error: DriftClientError) { fail(error) }

    // MARK: - Calls

    /// Sends `request` on a new stream once a slot is free; `sink` gets the outcome exactly once.
    /// - Returns: nil when the request was taken (sent, or failed through `sink`); otherwise why the connection took
    ///   no new stream — the request was not sent and `sink` was not called.
    func start(_ request: OutgoingRequest, sink: CallSink) -> DriftClientError? {
        if let error = checkLimits(request) {
            deliver(sink, .failure(error))
            return nil
        }
        let budget = request.budgetMs
        let timeoutMs = UInt64(budget == 0 ? configuration.assumedServerBudgetMs : budget)
            + UInt64(configuration.responseGraceMs)
        let maxStreams = Int(limits.maxConcurrentStreams)
        let registered: Result<UInt32, DriftClientError> = table.withLock(
            waitingUntil: { !$0.canOpenStream || $0.streams.count < maxStreams }
        ) { t, _ in
            guard t.canOpenStream else { return .failure(t.unusableReason(configuration.endpoint)) }
            let id = t.nextStreamID
            t.nextStreamID &+= 1
            let deadline = MonotonicClock.deadline(afterMilliseconds: timeoutMs)
            t.streams[id] = .active(PendingCall(sink: sink, method: request.method, budgetMs: budget,
                                                timeoutMs: timeoutMs, deadline: deadline))
            t.earliestDeadline = min(t.earliestDeadline, deadline)
            counters.inFlight.add(1, ordering: .relaxed)
            counters.peakInFlight.max(t.streams.count, ordering: .relaxed)
            return .success(id)
        }
        let streamID: UInt32
        switch registered {
        case .success(let id): streamID = id
        case .failure(let reason): return reason
        }
        let body = request.body
        let header = FrameHeader(type: .request, flags: .endStream, codec: body?.codec ?? .none, streamID: streamID,
                                 methodID: request.method.rawValue, methodVersion: request.method.versions.upperBound,
                                 deadlineMs: budget, bodyRawLength: UInt32(body?.rawLength ?? 0))
        counters.requestsSent.add(1, ordering: .relaxed)
        write(header: header, metadata: request.metadata, body: body?.bytes ?? [])
        return nil
    }

    /// Sends a PING and waits for its PONG (at most `responseGraceMs`, at least 1 s).
    /// - Throws: RESOURCE_EXHAUSTED (local, with `retryAfterMs`) when the previous PING on this connection is more
    ///   recent than the server's `keepalive_min_interval_ms`; DEADLINE_EXCEEDED without a PONG; the
    ///   connection's error when it fails meanwhile.
    func ping() throws(DriftClientError) -> Duration {
        let waiter = CallWaiter()
        let timeoutMs = UInt64(max(configuration.responseGraceMs, 1000))
        let minimumGapNs = keepaliveMinIntervalMs &* 1_000_000
        let registered: Result<UInt64, DriftClientError> = table.withLock { t in
            guard t.failure == nil else { return .failure(t.unusableReason(configuration.endpoint)) }
            let now = MonotonicClock.nanoseconds()
            if let last = t.lastPingSentAt, now - last < minimumGapNs {
                let waitMs = UInt32(clamping: (minimumGapNs - (now - last) + 999_999) / 1_000_000)
                return .failure(DriftClientError(
                    status: .resourceExhausted,
                    message: "too soon for another PING: driftd allows one every \(keepaliveMinIntervalMs) ms "
                        + "(keepalive_min_interval_ms)",
                    origin: .local, retryAfterMs: waitMs, retryable: true))
            }
            t.lastPingSentAt = now
            let payload = t.nextPingPayload
            t.nextPingPayload &+= 1
            let deadline = now &+ timeoutMs * 1_000_000
            t.pings[payload] = PendingPing(sink: .waiter(waiter), deadline: deadline)
            t.earliestDeadline = min(t.earliestDeadline, deadline)
            return .success(payload)
        }
        let payload: UInt64
        switch registered {
        case .success(let p): payload = p
        case .failure(let e): throw e
        }
        let sent = ContinuousClock.now
        write(header: FrameHeader(type: .ping), metadata: Ping(payload: payload).encode(), body: [])
        switch waiter.wait() {
        case .success: return ContinuousClock.now - sent
        case .failure(let e): throw e
        }
    }

    private func checkLimits(_ request: OutgoingRequest) -> DriftClientError? {
        if request.metadata.count > Int(limits.maxMetadata) {
            return .overLimit("the \(request.method.name) request metadata", size: request.metadata.count,
                              limitName: "max_meta", limit: limits.maxMetadata)
        }
        guard let body = request.body else { return nil }
        if body.bytes.count > Int(limits.maxFrameBody) {
            return .overLimit("the block (\(body.rowCount) rows) on the wire", size: body.bytes.count,
                              limitName: "max_frame_body", limit: limits.maxFrameBody)
        }
        if body.rawLength > Int(limits.maxDecoded) {
            return .overLimit("the decoded block (\(body.rowCount) rows)", size: body.rawLength,
                              limitName: "max_decoded", limit: limits.maxDecoded)
        }
        return nil
    }

    // MARK: - Writing

    /// Writes one whole frame under the write lock (the header's lengths are set from `metadata` and `body`). A failed write fails the connection (and so every pending
    /// call, the one just registered included).
    private func write(header original: FrameHeader, metadata: [UInt8], body: [UInt8]) {
        var header = original
        header.metadataLength = UInt32(metadata.count)
        header.bodyLength = UInt32(body.count)
        if header.codec == .none { header.bodyRawLength = header.bodyLength }
        var prefix = header.encode()
        prefix.reserveCapacity(header.frameLength)
        prefix.append(contentsOf: metadata)
        prefix.append(contentsOf: repeatElement(0, count: header.paddedMetadataLength - metadata.count))
        // Small bodies go out in the same send (one segment with TCP_NODELAY); large ones are not copied.
        let joined = body.count <= 64 << 10
        if joined { prefix.append(contentsOf: body) }
        let failure: Int32?? = writer.withLock { closed -> Int32?? in
            guard !closed else { return .some(nil) }
            if let code = socket.sendAll(prefix) { return code }
            if !joined, let code = socket.sendAll(body) { return code }
            return .none
        }
        switch failure {
        case .none:
            return
        case .some(.none):
            fail(lostError("the connection is already closed"))  // no-op when a failure is recorded (the usual case)
        case .some(.some(let code)):
            fail(lostError("writing to driftd failed: \(ClientSocket.describe(errno: code))"))
        }
    }

    private func sendCancel(_ streamID: UInt32, reason: String) {
        write(header: FrameHeader(type: .cancel, streamID: streamID), metadata: Cancel(reason: reason).encode(), body: [])
    }

    // MARK: - Reader thread

    private func readLoop(_ initialDecoder: FrameDecoder) {
        var decoder = initialDecoder
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer {
            buffer.deallocate()
            writer.withLock { closed in
                if !closed { socket.close() }
                closed = true
            }
        }
        while true {
            if table.withLock({ $0.failure != nil }) { return }
            if socket.waitReadable(timeoutMs: pollTimeoutMs()) {
                let n = socket.receive(into: buffer)
                if n == 0 {
                    fail(lostError("driftd closed the connection"))
                    return
                }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    fail(lostError("reading from driftd failed: \(ClientSocket.describe(errno: errno))"))
                    return
                }
                decoder.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                while true {
                    let frame: Frame?
                    do { frame = try decoder.next() } catch {
                        if error.isConnectionError {
                            protocolError(error.code, "driftd sent a malformed frame: \(error.message)")
                            return
                        }
                        // A well-formed header we cannot read (an unknown codec): fail that stream alone.
                        if let id = error.streamID {
                            complete(streamID: id, with: .failure(DriftClientError(
                                status: error.code, message: "unreadable response from driftd: \(error.message)",
                                origin: .server, retryable: false)), isResponse: false)
                        }
                        continue
                    }
                    guard let frame else { break }
                    if !handle(frame) { return }
                }
            }
            expireOverdue()
            if table.withLock({ $0.goAway != nil && $0.streams.isEmpty && $0.pings.isEmpty }) {
                fail(table.withLock { $0.unusableReason(configuration.endpoint) })
                return
            }
        }
    }

    private func pollTimeoutMs() -> Int32 {
        let earliest = table.withLock { $0.earliestDeadline }
        let now = MonotonicClock.nanoseconds()
        guard earliest > now else { return 0 }
        return Int32(min(Self.maxPollMs, (earliest - now + 999_999) / 1_000_000))
    }

    /// Handles one frame from the server; false when the connection was failed.
    private func handle(_ frame: Frame) -> Bool {
        let header = frame.header
        switch header.type {
        case .response:
            let result: Result<[UInt8], DriftClientError> = header.status == .ok
                ? .success(frame.metadata) : .failure(.server(status: header.status, metadata: frame.metadata))
            complete(streamID: header.streamID, with: result, isResponse: true)
        case .goAway:
            receivedGoAway(header, frame.metadata)
        case .ping:
            guard let ping = try? Ping.decode(frame.metadata) else {
                protocolError(.invalidArgument, "driftd sent a malformed PING")
                return false
            }
            write(header: FrameHeader(type: .pong), metadata: ping.pong.encode(), body: [])
        case .pong:
            guard let pong = try? Pong.decode(frame.metadata) else {
                protocolError(.invalidArgument, "driftd sent a malformed PONG")
                return false
            }
            let sink = table.withLock { $0.pings.removeValue(forKey: pong.payload)?.sink }
            if let sink { deliver(sink, .success([])) }
        case .hello, .helloAck, .request, .cancel:
            protocolError(.invalidArgument, "driftd sent an unexpected \(header.type) frame")
            return false
        }
        return true
    }

    /// Completes the call on `streamID` (a late response to a cancelled call just frees its slot; an unknown
    /// stream is ignored).
    /// - Parameter isResponse: a RESPONSE frame (counted in `responsesReceived` when it completes a call).
    private func complete(streamID: UInt32, with result: Result<[UInt8], DriftClientError>, isResponse: Bool) {
        let entry = table.withLock { $0.streams.removeValue(forKey: streamID) }
        guard let entry else { return }
        counters.inFlight.subtract(1, ordering: .relaxed)
        table.signal()
        guard case .active(let call) = entry else { return }
        if isResponse { counters.responsesReceived.add(1, ordering: .relaxed) }  // before the caller can look
        deliver(call.sink, result)
    }

    private func receivedGoAway(_ header: FrameHeader, _ metadata: [UInt8]) {
        var goAway = (try? GoAway.decode(metadata)) ?? GoAway()
        goAway.status = header.status
        let notProcessed: [(UInt32, PendingCall?)] = table.withLock { t in
            if t.goAway == nil { t.goAway = goAway }
            let last = t.goAway!.lastStreamID
            var dropped: [(UInt32, PendingCall?)] = []
            for (id, entry) in t.streams where id > last {
                t.streams[id] = nil
                if case .active(let call) = entry { dropped.append((id, call)) } else { dropped.append((id, nil)) }
            }
            return dropped
        }
        table.broadcast()
        let retryAfter = goAway.retryAfterMs == 0 ? nil : UInt32(clamping: goAway.retryAfterMs)
        let why = goAway.message.isEmpty ? goAway.status.name : "\(goAway.status.name): \(goAway.message)"
        for (id, call) in notProcessed {
            counters.inFlight.subtract(1, ordering: .relaxed)
            guard let call else { continue }  // a cancelled stream: only its slot was held
            deliver(call.sink, .failure(DriftClientError(
                status: .unavailable,
                message: "driftd at \(configuration.endpoint) is going away (\(why)) and did not process "
                    + "\(call.method.name) on stream \(id); it can be sent again on a new connection",
                origin: .server, retryAfterMs: retryAfter, retryable: true)))
        }
    }

    /// Calls past their local deadline fail DEADLINE_EXCEEDED and are cancelled; cancelled calls whose response
    /// never came free their slot; PINGs without PONG fail.
    private func expireOverdue() {
        let now = MonotonicClock.nanoseconds()
        let graceNs = UInt64(configuration.responseGraceMs) * 1_000_000
        let (expired, expiredPings, released) = table.withLock { t -> ([(UInt32, PendingCall)], [PendingPing], Int) in
            guard now >= t.earliestDeadline else { return ([], [], 0) }
            var expired: [(UInt32, PendingCall)] = []
            var pings: [PendingPing] = []
            var released = 0
            var next = UInt64.max
            for (id, entry) in t.streams {
                switch entry {
                case .active(let call):
                    if call.deadline <= now {
                        expired.append((id, call))
                        t.streams[id] = .cancelled(releaseAt: now &+ graceNs)
                        next = min(next, now &+ graceNs)
                    } else {
                        next = min(next, call.deadline)
                    }
                case .cancelled(let releaseAt):
                    if releaseAt <= now {
                        t.streams[id] = nil
                        released += 1
                    } else {
                        next = min(next, releaseAt)
                    }
                }
            }
            for (payload, ping) in t.pings {
                if ping.deadline <= now {
                    pings.append(ping)
                    t.pings[payload] = nil
                } else {
                    next = min(next, ping.deadline)
                }
            }
            t.earliestDeadline = next
            return (expired, pings, released)
        }
        if released > 0 {
            counters.inFlight.subtract(released, ordering: .relaxed)
            table.broadcast()
        }
        for (id, call) in expired {
            counters.localTimeouts.add(1, ordering: .relaxed)
            let budget = call.budgetMs == 0 ? "the server's default budget (assumed \(configuration.assumedServerBudgetMs) ms)"
                : "the \(call.budgetMs) ms budget"
            let message = "no response from driftd at \(configuration.endpoint) for \(call.method.name) (stream \(id)) "
                + "within \(call.timeoutMs) ms: \(budget) + \(configuration.responseGraceMs) ms grace; the request was cancelled"
            sendCancel(id, reason: "client timeout after \(call.timeoutMs) ms")
            deliver(call.sink, .failure(DriftClientError(status: .deadlineExceeded, message: message, origin: .local,
                                                         retryable: false)))
        }
        for ping in expiredPings {
            deliver(ping.sink, .failure(DriftClientError(
                status: .deadlineExceeded, message: "no PONG from driftd at \(configuration.endpoint) in time",
                origin: .local, retryable: false)))
        }
    }

    // MARK: - Failing

    private func lostError(_ what: String) -> DriftClientError {
        DriftClientError(status: .unavailable,
                         message: "connection to driftd at \(configuration.endpoint) lost: \(what); a request in "
                             + "flight may or may not have been processed",
                         origin: .connection, retryable: true)
    }

    /// A protocol violation by the server: GOAWAY (best effort), then fail everything.
    private func protocolError(_ status: WireStatus, _ message: String) {
        let goAway = GoAway(status: status, message: message, lastStreamID: 0)
        write(header: FrameHeader(type: .goAway, status: status), metadata: goAway.encode(), body: [])
        fail(DriftClientError(status: .unavailable,
                              message: "connection to driftd at \(configuration.endpoint) closed on a protocol error: "
                                  + message,
                              origin: .connection, retryable: true))
    }

    /// Records `error` as the connection's failure (the first one sticks), fails every pending call with it and
    /// shuts the socket down; the reader thread then closes the descriptor.
    private func fail(_ error: DriftClientError) {
        let (calls, pings, slots) = table.withLock { t -> ([CallSink], [CallSink], Int) in
            guard t.failure == nil else { return ([], [], 0) }
            t.failure = error
            let calls = t.streams.values.compactMap { entry -> CallSink? in
                if case .active(let call) = entry { call.sink } else { nil }
            }
            let slots = t.streams.count
            let pings = t.pings.values.map(\.sink)
            t.streams.removeAll()
            t.pings.removeAll()
            t.earliestDeadline = .max
            return (calls, pings, slots)
        }
        table.broadcast()
        socket.shutdown()
        if slots > 0 { counters.inFlight.subtract(slots, ordering: .relaxed) }
        for sink in calls + pings { deliver(sink, .failure(error)) }
    }

    private func deliver(_ sink: CallSink, _ result: Result<[UInt8], DriftClientError>) {
        switch sink {
        case .waiter(let waiter): waiter.complete(result)
        case .callback(let handler): completions.enqueue { handler(result) }
        }
    }
}
