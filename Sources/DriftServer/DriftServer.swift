import DriftStore
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
    /// The outbox's delivery thread (nil without a sender).
    let deliveryWorker: AlertDeliveryWorker?
    private let transport: FrameServer
    /// The HTTP endpoint (nil when `configuration.httpPort` is nil) and the pool its handlers run on.
    private let http: HTTPServer?
    private let httpPool: WorkerPool?
    private let stopped = Atomic<Bool>(false)

    /// The port actually bound.
    public var port: UInt16 { transport.port }
    /// The HTTP port actually bound; nil when the HTTP endpoint is off.
    public var httpPort: UInt16? { http?.port }

    /// `/readyz`: the store is open and the server accepts work (not draining or stopped).
    public var isReady: Bool {
        !core.draining.load(ordering: .acquiring)
    }

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
        if let httpPort = configuration.httpPort {
            let pool = WorkerPool(workers: 2)
            core.httpPool.withLock { $0 = pool }
            // Ready = the store opened (it did, or init threw) and work is accepted (`drain`/`stop` set draining).
            let routes = core.httpRoutes { [core] in !core.draining.load(ordering: .acquiring) }
            do {
                let server = try HTTPServer(configuration: HTTPServerConfiguration(host: configuration.host, port: httpPort,
                                                                                   limits: configuration.httpLimits),
                                            handler: HTTPRouter(routes: routes, pool: pool))
                http = server
                httpPool = pool
                // Links in notifications point at this endpoint unless the configuration names another.
                if configuration.dashboardURL == nil {
                    let bound = server.port
                    let host = configuration.host == "0.0.0.0" ? "127.0.0.1" : configuration.host
                    core.alerting.dashboardURL = "http://\(host):\(bound)"
                }
            } catch {
                pool.stop()
                transport.stop()
                core.pool.stop()
                core.writer.close()
                throw error
            }
        } else {
            http = nil
            httpPool = nil
        }
        try? core.registerStoredSources()
        ticker = MonitorTicker(intervalMs: configuration.monitorIntervalMilliseconds, tick: { [core] in core.monitorTick() },
                               between: { [core] in core.alertTick(nowMs: DriftStore.wallClockMilliseconds()) })
        deliveryWorker = core.alerting.delivery.map { AlertDeliveryWorker(core: core, delivery: $0) }
    }

    /// Graceful shutdown (SIGTERM/SIGINT): `/readyz` turns 503 (HTTP keeps serving until the stop), stop accepting
    /// RPC connections, send every session GOAWAY UNAVAILABLE
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
        http?.stop()
        httpPool?.stop()
        ticker.stop()
        deliveryWorker?.stop()
        core.pool.stop()
        core.writer.close()
    }

    deinit { stop() }
}
