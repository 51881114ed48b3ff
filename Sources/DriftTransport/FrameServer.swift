import DriftWire
import Glibc
import Synchronization

/// A TCP server speaking the driftd frame layer on one epoll event-loop thread.
///
///     let server = try FrameServer(handler: MyHandler())      // binds 127.0.0.1:0 and starts the loop
///     print(server.port)                                       // the bound (ephemeral) port
///     …
///     server.stop()                                            // closes everything, joins the loop thread
///
/// Per connection the loop runs a `FrameDecoder` with `configuration.limits` and calls `handler` for every
/// decoded frame, on the loop thread. A connection-level `WireError` (bad magic, CRC, a length over a limit, …)
/// is answered with a GOAWAY carrying its status, then that connection alone is closed; a request-level one is
/// answered with a RESPONSE carrying its status on the frame's stream id, and the connection stays open.
///
/// The peer's EOF closes its connection at once (half-closed peers are not served); frames still queued for it
/// are dropped.
///
/// Creating a server sets SIGPIPE to ignored for the whole process (writes also pass MSG_NOSIGNAL).
public final class FrameServer: Sendable {
    /// The configuration the server was started with (`port` as requested; see `port` for the bound one).
    public let configuration: FrameServerConfiguration
    /// The port actually bound.
    public let port: UInt16

    private let mailbox: Mailbox
    private let thread: LoopThread

    /// Binds, listens and starts the event-loop thread.
    /// - Throws: `SocketError` when the address is invalid, the port is taken, or a descriptor cannot be created.
    public init(configuration: FrameServerConfiguration = FrameServerConfiguration(),
                handler: some FrameHandler) throws(SocketError) {
        precondition(configuration.maxConnections >= 0, "maxConnections must not be negative")
        signal(SIGPIPE, SIG_IGN)
        self.configuration = configuration
        let mailbox = try Mailbox(maxQueuedBytes: configuration.maxQueuedOutboundBytes, limits: configuration.limits)
        let (fd, port) = try SocketSupport.listen(host: configuration.host, port: configuration.port,
                                                  backlog: configuration.backlog)
        let driver = FrameDriver(handler: handler, config: configuration, mailbox: mailbox)
        let settings = EventLoop.Settings(maxConnections: configuration.maxConnections,
                                          closeLingerMilliseconds: configuration.closeLingerMilliseconds)
        self.thread = try LoopThread(listenFD: fd, mailbox: mailbox, driver: driver, settings: settings)
        self.mailbox = mailbox
        self.port = port
    }

    /// Closes the listening socket: no new connection is accepted (connection attempts are refused), open
    /// connections are served as before. The first step of a graceful drain. Idempotent.
    public func stopAccepting() {
        mailbox.requestStopAccepting()
    }

    /// Closes the listener and every connection (each gets a best-effort GOAWAY UNAVAILABLE), wakes the loop and
    /// waits for its thread to end. Idempotent and safe from any thread; when called from a handler (on the loop
    /// thread itself) it returns without waiting and the loop exits after the current event batch.
    public func stop() {
        _ = mailbox.requestStop()
        thread.join()
    }

    deinit { stop() }
}
