import Glibc
import Synchronization

/// Settings of an `HTTPServer`.
public struct HTTPServerConfiguration: Sendable, Equatable {
    /// IPv4 address to bind (dotted quad).
    public var host: String
    /// 0 picks an ephemeral port (read it back from `HTTPServer.port`).
    public var port: UInt16
    public var limits: HTTPLimits
    /// Open connections allowed at once; a connection beyond it is accepted and closed immediately.
    public var maxConnections: Int
    /// Response bytes queued for one connection and not yet written; beyond it the connection is closed.
    public var maxQueuedOutboundBytes: Int
    /// How long a closing connection may take to flush its last response and see the peer's EOF.
    public var closeLingerMilliseconds: Int
    /// A request must be complete (head and body) within this time of the connection becoming idle (accepted, or
    /// its previous response queued): a partial request then gets 408, an idle keep-alive connection is closed.
    /// The clock stops while a request is being handled. Slow clients cost a socket, never the loop thread.
    public var requestTimeoutMilliseconds: Int
    public var backlog: Int32

    public init(host: String = "127.0.0.1", port: UInt16 = 0, limits: HTTPLimits = .default, maxConnections: Int = 256,
                maxQueuedOutboundBytes: Int = 8 << 20, closeLingerMilliseconds: Int = 1000,
                requestTimeoutMilliseconds: Int = 10_000, backlog: Int32 = 128) {
        self.host = host
        self.port = port
        self.limits = limits
        self.maxConnections = maxConnections
        self.maxQueuedOutboundBytes = maxQueuedOutboundBytes
        self.closeLingerMilliseconds = closeLingerMilliseconds
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.backlog = backlog
    }
}

/// Receives every request an `HTTPServer` parses.
///
/// `handle` runs on the server's event-loop thread and must not block: hand the work to another thread and answer
/// through `responder.respond`. A connection's requests are handed over one at a time, in order: the next
/// pipelined request is parsed only after this one's response is queued, so responses can never be reordered.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest, responder: HTTPResponder)
}

/// Answers one request, once, from any thread. `Content-Length`, `Connection` and HEAD's empty body are added by
/// the responder. A responder released without answering answers 500, so a connection never hangs on a bug.
public final class HTTPResponder: Sendable {
    let handle: ConnectionHandle
    /// The request was HEAD: the body is left out (its length is still announced).
    public let isHead: Bool
    /// The connection closes after this response.
    public let closesConnection: Bool
    let minorVersion: Int
    private let answered = Atomic<Bool>(false)

    init(handle: ConnectionHandle, isHead: Bool, closesConnection: Bool, minorVersion: Int) {
        self.handle = handle
        self.isHead = isHead
        self.closesConnection = closesConnection
        self.minorVersion = minorVersion
    }

    /// Queues the response; false if it was already answered or the connection is gone.
    @discardableResult
    public func respond(_ response: HTTPResponse) -> Bool {
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return false }
        let bytes = response.serialized(head: isHead, close: closesConnection, minorVersion: minorVersion)
        return handle.mailbox.send(bytes: bytes, to: handle.id)
    }

    deinit {
        if !answered.load(ordering: .acquiring) { respond(.text(500, "internal error: no response\n")) }
    }
}

