import DriftWire

/// Settings of a `FrameServer`. The defaults are safe for a local test server.
public struct FrameServerConfiguration: Sendable, Equatable {
    /// IPv4 address to bind (dotted quad).
    public var host: String
    /// Port to bind; 0 picks an ephemeral port (read it back from `FrameServer.port`).
    public var port: UInt16
    /// Limits every connection's `FrameDecoder` enforces; also caps the frames `ConnectionHandle.send` accepts.
    public var limits: FrameLimits
    /// Open connections allowed at once; a connection beyond it is accepted and closed immediately.
    public var maxConnections: Int
    /// Bytes queued for one connection and not yet written to its socket; sending beyond it closes the
    /// connection. Must be at least one maximal frame.
    public var maxQueuedOutboundBytes: Int
    /// How long a closing connection may take to flush its queue and see the peer's EOF before it is closed hard.
    public var closeLingerMilliseconds: Int
    /// `listen()` backlog.
    public var backlog: Int32
    /// When set, every connection starts in a handshake phase: its decoder enforces `preHandshakeLimits`, and
    /// unless the handler calls `ConnectionHandle.markEstablished()` within this many milliseconds the connection
    /// gets GOAWAY DEADLINE_EXCEEDED and is closed. After `markEstablished()` the decoder enforces `limits`.
    /// nil: no handshake phase (every connection uses `limits` from the start).
    public var handshakeTimeoutMilliseconds: Int?
    /// Limits before the handshake (only used with `handshakeTimeoutMilliseconds`).
    public var preHandshakeLimits: FrameLimits

    public init(host: String = "127.0.0.1", port: UInt16 = 0, limits: FrameLimits = .default,
                maxConnections: Int = 1024, maxQueuedOutboundBytes: Int = 64 << 20,
                closeLingerMilliseconds: Int = 1000, backlog: Int32 = 512,
                handshakeTimeoutMilliseconds: Int? = nil,
                preHandshakeLimits: FrameLimits = FrameLimits(maxMetadata: 4096, maxFrameBody: 0, maxDecoded: 0)) {
        self.host = host
        self.port = port
        self.limits = limits
        self.maxConnections = maxConnections
        self.maxQueuedOutboundBytes = maxQueuedOutboundBytes
        self.closeLingerMilliseconds = closeLingerMilliseconds
        self.backlog = backlog
        self.handshakeTimeoutMilliseconds = handshakeTimeoutMilliseconds
        self.preHandshakeLimits = preHandshakeLimits
    }
}
