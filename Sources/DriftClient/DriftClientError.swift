import DriftWire

/// Every failure of a `DriftClient` call: a status from the server, a lost or refused connection, or a request
/// the client refused to send.
///
///     do { _ = try client.getSource("payments") }
///     catch { print(error) }      // NOT_FOUND: no source named payments (field: name)
///
/// `description` reads well on its own: server errors show the status name and the server's message; connection
/// and local errors say what happened (`cannot connect to driftd at 127.0.0.1:7400: connection refused (is driftd
/// running?)`).
public struct DriftClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the error was decided.
    public enum Origin: Sendable, Equatable {
        /// The server answered with this status (a RESPONSE, an error HELLO_ACK or a GOAWAY).
        case server
        /// The connection could not be opened or was lost; the server's verdict is unknown.
        case connection
        /// The client refused or gave up locally (a limit, a timeout, a closed client).
        case local
    }

    public var status: WireStatus
    public var message: String
    public var origin: Origin
    /// The server's hint of when to retry (`ErrorDetail.retry_after_ms`), or the client's backoff.
    public var retryAfterMs: UInt32?
    /// The offending field or column, when the server names one.
    public var fieldPath: String?
    /// True when sending the same request again (later, or on a new connection) may succeed: UNAVAILABLE,
    /// RESOURCE_EXHAUSTED with a retry-after, a request not processed because of a GOAWAY.
    public var retryable: Bool
    /// The request id the server gave the request (PROTOCOL §13 "Request ids"), present on errors the server
    /// answered: the same id is in the server's log lines about the request. (Not part of `description`;
    /// `driftctl` prints it on a line of its own.)
    public var requestID: String?

    /// - Parameter retryable: nil derives it from the status: UNAVAILABLE, or RESOURCE_EXHAUSTED with a retry-after.
    public init(status: WireStatus, message: String, origin: Origin, retryAfterMs: UInt32? = nil,
                fieldPath: String? = nil, retryable: Bool? = nil) {
        self.status = status
        self.message = message
        self.origin = origin
        self.retryAfterMs = retryAfterMs
        self.fieldPath = fieldPath
        self.retryable = retryable
            ?? (status == .unavailable || (status == .resourceExhausted && retryAfterMs != nil))
    }

    public var description: String {
        var text = origin == .server ? "\(status.name): \(message)" : message
        if let fieldPath, !fieldPath.isEmpty { text += " (field: \(fieldPath))" }
        if let retryAfterMs { text += " (retry after \(retryAfterMs) ms)" }
        return text
    }
}