/// An HTTP/1.1 server on the same epoll `EventLoop` as `FrameServer`: one loop thread, non-blocking sockets,
/// `HTTPHandler` per request.
///
///     let server = try HTTPServer(configuration: .init(port: 0), handler: MyRoutes())
///     print(server.port)
///     server.stop()
///
/// Parse errors are answered with their status (400, 411, 413, 414, 431, 501, 505) and `Connection: close`, then
/// the connection closes gracefully (the response is flushed before the FIN, unread input is drained).
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    /// The port actually bound.
    public let port: UInt16
    private let mailbox: Mailbox
    private let thread: LoopThread

    /// Binds, listens and starts the loop thread. Sets SIGPIPE to ignored for the whole process.
    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                handler: some HTTPHandler) throws(SocketError) {
        precondition(configuration.maxConnections >= 0, "maxConnections must not be negative")
        signal(SIGPIPE, SIG_IGN)
        self.configuration = configuration
        let mailbox = try Mailbox(maxQueuedBytes: configuration.maxQueuedOutboundBytes, limits: .default)
        let (fd, port) = try SocketSupport.listen(host: configuration.host, port: configuration.port,
                                                  backlog: configuration.backlog)
        let driver = HTTPDriver(handler: handler, config: configuration)
        let settings = EventLoop.Settings(maxConnections: configuration.maxConnections,
                                          closeLingerMilliseconds: configuration.closeLingerMilliseconds)
        thread = try LoopThread(listenFD: fd, mailbox: mailbox, driver: driver, settings: settings)
        self.mailbox = mailbox
        self.port = port
    }

    /// Closes the listener; open connections are served as before. Idempotent.
    public func stopAccepting() {
        mailbox.requestStopAccepting()
    }

    /// Closes the listener and every connection and joins the loop thread. Idempotent; from a handler (the loop
    /// thread) it returns without waiting.
    public func stop() {
        _ = mailbox.requestStop()
        thread.join()
    }

    deinit { stop() }
}

struct HTTPDriver: LoopDriver {
    let handler: any HTTPHandler
    let config: HTTPServerConfiguration

    func accepted(_ handle: ConnectionHandle) -> (session: any LoopSession, deadlineMs: Int?) {
        (HTTPSession(handle: handle, driver: self), config.requestTimeoutMilliseconds)
    }

    var farewellOnStop: [UInt8]? { nil }

    func closed(_ handle: ConnectionHandle) {}
}

/// One HTTP connection on the loop thread: parse, hand one request at a time to the handler, resume when its
/// response is queued.
final class HTTPSession: LoopSession {
    let handle: ConnectionHandle
    let driver: HTTPDriver
    var parser: HTTPRequestParser
    /// A request is with the handler; nothing more is parsed until its response is queued.
    var awaiting = false
    /// The request being handled asked for the connection to close after its response.
    var closeAfterResponse = false

    init(handle: ConnectionHandle, driver: HTTPDriver) {
        self.handle = handle
        self.driver = driver
        parser = HTTPRequestParser(limits: driver.config.limits)
    }

    /// Most bytes a connection may have buffered while its request is handled (pipelined requests waiting):
    /// one maximal request.
    private var maxBuffered: Int {
        let l = driver.config.limits
        return l.maxRequestLine + l.maxHeaderBytes + l.maxBody + 4096
    }

    func received(_ bytes: UnsafeRawBufferPointer) -> SessionOutcome {
        parser.append(bytes)
        return pump()
    }

    func queuedOutput() -> SessionOutcome {
        guard awaiting else { return SessionOutcome() }
        awaiting = false
        if closeAfterResponse { return SessionOutcome(close: []) }
        var outcome = pump()
        if case .keep = outcome.deadline { outcome.deadline = .set(milliseconds: driver.config.requestTimeoutMilliseconds) }
        return outcome
    }

    func deadlineExpired() -> SessionOutcome {
        if awaiting || parser.isIdle { return SessionOutcome(close: []) }
        let response = HTTPResponse.text(408, "request timeout\n")
        return SessionOutcome(close: response.serialized(close: true))
    }

    private func pump() -> SessionOutcome {
        if awaiting {
            return parser.bufferedByteCount > maxBuffered ? SessionOutcome(close: []) : SessionOutcome()
        }
        do {
            guard let request = try parser.next() else { return SessionOutcome() }
            awaiting = true
            closeAfterResponse = !request.keepAlive
            let responder = HTTPResponder(handle: handle, isHead: request.method == "HEAD",
                                          closesConnection: closeAfterResponse, minorVersion: request.minorVersion)
            driver.handler.handle(request, responder: responder)
            return SessionOutcome(deadline: .clear)
        } catch {
            let body = "{\"error\":\"\(HTTPResponse.reason(error.status).lowercased())\",\"detail\":\"\(error.reason)\"}\n"
            let response = HTTPResponse.json(error.status, body, headers: [HTTPHeader("Cache-Control", "no-store"),
                                                                           HTTPHeader("X-Content-Type-Options", "nosniff")])
            return SessionOutcome(deadline: .clear, close: response.serialized(close: true))
        }
    }
}
