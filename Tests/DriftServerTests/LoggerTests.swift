@testable import DriftServer
import Foundation
import Synchronization
import Testing

/// Lines kept in memory by a test logger.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    func logger(_ level: LogLevel = .debug, format: LogFormat = .json, clock: @escaping @Sendable () -> Int64 = { 1_796_083_200_123 }) -> Logger {
        Logger(level: level, format: format, clock: clock) { [self] line in lines.withLock { $0.append(line) } }
    }

    var all: [String] { lines.withLock { $0 } }

    /// Every line parsed as a JSON object (a line that does not parse fails the test).
    func objects() throws -> [[String: Any]] {
        try all.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }
}

@Suite("structured log")
struct LoggerTests {
    @Test("one JSON object per line: ts (RFC 3339 UTC, ms), level, msg, then the fields")
    func jsonLine() throws {
        let cap = LogCapture()
        let log = cap.logger()
        log.info("window closed", ["source": .string("payments"), "drifting": .int(3), "ratio": .double(0.25),
                                   "alerted": .bool(true), "rows": .uint(12)])
        #expect(cap.all == [
            "{\"ts\":\"2026-12-01T00:00:00.123Z\",\"level\":\"info\",\"msg\":\"window closed\",\"source\":\"payments\","
                + "\"drifting\":3,\"ratio\":0.25,\"alerted\":true,\"rows\":12}\n",
        ])
        let o = try #require(try cap.objects().first)
        #expect(o["level"] as? String == "info" && o["drifting"] as? Int == 3)
    }

    @Test("timestamps always have three fraction digits, before 1970 too")
    func timestamps() {
        #expect(LogLine.timestamp(ms: 0) == "1970-01-01T00:00:00.000Z")
        #expect(LogLine.timestamp(ms: 1500) == "1970-01-01T00:00:01.500Z")
        #expect(LogLine.timestamp(ms: 1_796_083_200_007) == "2026-12-01T00:00:00.007Z")
        #expect(LogLine.timestamp(ms: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test("hostile names stay inside their string: control characters, quotes, newlines, fake fields")
    func escaping() throws {
        let cap = LogCapture()
        let hostile = "x\",\"level\":\"error\"}\n{\"forged\":1\u{0}\u{1B}[31m\u{7F}<script>\u{2028}é"
        cap.logger().warning(hostile, ["feature": .string(hostile), "msg": .string("shadow")])
        #expect(cap.all.count == 1)
        let line = cap.all[0]
        #expect(line.hasSuffix("}\n") && line.dropLast().firstIndex(of: "\n") == nil)
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let o = try #require(try cap.objects().first)
        #expect(o["msg"] as? String == hostile && o["feature"] as? String == hostile)
        #expect(o["level"] as? String == "warning")
        #expect(o["field_msg"] as? String == "shadow")
        #expect(o["forged"] == nil)
    }

    @Test("the level filters: below it nothing is written")
    func levels() throws {
        let cap = LogCapture()
        let log = cap.logger(.warning)
        log.debug("d")
        log.info("i")
        log.warning("w")
        log.error("e")
        #expect(try cap.objects().map { $0["msg"] as? String } == ["w", "e"])
        #expect(!log.isEnabled(.info) && log.isEnabled(.error))
        #expect(!Logger.disabled.isEnabled(.error))
        #expect(LogLevel(name: "warn") == .warning && LogLevel(name: "verbose") == nil)
    }

    @Test("text format: plain words bare, anything else JSON-quoted")
    func text() {
        let cap = LogCapture()
        cap.logger(format: .text).info("request failed", ["source": .string("a b\n"), "status": .string("NOT_FOUND"),
                                                          "ms": .double(1.5)])
        #expect(cap.all == ["2026-12-01T00:00:00.123Z INFO request failed source=\"a b\\n\" status=NOT_FOUND ms=1.5\n"])
    }
}
