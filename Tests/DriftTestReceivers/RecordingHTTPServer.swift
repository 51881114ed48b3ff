import Foundation
import Synchronization

/// An HTTP/1.1 server on 127.0.0.1:0 that records every request and answers according to ``mode`` — one
/// request per connection, `Connection: close`; HTTPS when started with a ``TLSServerContext``. Stops by itself
/// when released; ``stop()`` stops it earlier.
public final class RecordingHTTPServer: Sendable {
    /// How the server answers.
    public enum Mode: Sendable, Equatable {
        /// 200 with body `ok`.
        case ok
        /// The given status (e.g. 500, 400, 429).
        case status(Int)
        /// Reads the request and never answers (until ``RecordingHTTPServer/stop()``).
        case hang
        /// Reads the request and closes the connection without a byte of answer.
        case closed
    }

    /// One request as received.
    public struct Request: Sendable, Equatable {
        public var method: String
        public var path: String
        /// Header lines in order, names as sent.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// When the whole request had been read (for latency measurements; not part of equality).
        public var receivedAt = ContinuousClock.now

        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The first header of that name (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public static func == (a: Request, b: Request) -> Bool {
            a.method == b.method && a.path == b.path && a.body == b.body
                && a.headers.map { [$0.name, $0.value] } == b.headers.map { [$0.name, $0.value] }
        }
    }

    private let state = Mutex<(mode: Mode, requests: [Request], failedHandshakes: Int)>((.ok, [], 0))
    private let listener: LoopbackListener
    private let tls: TLSServerContext?

    public var port: UInt16 { listener.port }
    /// `http://127.0.0.1:<port>`, or `https://…` when serving TLS.
    public var baseURL: String { (tls == nil ? "http" : "https") + "://127.0.0.1:\(port)" }

    /// - Parameter tls: when set, every connection starts with a TLS handshake with this certificate (HTTPS,
    ///   e.g. ``TLSFixtures/serverContext()``); nil: plain HTTP.
    public init(mode: Mode = .ok, tls: TLSServerContext? = nil) throws(TestReceiverError) {
        self.tls = tls
        state.withLock { $0.mode = mode }
        let box = WeakBox<RecordingHTTPServer>()
        listener = try LoopbackListener { conn in box.server?.serve(conn) }
        box.server = self
    }

    deinit { listener.stop() }

    public var mode: Mode {
        get { state.withLock { $0.mode } }
        set { state.withLock { $0.mode = newValue } }
    }

    public var requests: [Request] { state.withLock { $0.requests } }

    /// TLS handshakes that did not complete (e.g. the client refused the certificate).
    public var failedHandshakes: Int { state.withLock { $0.failedHandshakes } }

    /// Waits up to `timeoutSeconds` until at least `count` handshakes failed (the server notices after the
    /// client gave up); true if they did.
    public func waitForFailedHandshakes(_ count: Int, timeoutSeconds: Double = 10) -> Bool {
        waitUntil(timeoutSeconds) { self.failedHandshakes >= count }
    }

    /// Waits up to `timeoutSeconds` until at least `count` requests arrived; true if they did.
    public func waitForRequests(_ count: Int, timeoutSeconds: Double = 10) -> Bool {
        waitUntil(timeoutSeconds) { self.requests.count >= count }
    }

    public func stop() { listener.stop() }

    private func serve(_ conn: SocketConnection) {
        if let tls, !conn.startTLS(tls) {
            state.withLock { $0.failedHandshakes += 1 }
            return
        }
        guard let requestLine = conn.readLine() else { return }
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2 else { return }
        var headers: [(name: String, value: String)] = []
        while let line = conn.readLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return }
            headers.append((String(line[..<colon]),
                            String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        guard let body = conn.read(count: length) else { return }
        let request = Request(method: String(parts[0]), path: String(parts[1]), headers: headers, body: body)
        let mode = state.withLock { s -> Mode in
            s.requests.append(request)
            return s.mode
        }
        switch mode {
        case .ok: conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        case .status(let s):
            conn.write("HTTP/1.1 \(s) Status\r\nContent-Length: 6\r\nConnection: close\r\n\r\nstatus")
        case .hang: conn.waitForClose()
        case .closed: return
        }
    }

}

/// Polls `condition` every 2 ms for up to `seconds`; true if it held. For waiting on events, never for
/// asserting how long something took.
func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}
