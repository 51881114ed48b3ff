import DriftClient
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl alerts`: the firing alerts with their mute state, the silences, and the recent notifications with
/// their delivery state and last attempt (ListAlerts, method 18).
enum AlertsCommand {
    static let usage = """
        USAGE: driftctl alerts [--limit N] [--before ID] [--all] [--json] [server options]

        Firing alerts (active, silenced — by which silences — or inhibited) with the request whose verdict fired
        them, the silences, and the newest notifications: receiver and integration, firing or resolved, how many
        alerts, delivery state (pending, delivered, failed, given_up), attempts and the last one's outcome.
          --limit N     notifications to list (default 50, at most 500)
          --before ID   notifications older than this id (the next page)
          --all         list ended silences too
          --json        one JSON object instead of the text

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let json = args.flag("--json")
        let all = args.flag("--all")
        let limit = args.integer("--limit", in: 1...500) ?? 0
        let before = args.integer("--before", in: 1...Int.max) ?? 0
        _ = args.positionals(count: 0, usage: "alerts [--limit N] [--before ID] [--all] [--json]")
        let client = server.connect()
        let r = server.call(.listAlerts) { () throws(DriftClientError) in
            try client.listAlerts(ListAlertsRequest(notificationLimit: UInt32(limit), beforeNotificationID: UInt64(before),
                                                    includeEndedSilences: all))
        }
        client.close()
        Output.emit(json ? AlertsReport.alertsJSON(r).text + "\n" : AlertsReport.alertsText(r))
        exit(0)
    }
}
