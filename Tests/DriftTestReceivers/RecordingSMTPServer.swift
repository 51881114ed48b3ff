import Foundation
import Synchronization

/// An ESMTP server on 127.0.0.1:0 that speaks enough for curl — 220 greeting, EHLO/HELO (advertising
/// `AUTH PLAIN LOGIN`, and `STARTTLS` when started with a ``TLSServerContext``), STARTTLS (RFC 3207: 220, the
/// TLS handshake, then the dialogue starts over from EHLO), AUTH PLAIN and AUTH LOGIN (with or without an initial
/// response), MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT — and records every accepted message.
/// ``failure`` makes it answer a chosen 4xx or 5xx code at MAIL, RCPT or DATA; ``credentials`` makes AUTH check
/// them (535 otherwise). Stops by itself when released; ``stop()`` stops it earlier.
public final class RecordingSMTPServer: Sendable {
    /// The command a failure answers.
    public enum Stage: Sendable, Equatable {
        case mail, rcpt, data
    }

    /// One message as received.
    public struct Message: Sendable, Equatable {
        public var from: String
        public var recipients: [String]
        /// The DATA content, dot-unstuffed, CRLF line ends, without the terminating ".".
        public var data: String
        /// AUTH seen on the connection (nil without AUTH).
        public var authMechanism: String?
        public var authUser: String?
        public var authPassword: String?
        /// The EHLO/HELO argument.
        public var hello: String
        /// The TLS version the connection was upgraded to by STARTTLS (e.g. `TLSv1.3`); nil for plain text.
        public var tlsVersion: String? = nil
        /// The commands of the connection up to this message's DATA, in order, without their arguments (AUTH
        /// keeps its mechanism: `AUTH PLAIN`), e.g. `["EHLO", "STARTTLS", "EHLO", "AUTH PLAIN", "MAIL", "RCPT",
        /// "DATA"]`.
        public var commands: [String] = []
    }

    private struct State {
        var failure: (stage: Stage, code: Int)?
        var credentials: (user: String, password: String)?
        var messages: [Message] = []
        var authAttempts = 0
        var startTLSCommands = 0
        var failedHandshakes = 0
    }

    private let state = Mutex<State>(State())
    private let listener: LoopbackListener
    private let tls: TLSServerContext?

    public var port: UInt16 { listener.port }

    /// - Parameter tls: when set, EHLO advertises STARTTLS and STARTTLS upgrades the connection with this
    ///   certificate (e.g. ``TLSFixtures/serverContext()``); nil: plain text only, STARTTLS is not recognised.
    public init(tls: TLSServerContext? = nil) throws(TestReceiverError) {
        self.tls = tls
        let box = WeakBox<RecordingSMTPServer>()
        listener = try LoopbackListener { conn in box.server?.serve(conn) }
        box.server = self
    }

    deinit { listener.stop() }

