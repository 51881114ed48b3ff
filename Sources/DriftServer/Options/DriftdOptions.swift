import DriftWire
import Glibc

/// Everything `driftd` can be told, from defaults, an optional JSON config file and flags (flags win).
///
/// Every setting has a config key and a flag spelled the same way (`max_queued_requests` ↔
/// `--max-queued-requests`); `DriftdOptions.settings` is the one table of them (help text included).
///
///     {
///       "port": 7400,
///       "http_port": 7401,
///       "data_dir": "/var/lib/driftd",
///       "workers": 4,
///       "token_file": "/etc/driftd/token"
///     }
public struct DriftdOptions: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 7400
    /// The HTTP endpoint's port; -1 = off (`--http-port off`).
    public var httpPort = 7401
    public var dataDir = "./driftd-data"
    public var workers = DriftdOptions.onlineCores()
    public var defaultBudgetMs = 10_000
    public var maxFrameBytes = 16 << 20
    public var maxDecodedBytes = 64 << 20
    public var maxMetadataBytes = 64 << 10
    public var maxStreamsPerConnection = 64
    public var maxQueuedRequests = 1024
    public var maxConnections = 1024
    public var maxBaselineRows = 50_000_000
    public var helloTimeoutMs = 5000
    public var drainTimeoutMs = 10_000
    public var tokenFile = ""
    public var historyRetentionDays = 400
    public var monitorIntervalMs = 1000
    /// `debug`, `info`, `warning` or `error`.
    public var logLevel = "info"
    /// `json` (one object per line) or `text`.
    public var logFormat = "json"
    /// The log file (appended to); empty = stderr.
    public var logFile = ""
    public var metricsMaxFeatureSeries = 2000
    /// The config file read, if any (`--config`).
    public var configFile: String?
    /// A separate alerting configuration file (`--alerts-config`); empty = the config file's `alerting` object.
    public var alertsConfig = ""
    /// The `alerting` object of the config file, kept for `alertingOptions()`.
    var alertingSection: AlertingSection?

    public init() {}

    /// The store inside `dataDir`.
    public var storePath: String { dataDir + "/driftd.sqlite" }

    /// One setting: its config key (the flag is `--` + the key with '-' for '_').
    public struct Setting: Sendable {
        public enum Kind: Sendable {
            case integer(ClosedRange<Int>, WritableKeyPath<DriftdOptions, Int> & Sendable)
            case text(WritableKeyPath<DriftdOptions, String> & Sendable)
        }
        public let key: String
        public let kind: Kind
        public let help: String
        public var flag: String { "--" + key.replacingUnderscores() }
    }

    public static let settings: [Setting] = [
        Setting(key: "host", kind: .text(\.host), help: "IPv4 address for RPC (default 127.0.0.1)"),
        Setting(key: "port", kind: .integer(0...65535, \.port), help: "RPC port (default 7400; 0 = any free port, printed)"),
        Setting(key: "http_port", kind: .integer(-1...65535, \.httpPort),
                help: "HTTP port for /healthz, /readyz, /api/v1, /metrics (default 7401; 0 = any free port, printed; off or -1 = none)"),
        Setting(key: "data_dir", kind: .text(\.dataDir), help: "state directory, created if missing (default ./driftd-data)"),
        Setting(key: "workers", kind: .integer(1...1024, \.workers), help: "compute threads (default: the online cores)"),
        Setting(key: "default_budget_ms", kind: .integer(1...3_600_000, \.defaultBudgetMs),
                help: "budget of a request that gives none (default 10000)"),
        Setting(key: "max_frame_bytes", kind: .integer(4096...(1 << 30), \.maxFrameBytes),
                help: "largest frame body on the wire (default 16 MiB)"),
        Setting(key: "max_decoded_bytes", kind: .integer(4096...(2 << 30), \.maxDecodedBytes),
                help: "largest decompressed body (default 64 MiB)"),
        Setting(key: "max_metadata_bytes", kind: .integer(4096...(16 << 20), \.maxMetadataBytes),
                help: "largest frame metadata (default 64 KiB)"),
        Setting(key: "max_streams_per_connection", kind: .integer(1...65536, \.maxStreamsPerConnection),
                help: "requests in flight per connection (default 64)"),
        Setting(key: "max_queued_requests", kind: .integer(1...1_000_000, \.maxQueuedRequests),
                help: "requests waiting for a worker before RESOURCE_EXHAUSTED (default 1024)"),
        Setting(key: "max_connections", kind: .integer(1...100_000, \.maxConnections),
                help: "open connections (default 1024)"),
        Setting(key: "max_baseline_rows", kind: .integer(1...2_000_000_000, \.maxBaselineRows),
                help: "rows one baseline upload may hold (default 50000000)"),
        Setting(key: "hello_timeout_ms", kind: .integer(100...600_000, \.helloTimeoutMs),
                help: "time a new connection has to send HELLO (default 5000)"),
        Setting(key: "drain_timeout_ms", kind: .integer(0...3_600_000, \.drainTimeoutMs),
                help: "time in-flight requests get to finish on SIGTERM/SIGINT (default 10000)"),
        Setting(key: "history_retention_days", kind: .integer(0...36_500, \.historyRetentionDays),
                help: "days of verdict history, metrics and closed windows kept (default 400; 0 = forever)"),
        Setting(key: "monitor_interval_ms", kind: .integer(10...3_600_000, \.monitorIntervalMs),
                help: "period of the monitoring timer: window closing, freshness, retention (default 1000)"),
        Setting(key: "token_file", kind: .text(\.tokenFile),
                help: "file holding the auth token clients must send (default: no authentication)"),
        Setting(key: "log_level", kind: .text(\.logLevel), help: "debug, info, warning or error (default info)"),
        Setting(key: "log_format", kind: .text(\.logFormat), help: "json (one object per line) or text (default json)"),
        Setting(key: "log_file", kind: .text(\.logFile), help: "append the log to this file (default: stderr)"),
        Setting(key: "alerts_config", kind: .text(\.alertsConfig),
                help: "alerting configuration file (JSON; replaces the config file's \"alerting\" object)"),
        Setting(key: "metrics_max_feature_series", kind: .integer(0...1_000_000, \.metricsMaxFeatureSeries),
                help: "source x feature series of the /metrics drift gauges (default 2000)"),
    ]

    /// Defaults, then the config file named by `--config`, then the other flags.
    public static func parse(_ arguments: [String]) throws(DriftdOptionsError) -> DriftdOptions {
        var options = DriftdOptions()
        var flags: [(Setting, String)] = []
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            var name = arg
            var value: String? = nil
            if let eq = arg.firstIndex(of: "="), arg.hasPrefix("--") {
                name = String(arg[..<eq])
                value = String(arg[arg.index(after: eq)...])
            }
            if name == "--config" {
                guard let v = value ?? (i + 1 < arguments.count ? arguments[i + 1] : nil) else {
                    throw DriftdOptionsError("--config needs a file")
                }
                if value == nil { i += 1 }
                options.configFile = v
            } else if let s = settings.first(where: { $0.flag == name }) {
                guard let v = value ?? (i + 1 < arguments.count ? arguments[i + 1] : nil) else {
                    throw DriftdOptionsError("\(name) needs a value")
                }
                if value == nil { i += 1 }
                flags.append((s, v))
            } else {
                throw DriftdOptionsError("unknown option '\(arg)'; see driftd --help")
            }
            i += 1
        }
        if let file = options.configFile {
            let text: String
            do { text = try readTextFile(file) } catch { throw DriftdOptionsError("cannot read config \(file): \(error)") }
            try options.apply(config: text, file: file)
        }
        for (s, v) in flags { try options.set(s, text: v, origin: s.flag) }
        return options
    }

    /// Applies a JSON config document: an object whose keys are settings.
    public mutating func apply(config text: String, file: String) throws(DriftdOptionsError) {
        let doc: ConfigJSON.Located
        do { doc = try ConfigJSON.parse(text) } catch { throw DriftdOptionsError("\(file): \(error.description)") }
        guard case .object(let members) = doc.value else {
            throw DriftdOptionsError("\(file): line \(doc.line): the config must be a JSON object of settings")
        }
        var seen = Set<String>()
        for m in members {
            let origin = "\(file): line \(m.value.line): key '\(m.key)'"
            if m.key == "alerting" {
                guard seen.insert(m.key).inserted else { throw DriftdOptionsError("\(origin) appears twice") }
                guard case .object = m.value.value else {
                    throw DriftdOptionsError("\(origin) must be an object, not \(m.value.value.typeName)")
                }
                alertingSection = AlertingSection(file: file, prefix: "alerting", value: m.value)
                continue
            }
            guard let s = Self.settings.first(where: { $0.key == m.key }) else {
                let hint = Self.settings.map(\.key).min { editDistance($0, m.key) < editDistance($1, m.key) }
                    .flatMap { editDistance($0, m.key) <= 3 ? " (did you mean '\($0)'?)" : nil } ?? ""
                throw DriftdOptionsError("\(file): line \(m.value.line): unknown key '\(m.key)'\(hint)")
            }
            guard seen.insert(m.key).inserted else { throw DriftdOptionsError("\(origin) appears twice") }
            switch (s.kind, m.value.value) {
            case (.integer, .number(let n)): try set(s, text: n, origin: origin)
            case (.integer, .string("off")) where s.key == "http_port": try set(s, text: "off", origin: origin)
            case (.text, .string(let v)): try set(s, text: v, origin: origin)
            case (.integer, let other):
                throw DriftdOptionsError("\(origin) must be an integer, not \(other.typeName)")
            case (.text, let other):
                throw DriftdOptionsError("\(origin) must be a string, not \(other.typeName)")
            }
        }
    }

    private mutating func set(_ s: Setting, text: String, origin: String) throws(DriftdOptionsError) {
        switch s.kind {
        case .integer(let range, let path):
            if s.key == "http_port" && text == "off" {
                self[keyPath: path] = -1
                return
            }
            guard let v = Int(text), range.contains(v) else {
                throw DriftdOptionsError("\(origin): '\(text)' is not an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            self[keyPath: path] = v
        case .text(let path):
            if s.key == "host" {
                var addr = in_addr()
                guard inet_pton(AF_INET, text, &addr) == 1 else {
                    throw DriftdOptionsError("\(origin): '\(text)' is not an IPv4 address (e.g. 127.0.0.1)")
                }
            }
            if s.key == "log_level" && LogLevel(name: text) == nil {
                throw DriftdOptionsError("\(origin): '\(text)' is not a log level (debug, info, warning, error)")
            }
            if s.key == "log_format" && LogFormat(rawValue: text) == nil {
                throw DriftdOptionsError("\(origin): '\(text)' is not a log format (json, text)")
            }
            guard !text.isEmpty || s.key == "token_file" || s.key == "log_file" || s.key == "alerts_config" else {
                throw DriftdOptionsError("\(origin) must not be empty")
            }
            self[keyPath: path] = text
        }
    }

    /// The logger these options describe: stderr, or `logFile` appended to.
    /// - Throws: when the log file cannot be opened.
    public func logger() throws(DriftdOptionsError) -> Logger {
        let level = LogLevel(name: logLevel) ?? .info, format = LogFormat(rawValue: logFormat) ?? .json
        return logFile.isEmpty ? Logger(level: level, format: format, fd: 2)
            : try Logger.appending(to: logFile, level: level, format: format)
    }

    /// The server configuration these options describe (`token` read from `tokenFile` by the caller; the log
    /// from `logger()`, or none).
    public func serverConfiguration(token: String?, logger: Logger = .disabled) -> DriftServerConfiguration {
        var c = DriftServerConfiguration(
            storePath: storePath, host: host, port: UInt16(port),
            limits: FrameLimits(maxMetadata: maxMetadataBytes, maxFrameBody: maxFrameBytes,
                                maxDecoded: maxDecodedBytes),
            workers: workers, defaultDeadlineMs: UInt32(defaultBudgetMs),
            maxConcurrentStreams: UInt32(maxStreamsPerConnection), maxQueuedRequests: maxQueuedRequests,
            maxConnections: maxConnections, authToken: token, helloTimeoutMs: helloTimeoutMs,
            drainTimeoutMs: drainTimeoutMs, maxBaselineRows: maxBaselineRows,
            historyRetentionDays: historyRetentionDays, monitorIntervalMilliseconds: monitorIntervalMs,
            httpPort: httpPort < 0 ? nil : UInt16(httpPort))
        c.logger = logger
        c.maxFeatureSeries = metricsMaxFeatureSeries
        return c
    }

    /// The settings as log fields for the start-up line (the token file's path, never its content).
    public var summaryFields: [(String, LogValue)] {
        Self.settings.map { s in
            switch s.kind {
            case .integer(_, let path): (s.key, .int(Int64(self[keyPath: path])))
            case .text(let path): (s.key, .string(self[keyPath: path]))
            }
        } + (configFile.map { [("config", LogValue.string($0))] } ?? [])
    }

    /// The usage text, generated from `settings`.
    public static var usage: String {
        var text = """
            OVERVIEW: driftd — the drift-detection server (binary RPC; PROTOCOL.md in proto/).

            USAGE: driftd [--config FILE.json] [options]

            Every option below is also a key of the JSON config file (an object; underscores for dashes).
            The file's "alerting" object configures alert routing and receivers (README "Alerting").
            Flags override the file. SIGTERM/SIGINT drain: stop accepting, GOAWAY, finish in-flight work, exit 0.

            OPTIONS:
              --config FILE                  read settings from a JSON file

            """
        for s in settings {
            let left = "  " + s.flag + (s.key == "token_file" || s.key == "data_dir" || s.key == "log_file"
                || s.key == "alerts_config" ? " PATH"
                : s.key.hasPrefix("log_") ? " WORD" : " N")
            text += left.padding(toLength: 33) + s.help + "\n"
        }
        return text + "  -h, --help                     this text\n"
    }

    static func onlineCores() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// A bad option, config file or token file; the message names the key (and line) or flag.
public struct DriftdOptionsError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads a whole file as UTF-8 (no Foundation in this module).
public func readTextFile(_ path: String) throws(DriftdOptionsError) -> String {
    guard let f = fopen(path, "rb") else { throw DriftdOptionsError(String(cString: strerror(errno))) }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count {
            if ferror(f) != 0 { throw DriftdOptionsError(String(cString: strerror(errno))) }
            break
        }
        guard bytes.count <= 16 << 20 else { throw DriftdOptionsError("larger than 16 MiB") }
    }
    return String(decoding: bytes, as: UTF8.self)
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    var row = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
        var prev = row[0]
        row[0] = i
        for j in 1...max(1, b.count) where !b.isEmpty {
            let cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
            prev = cur
        }
    }
    return row[b.count]
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
    func padding(toLength n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
