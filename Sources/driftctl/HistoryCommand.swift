import DriftClient
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl history SOURCE`: the stored verdicts and metrics of a source (QueryHistory, method 9), every page.
enum HistoryCommand {
    static let usage = """
        USAGE: driftctl history SOURCE [--feature F] [--since T] [--until T] [--kind K ...] [--min-severity S]
                                [--limit N] [--page-size N] [--json] [server options]

        The source's stored verdicts, one row per window, feature and test, in window order: window start (UTC),
        feature, test, statistic, p, effect, decision, severity, baseline id. Follows the server's pages to the end
        (or to --limit rows).
          --feature F         one feature only
          --since T           windows starting at or after T     times: ms since the epoch, ISO-8601 UTC
          --until T           windows starting before T          (2026-12-04T10:00:00Z) or relative (-24h, -7d)
          --kind K            drift (distribution tests), null_rate, correlation (feature pairs), freshness,
                              metric (model metrics); repeat or separate with commas (default: all)
          --min-severity S    none, warning or critical
          --limit N           at most N rows (default: all)
          --page-size N       rows per request (default: the server's, 1000)
          --json              one JSON object instead of the table

        """

    /// A `--kind` value: the stored row kind it asks the server for, and which of those rows it keeps.
    enum Kind: String, CaseIterable {
        case drift, nullRate = "null_rate", correlation, freshness, metric

        var wire: HistoryKind {
            switch self {
            case .drift, .nullRate, .correlation: .drift
            case .freshness: .freshness
            case .metric: .modelMetric
            }
        }

        /// Rows of kind drift are told apart by their test: the null-rate test ("null-rate", or the engine's
        /// "two-proportion-z"), the correlation of a pair ("fisher-z", feature "a|b"), else a distribution test.
        func keeps(_ row: HistoryRow) -> Bool {
            guard row.kind == wire else { return false }
            switch self {
            case .nullRate: return Self.isNullRate(row)
            case .correlation: return Self.isCorrelation(row)
            case .drift: return !Self.isNullRate(row) && !Self.isCorrelation(row)
            case .freshness, .metric: return true
            }
        }

        static func isNullRate(_ r: HistoryRow) -> Bool { ["null-rate", "null_rate", "two-proportion-z"].contains(r.test) }
        static func isCorrelation(_ r: HistoryRow) -> Bool {
            r.test == "fisher-z" || r.test == "correlation" || (r.test.isEmpty && r.feature.contains("|"))
        }
    }

    /// The kinds named by `--kind` values; an unknown one is an error listing the known ones.
    static func kinds(_ names: [String]) throws(ArgumentError) -> [Kind] {
        var out: [Kind] = []
        for n in names {
            guard let k = Kind(rawValue: n.lowercased().replacingOccurrences("-", "_")) else {
                throw ArgumentError("--kind: unknown kind '\(n)'; use " + Kind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if !out.contains(k) { out.append(k) }
        }
        return out
    }

    /// The request's kinds and the filter applied to its rows (nil: every row the server answers).
    static func plan(_ kinds: [Kind]) -> (wire: [HistoryKind], filter: ((HistoryRow) -> Bool)?) {
        guard !kinds.isEmpty else { return ([], nil) }
        var wire: [HistoryKind] = []
        for k in kinds where !wire.contains(k.wire) { wire.append(k.wire) }
        let driftParts: [Kind] = [.drift, .nullRate, .correlation]
        let needsFilter = kinds.contains { driftParts.contains($0) } && !driftParts.allSatisfy(kinds.contains)
        return (wire, needsFilter ? { row in kinds.contains { $0.keeps(row) } } : nil)
    }

    static func severity(_ text: String) throws(ArgumentError) -> FeatureVerdict.Severity {
        switch text.lowercased() {
        case "none": return .none
        case "warning": return .warning
        case "critical": return .critical
        default: throw ArgumentError("--min-severity: unknown severity '\(text)'; use none, warning or critical")
        }
    }

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let json = args.flag("--json")
        let now = IngestCommand.nowMs()
        let feature = args.value("--feature") ?? ""
        let since = args.time("--since", nowMs: now), until = args.time("--until", nowMs: now)
        let kindNames = args.values("--kind")
        let severityText = args.value("--min-severity")
        let limit = args.integer("--limit", in: 1...Int(Int32.max))
        let pageSize = args.integer("--page-size", in: 1...Int(UInt32.max)).map(UInt32.init) ?? 0
        let source = args.positionals(count: 1, usage: "history SOURCE [--feature F] [--since T] [--until T] [--kind K] "
                                                     + "[--min-severity S] [--limit N] [--json]")[0]
        if let since, let until, since >= until {
            Output.fail("--since (\(TimeArgument.format(since))) must be before --until (\(TimeArgument.format(until)))")
        }
        let selected: [Kind], minSeverity: FeatureVerdict.Severity
        do {
            selected = try kinds(kindNames)
            minSeverity = try severityText.map(severity) ?? .none
        } catch { Output.fail(error.message) }
        let (wireKinds, filter) = plan(selected)

        let client = server.connect()
        var rows: [HistoryRow] = []
        var token: [UInt8] = []
        var truncated = false
        repeat {
            var size = pageSize
            if let limit, filter == nil { size = UInt32(min(Int(pageSize == 0 ? 1000 : pageSize), limit - rows.count)) }
            let request = QueryHistoryRequest(source: source, feature: feature, kinds: wireKinds, sinceMs: since,
                                              untilMs: until, minSeverity: minSeverity, limit: size, pageToken: token)
            let page = server.call(.queryHistory) { () throws(DriftClientError) in try client.queryHistory(request) }
            rows += filter.map { page.rows.filter($0) } ?? page.rows
            if !page.nextPageToken.isEmpty && page.nextPageToken == token && page.rows.isEmpty {
                Output.warn("the server repeated a page token without rows; stopping")
                break
            }
            token = page.nextPageToken
            if let limit, rows.count >= limit {
                truncated = rows.count > limit || !token.isEmpty
                rows.removeSubrange(limit...)
                break
            }
        } while !token.isEmpty
        client.close()
        Output.emit(json ? MonitoringReport.historyJSON(source: source, rows: rows, truncated: truncated).text + "\n"
                         : MonitoringReport.historyText(rows, truncated: truncated))
        exit(0)
    }
}

extension String {
    /// Every `a` replaced by `b` (no Foundation needed).
    func replacingOccurrences(_ a: Character, _ b: Character) -> String { String(map { $0 == a ? b : $0 }) }
}
