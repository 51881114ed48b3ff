/// How a `DriftClient` reaches driftd and how long it waits.
///
///     var config = DriftClientConfiguration(port: 7400, token: "s3cret")
///     config.defaultBudgetMs = 250          // every call's deadline_ms unless the call gives its own
///     let client = try DriftClient(configuration: config)
///
/// A call's local timeout is its budget plus `responseGraceMs`: the server answers DEADLINE_EXCEEDED itself when
/// the budget cannot be met, so the grace only covers the network and a server that stopped answering.
public struct DriftClientConfiguration: Sendable {
    /// The server's address: a dotted IPv4 or IPv6 address, or a host name.
    public var host: String
    public var port: UInt16
    /// Sent as HELLO `auth_token`; nil sends none.
    public var token: String?
    /// HELLO `client_name`, shown in the server's logs.
    public var clientName: String
    /// Budget for TCP connect plus the HELLO/HELLO_ACK handshake.
    public var connectTimeoutMs: UInt32
    /// Added to a call's budget for the local timeout (DEADLINE_EXCEEDED and a CANCEL when it passes).
    public var responseGraceMs: UInt32
    /// The budget of calls that give none; 0 sends `deadline_ms` 0 and lets the server apply its default.
    public var defaultBudgetMs: UInt32
    /// zstd level used by `DriftClient.encodeBlock(_:)`.
    public var compressionLevel: Int32
    /// Open a new connection (with the handshake) on the next call after the connection was lost or the server
    /// sent GOAWAY; false: such calls fail UNAVAILABLE.
    public var reconnect: Bool
    /// The server-side budget assumed for a call sent with budget 0 (the server's default is not announced); only
    /// its local timeout uses it: `assumedServerBudgetMs + responseGraceMs`.
    public var assumedServerBudgetMs: UInt32
    /// The first pause after a failed connection attempt; it doubles with every further failure.
    public var reconnectBackoffInitialMs: UInt32
    /// The longest pause between failed connection attempts.
    public var reconnectBackoffMaxMs: UInt32

    public init(host: String = "127.0.0.1", port: UInt16 = 7400, token: String? = nil, clientName: String = "driftclient",
                connectTimeoutMs: UInt32 = 5000, responseGraceMs: UInt32 = 2000, defaultBudgetMs: UInt32 = 0,
                compressionLevel: Int32 = 1, reconnect: Bool = true) {
        self.host = host
        self.port = port
        self.token = token
        self.clientName = clientName
        self.connectTimeoutMs = connectTimeoutMs
        self.responseGraceMs = responseGraceMs
        self.defaultBudgetMs = defaultBudgetMs
        self.compressionLevel = compressionLevel
        self.reconnect = reconnect
        self.assumedServerBudgetMs = 30_000
        self.reconnectBackoffInitialMs = 100
        self.reconnectBackoffMaxMs = 5_000
    }

    /// "host:port" (IPv6 addresses in brackets), as error messages name the server.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
