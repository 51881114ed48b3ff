import DriftWire

/// How a `DriftServer` is started.
public struct DriftServerConfiguration: Sendable {
    /// The SQLite store file (created when missing).
    public var storePath: String
    public var host: String
    /// 0 = an ephemeral port (see `DriftServer.port`).
    public var port: UInt16
    public var limits: FrameLimits
    /// Requests computed at once (the worker threads).
    public var workers: Int
    /// Applied when a REQUEST carries `deadline_ms` 0; never infinite.
    public var defaultDeadlineMs: UInt32
    /// The `maxConcurrentStreams` announced in HELLO_ACK.
    public var maxConcurrentStreams: UInt32

    public init(storePath: String, host: String = "127.0.0.1", port: UInt16 = 0, limits: FrameLimits = .default,
                workers: Int = 2, defaultDeadlineMs: UInt32 = 10_000, maxConcurrentStreams: UInt32 = 100) {
        precondition(workers >= 1, "at least one worker")
        precondition(defaultDeadlineMs > 0, "the default deadline must be finite and positive")
        self.storePath = storePath
        self.host = host
        self.port = port
        self.limits = limits
        self.workers = workers
        self.defaultDeadlineMs = defaultDeadlineMs
        self.maxConcurrentStreams = maxConcurrentStreams
    }
}
