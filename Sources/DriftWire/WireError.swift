/// The one error type of the wire layer.
///
/// `code` is the status the server answers with. `isConnectionError` says how: a connection error (the framing
/// can no longer be trusted — bad magic, CRC, version, type, flags, reserved bits, a length over a limit) is
/// answered with GOAWAY carrying `code`, then the connection is closed; any other error is answered with a
/// RESPONSE on `streamID` and the connection stays open.
public struct WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why, in machine-readable form (tests and metrics match on it; the message is for humans).
    public enum Reason: String, Sendable, Equatable {
        // Header-level, connection-fatal.
        case badMagic, badVersion, badFrameType, badFlags, badStatus, badReserved, headerChecksum
        case badPadding
        case metadataTooLarge, bodyTooLarge, decodedTooLarge
        // Request-level: the frame was skipped, the connection survives.
        case unsupportedCodec, lengthMismatch
        // Encoding our own frames.
        case frameTooLarge
        // Protobuf wire format (message codecs).
        case truncated, varintTooLong, invalidWireType, invalidFieldNumber, invalidUTF8
    }

    public var code: WireStatus
    public var reason: Reason
    public var message: String
    /// True when the connection must be closed (after a GOAWAY with `code`).
    public var isConnectionError: Bool
    /// The stream the error belongs to, when it is known and the error is request-level.
    public var streamID: UInt32?
    /// The method and version of the refused frame (request-level errors), echoed in the RESPONSE.
    public var methodID: UInt16 = 0
    public var methodVersion: UInt16 = 0

    public init(_ code: WireStatus, _ reason: Reason, _ message: String,
                isConnectionError: Bool = false, streamID: UInt32? = nil, methodID: UInt16 = 0,
                methodVersion: UInt16 = 0) {
        self.code = code
        self.reason = reason
        self.message = message
        self.isConnectionError = isConnectionError
        self.streamID = streamID
        self.methodID = methodID
        self.methodVersion = methodVersion
    }

    public var description: String {
        "\(code.name) \(reason.rawValue)\(isConnectionError ? " (connection)" : ""): \(message)"
    }

    static func fatal(_ code: WireStatus, _ reason: Reason, _ message: String) -> WireError {
        WireError(code, reason, message, isConnectionError: true)
    }

    static func malformed(_ reason: Reason, _ message: String) -> WireError {
        WireError(.invalidArgument, reason, message)
    }
}