    /// Answer `code` (e.g. 451 or 550) to the given command instead of accepting it; nil accepts everything.
    public var failure: (stage: Stage, code: Int)? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }

    /// When set, AUTH succeeds only with these; nil accepts any credentials.
    public var credentials: (user: String, password: String)? {
        get { state.withLock { $0.credentials } }
        set { state.withLock { $0.credentials = newValue } }
    }

    public var messages: [Message] { state.withLock { $0.messages } }

    /// AUTH commands seen (successful or not).
    public var authAttempts: Int { state.withLock { $0.authAttempts } }

    /// STARTTLS commands answered with 220 (each followed by a handshake).
    public var startTLSCommands: Int { state.withLock { $0.startTLSCommands } }

    /// Handshakes after STARTTLS that did not complete (e.g. the client refused the certificate).
    public var failedHandshakes: Int { state.withLock { $0.failedHandshakes } }

    /// Waits up to `timeoutSeconds` until at least `count` handshakes failed (the server notices after the
    /// client gave up); true if they did.
    public func waitForFailedHandshakes(_ count: Int, timeoutSeconds: Double = 10) -> Bool {
        waitUntil(timeoutSeconds) { self.failedHandshakes >= count }
    }

    /// Waits up to `timeoutSeconds` until at least `count` messages were accepted; true if they were.
    public func waitForMessages(_ count: Int, timeoutSeconds: Double = 10) -> Bool {
        waitUntil(timeoutSeconds) { self.messages.count >= count }
    }

    public func stop() { listener.stop() }

    private func failureCode(at stage: Stage) -> Int? {
        state.withLock { s in s.failure.flatMap { $0.stage == stage ? $0.code : nil } }
    }

    private func serve(_ conn: SocketConnection) {
        conn.write("220 recording-smtp ESMTP ready\r\n")
        var hello = ""
        var auth: (mechanism: String, user: String, password: String)?
        var from: String?
        var recipients: [String] = []
        var commands: [String] = []
        while let line = conn.readLine() {
            let upper = line.uppercased()
            let argument = line.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            let words = upper.split(separator: " ")
            if let verb = words.first {  // never the arguments: AUTH's initial response carries the password
                commands.append(verb == "AUTH" && words.count > 1
                                ? "AUTH \(words[1])" : String(verb.prefix(while: { $0 != ":" })))
            }
            if upper.hasPrefix("EHLO") {
                hello = argument
                let startTLS = tls != nil && conn.tlsVersion == nil ? "250-STARTTLS\r\n" : ""
                conn.write("250-recording-smtp\r\n\(startTLS)250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n"
                           + "250 SIZE 10485760\r\n")
            } else if upper == "STARTTLS", let tls, conn.tlsVersion == nil {
                state.withLock { $0.startTLSCommands += 1 }
                conn.write("220 2.0.0 Ready to start TLS\r\n")
                guard conn.startTLS(tls) else {
                    state.withLock { $0.failedHandshakes += 1 }
                    return
                }
                // RFC 3207 4.2: forget everything learnt before the handshake; the client starts over with EHLO.
                hello = ""
                auth = nil
                from = nil
                recipients = []
            } else if upper.hasPrefix("HELO") {
                hello = argument
                conn.write("250 recording-smtp\r\n")
            } else if upper.hasPrefix("AUTH PLAIN") {
                var response = line.split(separator: " ").dropFirst(2).first.map(String.init)
                if response == nil {
                    conn.write("334 \r\n")
                    response = conn.readLine()
                }
                let fields = (response.flatMap(Self.base64Decode) ?? []).split(separator: 0, omittingEmptySubsequences: false)
                guard fields.count == 3 else { conn.write("501 malformed AUTH PLAIN\r\n"); continue }
                auth = ("PLAIN", String(decoding: fields[1], as: UTF8.self), String(decoding: fields[2], as: UTF8.self))
                conn.write(checkAuth(auth!) ? "235 2.7.0 Authentication successful\r\n" : "535 5.7.8 Authentication failed\r\n")
            } else if upper.hasPrefix("AUTH LOGIN") {
                var user = line.split(separator: " ").dropFirst(2).first.map(String.init)
                if user == nil {
                    conn.write("334 VXNlcm5hbWU6\r\n")
                    user = conn.readLine()
                }
                conn.write("334 UGFzc3dvcmQ6\r\n")
                guard let u = user.flatMap(Self.base64Decode), let p = conn.readLine().flatMap(Self.base64Decode) else {
                    conn.write("501 malformed AUTH LOGIN\r\n")
                    continue
                }
                auth = ("LOGIN", String(decoding: u, as: UTF8.self), String(decoding: p, as: UTF8.self))
                conn.write(checkAuth(auth!) ? "235 2.7.0 Authentication successful\r\n" : "535 5.7.8 Authentication failed\r\n")
            } else if upper.hasPrefix("MAIL FROM:") {
                if let code = failureCode(at: .mail) { conn.write("\(code) MAIL refused\r\n"); continue }
                from = Self.address(line.dropFirst(10))
                recipients = []
                conn.write("250 2.1.0 Ok\r\n")
            } else if upper.hasPrefix("RCPT TO:") {
                if let code = failureCode(at: .rcpt) { conn.write("\(code) RCPT refused\r\n"); continue }
                guard from != nil else { conn.write("503 MAIL first\r\n"); continue }
                recipients.append(Self.address(line.dropFirst(8)))
                conn.write("250 2.1.5 Ok\r\n")
            } else if upper == "DATA" {
                guard let sender = from, !recipients.isEmpty else { conn.write("503 RCPT first\r\n"); continue }
                if let code = failureCode(at: .data) { conn.write("\(code) DATA refused\r\n"); continue }
                conn.write("354 End data with <CR><LF>.<CR><LF>\r\n")
                var lines: [String] = []
                var complete = false
                while let l = conn.readLine() {
                    if l == "." { complete = true; break }
                    lines.append(l.hasPrefix(".") ? String(l.dropFirst()) : l)
                }
                guard complete else { return }
                let message = Message(from: sender, recipients: recipients,
                                      data: lines.map { $0 + "\r\n" }.joined(), authMechanism: auth?.mechanism,
                                      authUser: auth?.user, authPassword: auth?.password, hello: hello,
                                      tlsVersion: conn.tlsVersion, commands: commands)
                state.withLock { $0.messages.append(message) }
                from = nil
                recipients = []
                conn.write("250 2.0.0 Ok: queued\r\n")
            } else if upper == "RSET" {
                from = nil
                recipients = []
                conn.write("250 2.0.0 Ok\r\n")
            } else if upper == "NOOP" {
                conn.write("250 2.0.0 Ok\r\n")
            } else if upper == "QUIT" {
                conn.write("221 2.0.0 Bye\r\n")
                return
            } else {
                conn.write("502 5.5.2 Command not recognized\r\n")
            }
        }
    }

    private func checkAuth(_ auth: (mechanism: String, user: String, password: String)) -> Bool {
        state.withLock { s in
            s.authAttempts += 1
            guard let c = s.credentials else { return true }
            return c.user == auth.user && c.password == auth.password
        }
    }

    /// `<a@b> SIZE=…` → `a@b`.
    private static func address(_ text: Substring) -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("<"), let close = t.firstIndex(of: ">") { return String(t[t.index(after: t.startIndex)..<close]) }
        return String(t.split(separator: " ").first ?? "")
    }

    private static func base64Decode(_ text: String) -> [UInt8]? {
        if text == "=" { return [] }
        return Data(base64Encoded: text).map { Array($0) }
    }
}
