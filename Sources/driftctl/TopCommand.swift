import DriftLoad

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl top`: a live view of driftd's throughput and latency from its `/metrics`, redrawn every interval.
enum TopCommand {
    static let usage = """
        USAGE: driftctl top [--http HOST:PORT] [--interval-ms N] [--once | --iterations N]

        A live view of the server's throughput and latency, read from its HTTP endpoint's /metrics (default
        127.0.0.1:7401) once per interval (default 1000 ms): requests/s overall and by method, errors/s, feature
        values/s, MB/s received, requests in flight and queued, p50/p99 latency over the interval (from the
        latency histogram's deltas), compute workers busy and their utilisation.

        On a terminal the screen is cleared and redrawn; otherwise (a pipe, a file) each view is printed after the
        previous one. --once prints one view (two scrapes an interval apart) and exits; --iterations N prints N.
        Stop with Ctrl-C.

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let address = args.value("--http") ?? "127.0.0.1:7401"
        let interval = args.integer("--interval-ms", in: 50...3_600_000) ?? 1000
        let once = args.flag("--once")
        let iterations = args.integer("--iterations", in: 1...1_000_000_000) ?? (once ? 1 : nil)
        _ = args.positionals(count: 0, usage: "top [--http HOST:PORT] [--interval-ms N] [--once | --iterations N]")
        let (host, port) = ServerOptions.parseAddress(address)
        let tty = isatty(1) == 1
        var previous = scrape(host, port)
        var before = now()
        var shown = 0
        while iterations.map({ shown < $0 }) ?? true {
            usleep(useconds_t(interval * 1000))
            let current = scrape(host, port)
            let at = now()
            let view = TopView(previous: previous, current: current, seconds: at - before)
            let text = view.render(address: "\(host):\(port)", time: clockTime())
            Output.emit(tty ? "\u{1B}[H\u{1B}[2J" + text : (shown > 0 ? "\n" : "") + text)
            previous = current
            before = at
            shown += 1
        }
        exit(0)
    }

    private static func scrape(_ host: String, _ port: UInt16) -> MetricsScrape {
        do {
            let (status, body) = try HTTPGet.fetch(host: host, port: port, path: "/metrics")
            guard status == 200 else { Output.fail("GET /metrics at \(host):\(port) answered HTTP \(status)") }
            return MetricsScrape(text: body)
        } catch {
            Output.fail(error.description)
        }
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The wall-clock time of day, UTC: "18:48:56Z".
    private static func clockTime() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let s = Int(ts.tv_sec) % 86_400
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))Z"
    }
}
