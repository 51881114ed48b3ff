import DriftStore
import DriftWire

/// QueryHistory paging limits (PROTOCOL §13).
enum HistoryLimits {
    /// Rows per page when the request's `limit` is 0.
    static let defaultRows = 1_000
    /// The most rows per page; a larger `limit` is lowered to it.
    static let maxRows = 10_000
    /// Room kept in the response metadata for `next_page_token` (a page is cut to fit `max_meta`).
    static let tokenReserve = 1_024
}

/// Where a QueryHistory page ended, in both tables it reads: the verdicts (drift and freshness, keyset cursor of
/// the store) and the model metrics (window start, metric). Opaque to clients:
/// `"h1." <16 hex digits of the query's fingerprint> ";" <verdicts> ";" <metrics>` where a side is "" (not
/// started), "~" (exhausted) or its position ("start.feature.kind"; "start,model/metric" — last, so the metric
/// name may hold any character).
struct HistoryPageToken: Equatable {
    enum Side<Position: Equatable>: Equatable {
        case start
        case after(Position)
        case done
    }

    struct MetricPosition: Equatable {
        var windowStartMs: Int64
        var metric: String
    }

    var verdicts: Side<HistoryCursor> = .start
    var metrics: Side<MetricPosition> = .start

    var isFinished: Bool { verdicts == .done && metrics == .done }

    func encoded(fingerprint: UInt64) -> [UInt8] {
        let v: String = switch verdicts {
        case .start: ""
        case .done: "~"
        case .after(let c): c.encoded
        }
        let m: String = switch metrics {
        case .start: ""
        case .done: "~"
        case .after(let p): "\(p.windowStartMs),\(p.metric)"
        }
        return Array("h1.\(Self.hex(fingerprint));\(v);\(m)".utf8)
    }

    /// nil when the bytes are not a token of this server for a query with this fingerprint.
    init?(_ bytes: [UInt8], fingerprint: UInt64) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let parts = text.split(separator: ";", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "h1." + Self.hex(fingerprint) else { return nil }
        switch parts[1] {
        case "": verdicts = .start
        case "~": verdicts = .done
        default:
            guard let c = HistoryCursor(encoded: String(parts[1])) else { return nil }
            verdicts = .after(c)
        }
        switch parts[2] {
        case "": metrics = .start
        case "~": metrics = .done
        default:
            let m = parts[2].split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            guard m.count == 2, let start = Int64(m[0]), !m[1].isEmpty else { return nil }
            metrics = .after(MetricPosition(windowStartMs: start, metric: String(m[1])))
        }
    }

    init(verdicts: Side<HistoryCursor> = .start, metrics: Side<MetricPosition> = .start) {
        self.verdicts = verdicts
        self.metrics = metrics
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// FNV-1a over the query's filters (not `limit` or `page_token`): a token only continues the query it came from.
    static func fingerprint(_ req: QueryHistoryRequest) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
            h = (h ^ 0xff) &* 0x0000_0100_0000_01b3  // field separator
        }
        mix(req.source.utf8)
        mix(req.feature.utf8)
        mix(Set(req.kinds.map(\.rawValue)).sorted().map(String.init).joined(separator: ",").utf8)
        mix((req.sinceMs.map(String.init) ?? "-").utf8)
        mix((req.untilMs.map(String.init) ?? "-").utf8)
        mix(String(req.minSeverity.rawValue).utf8)
        return h
    }
}

