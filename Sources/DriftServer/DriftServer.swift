import DriftTransport
import DriftWire
import Glibc
import Synchronization

/// The driftd server core: a `FrameServer` whose handler runs the session (HELLO first, PING/PONG and CANCEL on
/// the loop thread) and hands every REQUEST to a bounded worker pool that answers through `ConnectionHandle.send`.
///
///     let server = try DriftServer(configuration: config)   // opens the store, binds, serves
///     …
///     server.drain()                                         // SIGTERM: stop accepting, GOAWAY, finish, close
public final class DriftServer: Sendable {
    public let configuration: DriftServerConfiguration
    let core: ServerCore
    let ticker: MonitorTicker
    private let transport: FrameServer
    private let stopped = Atomic<Bool>(false)

    /// The port actually bound.
    public var port: UInt16 { transport.port }

    /// Opens (or creates) the store, binds and starts serving.
    /// - Throws: the store's error when it cannot be opened, `SocketError` when the address cannot be bound.
    public init(configuration: DriftServerConfiguration) throws {
        self.configuration = configuration
        let core = try ServerCore(configuration: configuration)
        self.core = core
        do {
            transport = try FrameServer(
                configuration: FrameServerConfiguration(
                    host: configuration.host, port: configuration.port, limits: configuration.limits,
                    maxConnections: configuration.maxConnections,
                    handshakeTimeoutMilliseconds: configuration.helloTimeoutMs,
                    preHandshakeLimits: .preHandshake),
                handler: SessionHandler(core: core))
        } catch {
            core.pool.stop()
            core.writer.close()
            throw error
        }
        try? core.registerStoredSources()
        ticker = MonitorTicker(intervalMs: configuration.monitorIntervalMilliseconds) { [core] in core.monitorTick() }
    }

    /// Graceful shutdown (SIGTERM/SIGINT): stop accepting connections, send every session GOAWAY UNAVAILABLE
    /// naming the last stream it will still answer, let the requests in flight finish for up to `timeoutMs`
    /// (default `configuration.drainTimeoutMs`), then stop. Returns the requests still unfinished at the timeout
    /// (0 after a clean drain).
    @discardableResult
    public func drain(timeoutMs: Int? = nil) -> Int {
        guard !stopped.load(ordering: .acquiring) else { return 0 }
        transport.stopAccepting()
        core.goAwayAll(message: "driftd is shutting down; reconnect later")
        let limit = ContinuousClock.now.advanced(by: .milliseconds(timeoutMs ?? configuration.drainTimeoutMs))
        // Each session closes itself (gracefully: its answers are flushed first) after its last answer.
        while core.sessions.withLock({ !$0.isEmpty }) && ContinuousClock.now < limit { usleep(5_000) }
        let left = Int(core.stats.inFlight.load(ordering: .acquiring))
        stop()
        return left
    }

    /// Stops accepting and closes every connection, then lets the queued requests finish and joins the workers.
    /// Idempotent.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        core.draining.store(true, ordering: .releasing)
        transport.stop()
        ticker.stop()
        core.pool.stop()
        core.writer.close()
    }

    deinit { stop() }
}
