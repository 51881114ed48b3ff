import DriftClient
import DriftColumnar

/// Everything `driftctl load` can be told: the server, the synthetic data, and how to drive the load.
public struct LoadConfiguration: Sendable {
    /// Server address, token and client defaults; one client per connection is opened with it.
    public var client: DriftClientConfiguration
    /// The source to load (nil: `load-<features>f`); created with `features` float32 features when missing.
    public var source: String?
    public var features: Int = 8
    /// Rows per CheckDrift request.
    public var rows: Int = 10_000
    public var baselineRows: Int = 1_000_000
    /// Keep the source's current baseline when it has one (no upload).
    public var reuseBaseline = false
    /// Distinct request blocks, encoded once.
    public var blockPool: Int = 8
    /// Fraction of pool blocks with a 0.3 σ shift on the first half of the features.
    public var driftShare: Double = 0
    public var encoding: ValueEncoding = .plain
    public var seed: UInt64 = 42
    public var compressionLevel: Int32 = 1
    public var connections: Int = 2
    /// Requests outstanding per connection (closed loop: always; open loop: at most).
    public var inFlight: Int = 4
    /// Open loop at this many requests per second in total (nil: closed loop).
    public var rate: Double?
    /// Length of each measured phase (used when `requests` is nil; default 10 s).
    public var duration: Duration?
    /// Requests per measured phase (instead of a duration).
    public var requests: Int?
    /// Unrecorded run before each measured phase.
    public var warmup: Duration = .zero
    public var budgetMs: UInt32?
    public var allowApproximate = false
    /// Fractions of the closed-loop peak rate to run open-loop phases at, after a closed-loop phase (empty: none).
    public var sweep: [Double] = []
    /// Also write the data as float32 files and a manifest here.
    public var dumpDirectory: String?
    /// What each request does: CheckDrift (a verdict per block) or Ingest (folded into hourly windows, durable).
    public var method: LoadMethod = .checkDrift
    /// Ingest: blocks per hourly window (event times advance by 1 h / this per request, so windows keep closing
    /// and being decided during the run, as in a real stream).
    public var blocksPerWindow: Int = 100

    public init(client: DriftClientConfiguration) { self.client = client }

    /// `source`, or `load-<features>f` (`load-<features>f-ingest` for Ingest).
    public var sourceName: String { source ?? "load-\(features)f" + (method == .ingest ? "-ingest" : "") }

    /// The measured phase length: `duration`, or 10 s when neither a duration nor a request count is set.
    var phaseDuration: Duration? { duration ?? (requests == nil ? .seconds(10) : nil) }
}
