import DriftWire

extension DriftClientError {
    /// The error a non-OK RESPONSE carries. The header's status is authoritative; the `ErrorDetail` adds the
    /// message, retry-after and field path.
    static func server(status: WireStatus, metadata: [UInt8]) -> DriftClientError {
        guard let detail = try? ErrorDetail.decode(metadata) else {
            return DriftClientError(status: status, message: "(the error detail could not be decoded)", origin: .server)
        }
        var e = DriftClientError(
            status: status, message: detail.message.isEmpty ? "(no message)" : detail.message, origin: .server,
            retryAfterMs: detail.retryAfterMs == 0 ? nil : UInt32(clamping: detail.retryAfterMs),
            fieldPath: detail.fieldPath)
        e.requestID = ResponseRequestID.read(metadata)
        return e
    }

    /// A request the client will not send because a frame would break one of the server's announced limits.
    static func overLimit(_ what: String, size: Int, limitName: String, limit: UInt32) -> DriftClientError {
        DriftClientError(status: .resourceExhausted,
                         message: "cannot send: \(what) is \(size) bytes, over the server's \(limitName) limit of "
                             + "\(limit) bytes (split the data into smaller blocks)",
                         origin: .local, retryable: false)
    }

    /// A response that did not decode as the method's message.
    static func malformedResponse(_ method: MethodID, _ error: WireError) -> DriftClientError {
        DriftClientError(status: .internal, message: "driftd sent a malformed \(method.name) response: \(error.message)",
                         origin: .server, retryable: false)
    }

    /// The client was closed before or while the call ran.
    static var clientClosed: DriftClientError {
        DriftClientError(status: .unavailable, message: "the DriftClient was closed", origin: .local, retryable: false)
    }
}
