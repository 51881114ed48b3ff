import DriftColumnar
import DriftWire
import Synchronization

/// A typed, thread-safe client of driftd's binary RPC protocol (`proto/PROTOCOL.md`).
///
///     let client = try DriftClient(configuration: DriftClientConfiguration(port: 7400))
///     _ = try client.createSource(SourceSpec(name: "payments", features: [FeatureSpec(name: "amount", type: 2)]))
///     _ = try client.putBaseline(source: "payments", blocks: [try EncodedBlock(baselineEncoder)])
///     let verdicts = try client.checkDrift(source: "payments", block: try EncodedBlock(currentEncoder))
///
/// One connection at a time carries every call, multiplexed by stream id: many threads may call at once and
/// responses complete out of order. At most `limits.maxConcurrentStreams` requests are in flight; further callers
/// wait for a slot. Each call has a budget (`deadline_ms`); without a response by budget + `responseGraceMs` it
/// fails DEADLINE_EXCEEDED and is CANCELled.
///
/// When the connection is lost, calls in flight fail UNAVAILABLE; after a GOAWAY the calls the server will not
/// process fail UNAVAILABLE (retryable). With `configuration.reconnect` the next call opens a new connection (with
/// capped exponential backoff after failed attempts: calls during the pause fail fast with the last connect error
/// and its `retryAfterMs`). A multi-block baseline upload is tied to its connection and is never retried
/// silently.
public final class DriftClient: Sendable {
    /// The `client_version` sent in HELLO.
    public static let version = "0.1.0"

    public let configuration: DriftClientConfiguration
    private let completions = CompletionQueue()
    private let counters = ClientCounters()
    private let state: Mutex<ClientState>
    /// Serializes connection attempts, so concurrent callers after a loss open one connection, not many.
    private let connecting = Mutex<Void>(())

    private struct ClientState: Sendable {
        var connection: ClientConnection?
        /// Replaced connections still finishing streams (after a GOAWAY); `close()` closes them too.
        var retired: [ClientConnection] = []
        var lastLimits: ConnectionLimits
        var closed = false
        /// Consecutive failed connection attempts.
        var failedAttempts = 0
        /// No connection attempt before this (monotonic ns): backoff after failures or a GOAWAY's retry-after.
        var nextAttemptAt: UInt64 = 0
        var lastConnectError: DriftClientError?
    }

    /// Connects and handshakes at once.
    /// - Throws: the connection error (UNAVAILABLE, e.g. `cannot connect to driftd at 127.0.0.1:7400: connection
    ///   refused (is driftd running?)`) or the handshake's (UNAUTHENTICATED, UNIMPLEMENTED for a version mismatch).
    public init(configuration: DriftClientConfiguration) throws(DriftClientError) {
        self.configuration = configuration
        let connection: ClientConnection
        do {
            connection = try ClientConnection.open(configuration, completions: completions, counters: counters)
        } catch {
            completions.shutdown()
            throw error
        }
        state = Mutex(ClientState(connection: connection, lastLimits: connection.limits))
    }

    deinit {
        close()
        completions.shutdown()
    }

    /// The limits the server announced on the current (or last) connection.
    public var limits: ConnectionLimits {
        state.withLock { $0.connection?.limits ?? $0.lastLimits }
    }

    /// Counters of this client (requests, responses, timeouts, connections, stream slots in use).
    public var statistics: DriftClientStatistics {
        DriftClientStatistics(
            requestsSent: counters.requestsSent.load(ordering: .relaxed),
            responsesReceived: counters.responsesReceived.load(ordering: .relaxed),
            localTimeouts: counters.localTimeouts.load(ordering: .relaxed),
            connectionsOpened: counters.connectionsOpened.load(ordering: .relaxed),
            inFlight: counters.inFlight.load(ordering: .relaxed),
            peakInFlight: counters.peakInFlight.load(ordering: .relaxed))
    }

    /// Closes the connection; pending calls fail UNAVAILABLE ("the DriftClient was closed") and later calls fail
    /// at once. Idempotent.
    public func close() {
        let connections = state.withLock { s -> [ClientConnection] in
            s.closed = true
            defer {
                s.connection = nil
                s.retired = []
            }
            return (s.connection.map { [$0] } ?? []) + s.retired
        }
        for connection in connections { connection.close(with: .clientClosed) }
    }

    // MARK: - Low level

    /// Sends one request; `completion` is called exactly once, on the client's completion thread (in order of
    /// completion, never on the caller's thread while `send` runs).
    ///
    /// Blocks while `limits.maxConcurrentStreams` requests are in flight (back-pressure), and while a connection
    /// is being opened.
    /// - Parameters:
    ///   - metadata: the method's request message, encoded.
    ///   - body: the `ColumnBlock` of PutBaseline / CheckDrift.
    ///   - budgetMs: the header's `deadline_ms`; nil = `configuration.defaultBudgetMs`; 0 = the server's default.
    public func send(method: MethodID, metadata: [UInt8], body: EncodedBlock? = nil, budgetMs: UInt32? = nil,
                     completion: @escaping @Sendable (Result<[UInt8], DriftClientError>) -> Void) {
        submit(request(method, metadata, body, budgetMs), sink: .callback(completion))
    }

