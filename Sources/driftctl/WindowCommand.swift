import DriftClient
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl window ack SOURCE --window-start T`: lets an alerted window back into a rolling baseline
/// (AcknowledgeWindow, method 14).
enum WindowCommand {
    static let usage = """
        USAGE: driftctl window ack SOURCE --window-start T [--json] [server options]

        Acknowledges the closed window of the source starting at T: a window that raised an alert is kept out of a
        rolling baseline until acknowledged. Idempotent: acknowledging again changes nothing and says so.
          --window-start T   the window's start: ms since the epoch, ISO-8601 UTC (2026-12-04T10:00:00Z) or
                             relative (-2h)
          --json             one JSON object instead of the text

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        guard args.words.first == "ack" else { Output.fail("window needs a subcommand: ack") }
        args = Arguments(Array(args.words.dropFirst()))
        let json = args.flag("--json")
        let start = args.time("--window-start", nowMs: IngestCommand.nowMs())
        let source = args.positionals(count: 1, usage: "window ack SOURCE --window-start T")[0]
        guard let start else { Output.fail("window ack needs --window-start T") }
        let client = server.connect()
        let r = server.call(.acknowledgeWindow) { () throws(DriftClientError) in
            try client.acknowledgeWindow(source: source, windowStartMs: start)
        }
        client.close()
        Output.emit(json ? MonitoringReport.acknowledgeJSON(source: source, r).text + "\n"
                         : MonitoringReport.acknowledgeText(source: source, r))
        exit(0)
    }
}
