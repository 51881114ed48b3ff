import DriftClient
import DriftEngine
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl silence add|expire|list`: silences over CreateSilence (16), ExpireSilence (17) and ListAlerts (18).
enum SilenceCommand {
    static let usage = """
        USAGE: driftctl silence add MATCHER... [--duration D | --end T] [--start T] [--author A] [--comment C] [--json]
               driftctl silence expire ID... [--json]
               driftctl silence list [--all] [--json]
               (and the server options)

        A silence mutes every alert all its matchers match, from --start (default now) until --end or for
        --duration (default 1h). Matchers use Alertmanager's syntax, one shell word each (quote it):
          source="pay ments"   feature=~"f0.*"   severity!="info"   kind!~"freshness|performance"
        Labels: source, feature, partner, metric, kind (drift, null_rate, correlation, freshness, performance),
        severity (info, warning, critical). At least one matcher must not match the empty string.
          --duration D   how long: 90m, 2h, 1d (default 1h)
          --end T        when it ends: ms since the epoch, ISO-8601 UTC or relative to now (+2h)
          --start T      when it starts (default now)
          --author A     who (default $USER)        --comment C   why
          --all          list ended silences too
          --json         one JSON object instead of the text

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        guard let sub = args.words.first else { Output.fail("silence needs a subcommand: add, expire or list") }
        args = Arguments(Array(args.words.dropFirst()))
        let json = args.flag("--json")
        switch sub {
        case "add":
            let request = addRequest(&args, nowMs: IngestCommand.nowMs(), user: getenv("USER").map { String(cString: $0) })
            let client = server.connect()
            let id = server.call(.createSilence) { () throws(DriftClientError) in try client.createSilence(request) }
            client.close()
            Output.emit(json ? AlertsReport.silenceAddedJSON(id: id, request).text + "\n"
                             : AlertsReport.silenceAddedText(id: id, request))
        case "expire":
            let ids = rest(&args, usage: "silence expire ID... [--json]")
            guard !ids.isEmpty else { Output.fail("silence expire needs at least one silence id") }
            let client = server.connect()
            var out: [JSONValue] = []
            var text = ""
            for id in ids {
                let r = server.call(.expireSilence) { () throws(DriftClientError) in try client.expireSilence(id: id) }
                out.append(AlertsReport.silenceExpiredJSON(r))
                text += AlertsReport.silenceExpiredText(r)
            }
            client.close()
            Output.emit(json ? JSONValue.array(out).text + "\n" : text)
        case "list":
            let all = args.flag("--all")
            _ = args.positionals(count: 0, usage: "silence list [--all] [--json]")
            let client = server.connect()
            let r = server.call(.listAlerts) { () throws(DriftClientError) in
                try client.listAlerts(ListAlertsRequest(notificationLimit: 1, includeEndedSilences: all))
            }
            client.close()
            Output.emit(json ? JSONValue.array(r.silences.map(AlertsReport.silenceJSON)).text + "\n"
                             : AlertsReport.silencesText(r.silences))
        default:
            Output.fail("unknown silence subcommand '\(sub)'; use add, expire or list")
        }
        exit(0)
    }

    /// The words left after the options: positionals only (an unknown option fails).
    static func rest(_ args: inout Arguments, usage: String) -> [String] {
        if let unknown = args.words.first(where: { $0.hasPrefix("--") }) {
            Output.fail("unknown option '\(unknown)'; usage: driftctl \(usage)")
        }
        return args.words
    }

    /// The CreateSilence request of `silence add` (matchers checked here, so a typo fails before the server).
    static func addRequest(_ args: inout Arguments, nowMs: Int64, user: String?) -> CreateSilenceRequest {
        let start = args.time("--start", nowMs: nowMs)
        let end = args.time("--end", nowMs: nowMs)
        let durationText = args.value("--duration")
        let author = args.value("--author") ?? user ?? ""
        let comment = args.value("--comment") ?? ""
        let matchers = rest(&args, usage: "silence add MATCHER... [--duration D | --end T]")
        guard !matchers.isEmpty else { Output.fail("silence add needs at least one matcher, e.g. source=\"payments\"") }
        for (i, text) in matchers.enumerated() {
            do { _ = try Matcher.parse(text) } catch {
                Output.fail("matcher \(i + 1) (\(AlertsReport.printable(text))): \(error.message)")
            }
        }
        if end != nil && durationText != nil { Output.fail("give --end or --duration, not both") }
        let from = start ?? nowMs
        var ends = from + 3_600_000
        if let end { ends = end }
        if let durationText {
            do {
                let d = try TimeArgument.duration(durationText, what: "--duration")
                guard d > 0 else { Output.fail("--duration must be positive") }
                ends = from + d
            } catch { Output.fail(error.message) }
        }
        return CreateSilenceRequest(matchers: matchers, startsMs: start ?? 0, endsMs: ends, createdBy: author,
                                    comment: comment)
    }
}