    /// Sends one request and waits for its response metadata.
    /// - Throws: the server's status (origin `.server`), a lost connection (UNAVAILABLE), a local limit
    ///   (RESOURCE_EXHAUSTED) or the local timeout (DEADLINE_EXCEEDED).
    public func call(method: MethodID, metadata: [UInt8], body: EncodedBlock? = nil,
                     budgetMs: UInt32? = nil) throws(DriftClientError) -> [UInt8] {
        let waiter = CallWaiter()
        submit(request(method, metadata, body, budgetMs), sink: .waiter(waiter))
        return try waiter.wait().get()
    }

    /// A block from `encoder`, compressed with `configuration.compressionLevel`.
    public func encodeBlock(_ encoder: ColumnBlockEncoder) throws(DriftClientError) -> EncodedBlock {
        try EncodedBlock(encoder, compressionLevel: configuration.compressionLevel)
    }

    func request(_ method: MethodID, _ metadata: [UInt8], _ body: EncodedBlock?, _ budgetMs: UInt32?) -> OutgoingRequest {
        OutgoingRequest(method: method, metadata: metadata, body: body, budgetMs: budgetMs ?? configuration.defaultBudgetMs)
    }

    /// Starts `request` on a usable connection. A connection that turned unusable before the request went out
    /// (GOAWAY, loss) is replaced and the request tried there: it was never sent, so this is safe.
    func submit(_ request: OutgoingRequest, sink: CallSink) {
        var lastReason: DriftClientError?
        for _ in 0..<3 {
            let connection: ClientConnection
            do { connection = try usableConnection() } catch {
                return fail(sink, error)
            }
            guard let reason = connection.start(request, sink: sink) else { return }
            lastReason = reason
        }
        fail(sink, lastReason!)
    }

    private func fail(_ sink: CallSink, _ error: DriftClientError) {
        switch sink {
        case .waiter(let waiter): waiter.complete(.failure(error))
        case .callback(let handler): completions.enqueue { handler(.failure(error)) }
        }
    }

    // MARK: - Connections

    /// The current connection if it takes new streams; otherwise a new one (when `reconnect` allows).
    func usableConnection() throws(DriftClientError) -> ClientConnection {
        if let current = try currentConnection(), current.isUsable { return current }
        return try connecting.withLock { _ throws(DriftClientError) -> ClientConnection in try reconnect() }
    }

    /// Opens a new connection unless another caller just did (runs under `connecting`).
    private func reconnect() throws(DriftClientError) -> ClientConnection {
        // Another caller may have reconnected while this one waited for the lock.
        let current = try currentConnection()
        if let current, current.isUsable { return current }
        let reason = current?.unusableReason
        guard configuration.reconnect else {
            let why = reason.map { ": \($0.message)" } ?? ""
            throw DriftClientError(status: .unavailable,
                                   message: "not connected to driftd at \(configuration.endpoint) and reconnect "
                                       + "is disabled\(why)",
                                   origin: .connection, retryable: false)
        }
        let now = MonotonicClock.nanoseconds()
        let (waitUntil, lastError) = state.withLock { s in
            if let goAwayWait = reason?.retryAfterMs, reason?.origin == .server {
                // The server asked for a pause before reconnecting (GOAWAY retry_after_ms).
                s.nextAttemptAt = max(s.nextAttemptAt, now &+ UInt64(goAwayWait) * 1_000_000)
            }
            if let current, !current.isFinished {
                s.retired.removeAll { $0.isFinished }
                s.retired.append(current)
            }
            s.connection = nil
            if s.lastConnectError == nil { s.lastConnectError = reason }
            return (s.nextAttemptAt, s.lastConnectError)
        }
        if now < waitUntil {
            var error = lastError ?? DriftClientError(status: .unavailable, message: "reconnect pending",
                                                     origin: .connection)
            error.retryAfterMs = UInt32(clamping: (waitUntil - now + 999_999) / 1_000_000)
            error.retryable = true
            throw error
        }
        let fresh: ClientConnection
        do {
            fresh = try ClientConnection.open(configuration, completions: completions, counters: counters)
        } catch {
            state.withLock { s in
                s.failedAttempts += 1
                let exponent = min(s.failedAttempts - 1, 20)
                let pauseMs = min(UInt64(configuration.reconnectBackoffInitialMs) << UInt64(exponent),
                                  UInt64(configuration.reconnectBackoffMaxMs))
                s.nextAttemptAt = MonotonicClock.nanoseconds() &+ pauseMs * 1_000_000
                s.lastConnectError = error
            }
            throw error
        }
        let kept = state.withLock { s -> Bool in
            guard !s.closed else { return false }
            s.connection = fresh
            s.lastLimits = fresh.limits
            s.failedAttempts = 0
            s.lastConnectError = nil
            return true
        }
        guard kept else {
            fresh.close(with: .clientClosed)
            throw DriftClientError.clientClosed
        }
        return fresh
    }

    /// The current connection (nil when none is open).
    /// - Throws: `clientClosed` after `close()`.
    private func currentConnection() throws(DriftClientError) -> ClientConnection? {
        let (closed, connection) = state.withLock { ($0.closed, $0.connection) }
        if closed { throw DriftClientError.clientClosed }
        return connection
    }
}