extension ServerCore {
    /// QueryHistory (9): verdicts (drift, null rate, correlation, freshness) and model metrics of one source in
    /// window order — within a window, verdicts (by feature in first-recorded order, then kind) before metrics
    /// (by name) — keyset-paged across both tables with one opaque token.
    func queryHistory(_ req: QueryHistoryRequest) throws -> QueryHistoryResponse {
        if let s = req.sinceMs, let u = req.untilMs, s >= u {
            throw RequestError(.invalidArgument, "since_ms \(s) must be before until_ms \(u)", fieldPath: "since_ms")
        }
        var verdictKinds = Set<VerdictKind>()
        var wantMetrics = req.kinds.isEmpty
        for k in req.kinds.isEmpty ? [HistoryKind.drift, .freshness] : req.kinds {
            if k == .modelMetric {
                wantMetrics = true
            } else if let v = VerdictCodes.verdictKinds(k) {
                verdictKinds.formUnion(v)
            } else {
                throw RequestError(.invalidArgument, "kinds: \(k.rawValue) is not a history kind (1 drift verdict, "
                    + "2 freshness verdict, 3 model metric)", fieldPath: "kinds")
            }
        }
        guard req.minSeverity.rawValue <= FeatureVerdict.Severity.critical.rawValue else {
            throw RequestError(.invalidArgument, "min_severity \(req.minSeverity.rawValue) is not a severity (0 none, "
                + "1 warning, 2 critical)", fieldPath: "min_severity")
        }
        let minimumSeverity = VerdictCodes.minimumSeverity(req.minSeverity)
        // Metrics are source-level and carry no severity: a feature or severity filter leaves them out.
        if !req.feature.isEmpty || minimumSeverity != nil { wantMetrics = false }
        let limit = req.limit == 0 ? HistoryLimits.defaultRows : min(Int(req.limit), HistoryLimits.maxRows)
        let fingerprint = HistoryPageToken.fingerprint(req)
        var position = HistoryPageToken()
        if !req.pageToken.isEmpty {
            guard let t = HistoryPageToken(req.pageToken, fingerprint: fingerprint) else {
                throw RequestError(.invalidArgument, "page_token was not issued by this server for this query "
                    + "(a token continues the query it came from: same source, feature, kinds, since, until and "
                    + "min_severity)", fieldPath: "page_token")
            }
            position = t
        }
        if verdictKinds.isEmpty { position.verdicts = .done }
        if !wantMetrics { position.metrics = .done }
        let since = req.sinceMs ?? .min, until = req.untilMs ?? .max
        let budget = max(1, configuration.limits.maxMetadata - HistoryLimits.tokenReserve)

        return try withStore { store in
            guard let spec = try store.source(named: req.source) else {
                throw RequestError(.notFound, "no source named \(req.source)", fieldPath: "source")
            }
            if !req.feature.isEmpty, !Self.isFeatureLabel(req.feature, of: spec) {
                throw RequestError(.notFound, "source \(req.source) has no feature \(req.feature) (nor a pair "
                    + "\"first|second\" of its features)", fieldPath: "feature")
            }
            let feature = req.feature.isEmpty ? nil : req.feature
            func verdictPage(limit: Int, after: HistoryCursor?) throws -> HistoryPage {
                try store.history(source: req.source, feature: feature, kinds: verdictKinds, since: since, until: until,
                                  minimumSeverity: minimumSeverity, limit: limit, after: after)
            }
            let verdictAfter: HistoryCursor? = if case .after(let c) = position.verdicts { c } else { nil }
            var verdicts: [VerdictRow] = []
            var verdictNext: HistoryCursor? = nil
            if position.verdicts != .done {
                let page = try verdictPage(limit: limit, after: verdictAfter)
                verdicts = page.rows
                verdictNext = page.next
            }
            let moreVerdicts = verdictNext != nil
            var metrics: [ModelMetricRecord] = []
            if position.metrics != .done {
                let after: (Int64, String)? = if case .after(let p) = position.metrics { (p.windowStartMs, p.metric) } else { nil }
                metrics = try store.modelMetricPage(source: req.source, since: since, until: until,
                                                    after: after.map { (windowStartMilliseconds: $0.0, metric: $0.1) },
                                                    limit: limit)
            }
            let moreMetrics = metrics.count == limit

            // Merge in window order, verdicts first within a window, until `limit` rows or `max_meta` is reached.
            let windowLength = Self.windowLengthMs(spec)
            var rows: [HistoryRow] = []
            var bytes = 0
            var (i, j) = (0, 0)
            while rows.count < limit {
                let takeVerdict: Bool
                if i < verdicts.count, j < metrics.count {
                    takeVerdict = verdicts[i].windowStartMilliseconds <= metrics[j].windowStartMilliseconds
                } else if i < verdicts.count {
                    guard !moreMetrics else { break }  // the next metric page may come before this verdict
                    takeVerdict = true
                } else if j < metrics.count {
                    guard !moreVerdicts else { break }  // the next verdict page may come before this metric
                    takeVerdict = false
                } else {
                    break
                }
                let row: HistoryRow
                if takeVerdict {
                    row = VerdictCodes.historyRow(verdicts[i])
                } else {
                    let m = metrics[j]
                    let end: Int64
                    if let length = windowLength {
                        end = m.windowStartMilliseconds.addingReportingOverflow(length).overflow
                            ? .max : m.windowStartMilliseconds + length
                    } else {
                        end = try store.window(source: req.source, start: m.windowStartMilliseconds)?.endMilliseconds
                            ?? m.windowStartMilliseconds
                    }
                    row = VerdictCodes.historyRow(m, windowEndMs: end)
                }
                let size = row.encode().count + 4  // field key + length varint
                if bytes + size > budget && !rows.isEmpty { break }
                bytes += size
                rows.append(row)
                if takeVerdict { i += 1 } else { j += 1 }
            }

            // Where the next page starts, per side.
            var next = position
            if position.verdicts != .done {
                if i == verdicts.count {
                    next.verdicts = verdictNext.map { .after($0) } ?? .done
                } else if i > 0 {
                    // Cut inside the fetched page: the cursor of the i-th row is the `next` of a page of exactly i.
                    guard let c = try verdictPage(limit: i, after: verdictAfter).next else {
                        throw RequestError(.internal, "history page cursor lost")
                    }
                    next.verdicts = .after(c)
                }
            }
            if position.metrics != .done {
                if j == metrics.count && !moreMetrics {
                    next.metrics = .done
                } else if j > 0 {
                    next.metrics = .after(HistoryPageToken.MetricPosition(windowStartMs: metrics[j - 1].windowStartMilliseconds,
                                                                          metric: metrics[j - 1].metric))
                }
            }
            return QueryHistoryResponse(rows: rows, nextPageToken: next.isFinished ? [] : next.encoded(fingerprint: fingerprint))
        }
    }

    /// A declared feature, or a correlation pair label "first|second" of two declared features.
    static func isFeatureLabel(_ label: String, of spec: SourceSpec) -> Bool {
        let names = Set(spec.features.map(\.name))
        if names.contains(label) { return true }
        var i = label.startIndex
        while let bar = label[i...].firstIndex(of: "|") {
            if names.contains(String(label[..<bar])) && names.contains(String(label[label.index(after: bar)...])) {
                return true
            }
            i = label.index(after: bar)
        }
        return false
    }

    /// The source's event-time window length (`MonitoringSpec.window_length_ms`, default 1 h); nil for row-count
    /// windows (`window_rows`).
    static func windowLengthMs(_ spec: SourceSpec) -> Int64? {
        let m = spec.monitoring
        if m?.windowRows != nil { return nil }
        guard let length = m?.windowLengthMs, length > 0, length <= UInt64(Int64.max) else { return 3_600_000 }
        return Int64(length)
    }
}
