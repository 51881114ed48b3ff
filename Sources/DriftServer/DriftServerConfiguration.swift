import DriftEngine
import DriftTransport
import DriftWire

/// How a `DriftServer` is started. Every field has a `driftd` flag and config-file key (`DriftdOptions`).
public struct DriftServerConfiguration: Sendable {
    /// The SQLite store file (created when missing).
    public var storePath: String
    public var host: String
    /// 0 = an ephemeral port (see `DriftServer.port`).
    public var port: UInt16
    /// The HTTP endpoint's port on `host` (`/healthz`, `/readyz`, `/api/v1/…`): 0 = an ephemeral port (see
    /// `DriftServer.httpPort`), nil = no HTTP endpoint. `driftd` defaults to 7401; the library to nil, so servers
    /// in tests and embedders never collide on a fixed port.
    public var httpPort: UInt16?
    /// Limits of HTTP requests (request line 8 KiB, headers 32 KiB / 100 fields, body 1 MiB by default).
    public var httpLimits: HTTPLimits
    /// Frame limits (announced in HELLO_ACK; enforced by every connection's decoder after the handshake).
    public var limits: FrameLimits
    /// Compute threads (requests and their features run on them; never on the I/O thread).
    public var workers: Int
    /// Applied when a REQUEST carries `deadline_ms` 0; never infinite.
    public var defaultDeadlineMs: UInt32
    /// Requests in flight per connection (announced in HELLO_ACK as `max_concurrent_streams`); one more is
    /// answered RESOURCE_EXHAUSTED with a retry-after.
    public var maxConcurrentStreams: UInt32
    /// Requests waiting for a worker, over all connections; beyond it RESOURCE_EXHAUSTED with a retry-after
    /// instead of buffering without bound.
    public var maxQueuedRequests: Int
    /// Open connections (a connection beyond it is accepted and closed at once).
    public var maxConnections: Int
    /// When set, HELLO must carry this token (compared in constant time) or gets UNAUTHENTICATED.
    public var authToken: String?
    /// A connection must complete its HELLO within this time (PROTOCOL §12: 5 s).
    public var helloTimeoutMs: Int
    /// How long `drain()` lets in-flight requests finish after GOAWAY before closing anyway.
    public var drainTimeoutMs: Int
    /// Rows one baseline upload may stage before it is refused (RESOURCE_EXHAUSTED): bounds the memory of uploads.
    public var maxBaselineRows: Int
    /// Verdict history, model metrics, freshness checks and closed windows older than this many days are deleted
    /// by `ServerCore.applyRetention` (0 = kept forever).
    public var historyRetentionDays: Int
    /// The period of the monitoring timer (window closing, freshness checks, retention), in milliseconds.
    public var monitorIntervalMilliseconds: Int
    /// The structured log (requests at debug, refusals and failures at warning/error, window closes at info,
    /// freshness changes at warning). Off by default in the library; `driftd` sets it from `--log-*`.
    public var logger: Logger = .disabled
    /// The per-feature drift gauges of `/metrics` hold at most this many source × feature series; features beyond
    /// it are left out and counted in `driftd_feature_series_dropped`.
    public var maxFeatureSeries: Int = 2000
    /// The alerting configuration (routes, receivers, inhibition). nil: alerts are still derived, grouped and
    /// listed (one silent receiver), but nothing is written to the outbox or delivered.
    public var alerting: AlertConfig? = nil
    /// The senders of the outbox's notifications (with `alerting`); nil: nothing is delivered.
    public var alertDelivery: (any AlertDelivering)? = nil
    /// The dashboard's base URL handed to the senders for links; nil = the HTTP endpoint's own address
    /// (`http://127.0.0.1:<bound http port>`) when it is on, else no links.
    public var dashboardURL: String? = nil
    /// Retries of the delivery worker (1 s doubling to 5 min, given up after 24 h).
    public var alertDeliverySettings = AlertDeliverySettings()

    public init(storePath: String, host: String = "127.0.0.1", port: UInt16 = 0, limits: FrameLimits = .default,
                workers: Int = 2, defaultDeadlineMs: UInt32 = 10_000, maxConcurrentStreams: UInt32 = 64,
                maxQueuedRequests: Int = 1024, maxConnections: Int = 1024, authToken: String? = nil,
                helloTimeoutMs: Int = 5000, drainTimeoutMs: Int = 10_000, maxBaselineRows: Int = 50_000_000,
                historyRetentionDays: Int = 400, monitorIntervalMilliseconds: Int = 1000, httpPort: UInt16? = nil,
                httpLimits: HTTPLimits = .default) {
        precondition(workers >= 1, "at least one worker")
        precondition(defaultDeadlineMs > 0, "the default deadline must be finite and positive")
        precondition(historyRetentionDays >= 0, "retention is 0 (forever) or a number of days")
        precondition(monitorIntervalMilliseconds > 0, "the monitoring timer needs a positive period")
        self.storePath = storePath
        self.host = host
        self.port = port
        self.limits = limits
        self.workers = workers
        self.defaultDeadlineMs = defaultDeadlineMs
        self.maxConcurrentStreams = maxConcurrentStreams
        self.maxQueuedRequests = maxQueuedRequests
        self.maxConnections = maxConnections
        self.authToken = authToken
        self.helloTimeoutMs = helloTimeoutMs
        self.drainTimeoutMs = drainTimeoutMs
        self.maxBaselineRows = maxBaselineRows
        self.historyRetentionDays = historyRetentionDays
        self.monitorIntervalMilliseconds = monitorIntervalMilliseconds
        self.httpPort = httpPort
        self.httpLimits = httpLimits
    }
}
