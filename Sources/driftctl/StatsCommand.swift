import DriftClient
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl stats`: the server's counters.
enum StatsCommand {
    static let usage = """
        USAGE: driftctl stats [--json] [server options]

        The server's counters since it started: uptime, requests by method, errors, latency-budget misses, feature
        values processed, bytes received, requests in flight, open connections.

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let json = args.flag("--json")
        _ = args.positionals(count: 0, usage: "stats [--json]")
        let client = server.connect()
        let s = server.call { () throws(DriftClientError) in try client.serverStats() }
        client.close()
        let byMethod = s.requestsByMethod.sorted { $0.methodID < $1.methodID }.map { m in
            (MethodID(rawValue: UInt16(clamping: m.methodID))?.name ?? "method \(m.methodID)", m.count)
        }
        if json {
            Output.emit(JSONValue.object([
                ("uptime_ms", .uint(s.uptimeMs)), ("requests_total", .uint(s.requestsTotal)),
                ("requests_by_method", .object(byMethod.map { ($0.0, .uint($0.1)) })),
                ("errors_total", .uint(s.errorsTotal)), ("budget_misses_total", .uint(s.budgetMissesTotal)),
                ("values_processed_total", .uint(s.valuesProcessedTotal)), ("bytes_received_total", .uint(s.bytesReceivedTotal)),
                ("in_flight", .uint(s.inFlight)), ("connections", .uint(s.connections)),
            ]).text + "\n")
            exit(0)
        }
        var lines: [(String, String)] = [("uptime", uptime(s.uptimeMs)), ("connections", Format.grouped(s.connections)),
                                         ("in flight", Format.grouped(s.inFlight)), ("requests", Format.grouped(s.requestsTotal))]
        for (name, count) in byMethod { lines.append(("  " + name, Format.grouped(count))) }
        lines += [("errors", Format.grouped(s.errorsTotal)), ("budget misses", Format.grouped(s.budgetMissesTotal)),
                  ("values processed", Format.grouped(s.valuesProcessedTotal)),
                  ("bytes received", bytes(s.bytesReceivedTotal))]
        let width = lines.map(\.0.count).max() ?? 0
        Output.emit(lines.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 + "\n" }.joined())
        exit(0)
    }

    /// 93 784 000 ms → "1d 2h 03m 04s".
    static func uptime(_ ms: UInt64) -> String {
        let s = ms / 1000
        let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60)
        func two(_ x: UInt64) -> String { x < 10 ? "0\(x)" : "\(x)" }
        if d > 0 { return "\(d)d \(h)h \(two(m))m \(two(sec))s" }
        if h > 0 { return "\(h)h \(two(m))m \(two(sec))s" }
        if m > 0 { return "\(m)m \(two(sec))s" }
        return Format.fixed(Double(ms) / 1000, 1) + "s"
    }

    /// 123 456 789 → "123,456,789 (123 MB)".
    static func bytes(_ n: UInt64) -> String {
        let x = Double(n)
        let human = x >= 1e9 ? Format.significant(x / 1e9, 3) + " GB" : x >= 1e6 ? Format.significant(x / 1e6, 3) + " MB"
            : x >= 1e3 ? Format.significant(x / 1e3, 3) + " kB" : "\(n) B"
        return Format.grouped(n) + " (\(human))"
    }
}
