import DriftEngine
import DriftStore
import Glibc
import Synchronization

/// driftd's structured log: one line per event, JSON (`{"ts":…,"level":…,"msg":…,<fields>}`) or text, written
/// whole with one `write(2)` under a lock so lines from different threads never interleave.
///
///     let log = Logger(level: .info, format: .json, fd: 2)
///     log.info("window closed", ["source": .string(name), "drifting": .int(3)])
///     // {"ts":"2026-12-04T18:48:56.123Z","level":"info","msg":"window closed","source":"payments","drifting":3}
///
/// Field values are escaped (JSON strings: quotes, backslashes, every control character, and `<`, `>`, `&`), so a
/// hostile source or feature name cannot forge a line or a field. A line below the logger's level costs one
/// comparison; build expensive fields only after `isEnabled`.
public final class Logger: Sendable {
    public let level: LogLevel
    public let format: LogFormat
    private let enabled: Bool
    private let sink: @Sendable (String) -> Void
    private let clock: @Sendable () -> Int64

    /// A logger writing to the file descriptor `fd` (2 = stderr).
    public convenience init(level: LogLevel = .info, format: LogFormat = .json, fd: Int32 = 2) {
        let lock = Mutex<Void>(())
        self.init(level: level, format: format) { line in
            lock.withLock { _ in Logger.writeAll(fd, line) }
        }
    }

    /// A logger handing each finished line (with its newline) to `sink`; `clock` gives the time in ms.
    public init(level: LogLevel, format: LogFormat = .json,
                clock: @escaping @Sendable () -> Int64 = { DriftStore.wallClockMilliseconds() },
                enabled: Bool = true, sink: @escaping @Sendable (String) -> Void) {
        self.enabled = enabled
        self.level = level
        self.format = format
        self.clock = clock
        self.sink = sink
    }

    /// A logger appending to `path` (created 0640 when missing).
    /// - Throws: `DriftdOptionsError` naming the file and the system's reason.
    public static func appending(to path: String, level: LogLevel, format: LogFormat) throws(DriftdOptionsError) -> Logger {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw DriftdOptionsError("cannot open log file \(path): \(String(cString: strerror(errno)))") }
        return Logger(level: level, format: format, fd: fd)
    }

    /// Writes nothing (the library's default: embedders and tests choose their own).
    public static let disabled = Logger(level: .error, format: .json, enabled: false) { _ in }

    public func isEnabled(_ l: LogLevel) -> Bool { enabled && l >= level }

    public func log(_ l: LogLevel, _ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        guard isEnabled(l) else { return }
        sink(LogLine.render(ms: clock(), level: l, message: message, fields: Array(fields), format: format))
    }

    public func log(_ l: LogLevel, _ message: String, fields: [(String, LogValue)]) {
        guard isEnabled(l) else { return }
        sink(LogLine.render(ms: clock(), level: l, message: message, fields: fields, format: format))
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.debug, message, fields: Array(fields)) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.info, message, fields: Array(fields)) }
    public func warning(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.warning, message, fields: Array(fields)) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.error, message, fields: Array(fields)) }

    private static func writeAll(_ fd: Int32, _ line: String) {
        var line = line
        line.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 { if errno == EINTR { continue } else { return } }
                off += n
            }
        }
    }
}

/// The pure formatting of one log line.
enum LogLine {
    /// One line with its newline. JSON: `ts`, `level`, `msg`, then the fields in order (a field named like one of
    /// the three is written as `field_<name>` so the line stays one object with unique keys). Text:
    /// `ts LEVEL msg key=value …`, the message and values JSON-quoted unless they are plain words.
    static func render(ms: Int64, level: LogLevel, message: String, fields: [(String, LogValue)],
                       format: LogFormat) -> String {
        let ts = timestamp(ms: ms)
        switch format {
        case .json:
            var out = "{\"ts\":\"" + ts + "\",\"level\":\"" + level.name + "\",\"msg\":" + JSONText.string(message)
            for (k, v) in fields {
                let key = (k == "ts" || k == "level" || k == "msg") ? "field_" + k : k
                out += "," + JSONText.string(key) + ":" + v.json
            }
            return out + "}\n"
        case .text:
            let plain = message.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" }
            var out = ts + " " + level.name.uppercased() + " " + (plain ? message : JSONText.string(message))
            for (k, v) in fields { out += " " + LogValue.string(k).text + "=" + v.text }
            return out + "\n"
        }
    }

    /// RFC 3339 in UTC with exactly three fraction digits: `2026-12-04T18:48:56.123Z`.
    static func timestamp(ms: Int64) -> String {
        var frac = ms % 1000
        if frac < 0 { frac += 1000 }
        let whole = AlertTimestamp.rfc3339(ms: ms - frac)
        let digits = String(frac)
        return String(whole.dropLast()) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}
