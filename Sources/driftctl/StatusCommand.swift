import DriftClient
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl status SOURCE`: freshness, last closed window and feature states (GetSourceStatus, method 10).
enum StatusCommand {
    static let usage = """
        USAGE: driftctl status SOURCE [--json] [server options]

        The source's monitoring state: freshness against its SLA (the broken rule when stale), how long ago the
        newest event happened and the last rows arrived, the last closed window, the baseline in use, late rows,
        and each feature's state under the persistence policy (drifting first, then recovering, then ok) with the
        window it began with.
          --json    one JSON object instead of the text

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let json = args.flag("--json")
        let source = args.positionals(count: 1, usage: "status SOURCE [--json]")[0]
        let client = server.connect()
        let r = server.call(.getSourceStatus) { () throws(DriftClientError) in try client.sourceStatus(source) }
        client.close()
        Output.emit(json ? MonitoringReport.statusJSON(source: source, r).text + "\n" : MonitoringReport.statusText(source: source, r))
        exit(0)
    }
}
