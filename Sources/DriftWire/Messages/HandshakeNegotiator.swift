/// The server side of the handshake (proto/PROTOCOL.md §12): answers a HELLO with a HELLO_ACK.
///
/// Checks, in order (the first failure decides; the error HELLO_ACK carries no limits or methods and the server
/// closes the connection after sending it):
///
///     1. min_wire_version > max_wire_version, or min = 0     -> INVALID_ARGUMENT
///     2. auth token (if one is required), constant time     -> UNAUTHENTICATED
///     3. version ranges do not overlap                      -> UNIMPLEMENTED (message names the server's range)
///     else OK: chosen_version = min(client max, server max), plus limits, keepalive and methods.
///
/// Authentication is checked before versions so an unauthenticated peer learns nothing about the server.
public struct HandshakeNegotiator: Sendable {
    public var supportedVersions: ClosedRange<UInt32>
    public var limits: ConnectionLimits
    public var keepaliveMinIntervalMs: UInt64
    public var methods: [MethodDescriptor]
    /// nil = no authentication. An empty string is treated like nil.
    public var requiredAuthToken: String?

    public init(supportedVersions: ClosedRange<UInt32> = 1...1, limits: ConnectionLimits = ConnectionLimits(),
                keepaliveMinIntervalMs: UInt64 = 10_000, methods: [MethodDescriptor] = [],
                requiredAuthToken: String? = nil) {
        self.supportedVersions = supportedVersions
        self.limits = limits
        self.keepaliveMinIntervalMs = keepaliveMinIntervalMs
        self.methods = methods
        self.requiredAuthToken = requiredAuthToken
    }

    /// The status of a failed handshake whose version ranges do not overlap.
    public static let versionMismatchStatus = WireStatus.unimplemented

    public func respond(to hello: Hello) -> (ack: HelloAck, accepted: Bool) {
        if hello.minWireVersion == 0 || hello.minWireVersion > hello.maxWireVersion {
            return (HelloAck(status: .invalidArgument,
                             message: "invalid wire version range [\(hello.minWireVersion), \(hello.maxWireVersion)]"),
                    false)
        }
        if let token = requiredAuthToken, !token.isEmpty,
           !HandshakeNegotiator.constantTimeEquals(hello.authToken.utf8, token.utf8) {
            return (HelloAck(status: .unauthenticated, message: "missing or invalid auth token"), false)
        }
        let low = max(hello.minWireVersion, supportedVersions.lowerBound)
        let high = min(hello.maxWireVersion, supportedVersions.upperBound)
        guard low <= high else {
            return (HelloAck(status: HandshakeNegotiator.versionMismatchStatus,
                             message: "no common wire version: client [\(hello.minWireVersion), \(hello.maxWireVersion)], "
                                 + "server [\(supportedVersions.lowerBound), \(supportedVersions.upperBound)]"),
                    false)
        }
        return (HelloAck(status: .ok, chosenVersion: high, limits: limits,
                         keepaliveMinIntervalMs: keepaliveMinIntervalMs, methods: methods), true)
    }
}
