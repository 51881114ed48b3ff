import DriftLoad
import DriftWire

/// The monitoring answers (PROTOCOL §13, methods 7–15) as driftctl prints them: text for people, JSON for
/// machines. Pure functions of the responses, so the tests format canned responses without a server.
enum MonitoringReport {
    // MARK: - Names

    static func name(_ k: HistoryKind) -> String {
        switch k {
        case .drift: "drift"
        case .freshness: "freshness"
        case .modelMetric: "metric"
        default: "kind \(k.rawValue)"
        }
    }

    static func name(_ s: FeatureStatus) -> String {
        switch s {
        case .ok: "ok"
        case .drifting: "drifting"
        case .recovering: "recovering"
        case .unspecified: "unknown"
        default: "status \(s.rawValue)"
        }
    }

    static func name(_ f: Freshness) -> String {
        switch f {
        case .unspecified: "no SLA"
        case .fresh: "fresh"
        case .stale: "stale"
        default: "freshness \(f.rawValue)"
        }
    }

    static func name(_ b: BaselineKind) -> String {
        switch b {
        case .fixed: "fixed"
        case .rolling: "rolling"
        case .unspecified: "-"
        default: "kind \(b.rawValue)"
        }
    }

    /// "2026-12-04T10:00:00Z – 2026-12-04T11:00:00Z".
    static func window(_ w: WindowRange) -> String {
        TimeArgument.format(w.startMs) + " – " + TimeArgument.format(w.endMs)
    }

    static func windowJSON(_ w: WindowRange) -> JSONValue {
        .object([("start_ms", .int(w.startMs)), ("end_ms", .int(w.endMs)),
                 ("start", .string(TimeArgument.format(w.startMs))), ("end", .string(TimeArgument.format(w.endMs)))])
    }

    /// Drifting first (critical before warning), then insufficient data, then stable; the source's order otherwise.
    static func driftingFirst(_ verdicts: [FeatureVerdict]) -> [FeatureVerdict] {
        func rank(_ v: FeatureVerdict) -> Int {
            switch v.decision {
            case .drift: v.severity == .critical ? 0 : 1
            case .insufficientData: 3
            case .stable: 4
            default: 2
            }
        }
        return verdicts.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    // MARK: - Ingest

    /// One Ingest request of a file and its answer.
    struct IngestBlock {
        var rows: Int
        var key: String
        var response: IngestResponse
    }

    /// All the blocks of one `driftctl ingest`.
    struct IngestSummary {
        var source: String
        var file: String
        var blocks: [IngestBlock]

        var rows: Int { blocks.reduce(0) { $0 + $1.rows } }
        var accepted: UInt64 { blocks.filter { !$0.response.duplicate }.reduce(0) { $0 + $1.response.rowsAccepted } }
        var late: UInt64 { blocks.filter { !$0.response.duplicate }.reduce(0) { $0 + $1.response.rowsLate } }
        /// Rows of blocks the server had already applied (their idempotency key was known).
        var duplicateRows: Int { blocks.filter(\.response.duplicate).reduce(0) { $0 + $1.rows } }
        var duplicateBlocks: Int { blocks.filter(\.response.duplicate).count }
        /// Windows touched by any block, in time order, each once.
        var windowsTouched: [WindowRange] {
            var seen = Set<WindowRange>()
            return blocks.flatMap(\.response.windowsTouched).filter { seen.insert($0).inserted }
                .sorted { ($0.startMs, $0.endMs) < ($1.startMs, $1.endMs) }
        }
        /// Windows closed by this run (a duplicate answer repeats the first answer's, which are not new), in order.
        var windowsClosed: [ClosedWindow] {
            blocks.filter { !$0.response.duplicate }.flatMap(\.response.windowsClosed)
                .sorted { $0.window.startMs < $1.window.startMs }
        }
        /// Closed windows with at least one drifting feature.
        var driftingWindows: Int { windowsClosed.filter { $0.verdicts.contains { $0.decision == .drift } }.count }
    }

    static func ingestText(_ s: IngestSummary) -> String {
        var out = "ingested \(s.file) into \(s.source): \(Format.grouped(s.rows)) rows in \(s.blocks.count) "
        out += "block\(s.blocks.count == 1 ? "" : "s") — \(Format.grouped(s.accepted)) accepted, \(Format.grouped(s.late)) late, "
        out += "\(Format.grouped(s.duplicateRows)) duplicate\n"
        for (i, b) in s.blocks.enumerated() where b.response.duplicate {
            out += "  block \(i + 1) (key \(b.key)) was already ingested: not counted again\n"
        }
        let touched = s.windowsTouched
        if touched.isEmpty {
            out += "windows touched: none\n"
        } else if touched.count <= 3 {
            out += "windows touched: " + touched.map { TimeArgument.format($0.startMs) }.joined(separator: ", ") + "\n"
        } else {
            out += "windows touched: \(touched.count), \(TimeArgument.format(touched[0].startMs)) … "
            out += TimeArgument.format(touched[touched.count - 1].startMs) + "\n"
        }
        let closed = s.windowsClosed
        guard !closed.isEmpty else { return out + "no window closed\n" }
        out += "closed \(closed.count) window\(closed.count == 1 ? "" : "s"), \(s.driftingWindows) drifting:\n"
        for w in closed { out += "\n" + closedWindowText(w) }
        return out
    }

    /// A closed window: a summary line naming the drifting features, then its verdicts, drifting first (reasons
    /// for the features that are not stable; `--json` has them all).
    static func closedWindowText(_ w: ClosedWindow) -> String {
        let drifting = driftingFirst(w.verdicts).filter { $0.decision == .drift }
        var out = "window \(window(w.window)), baseline \(w.baselineID): "
        if drifting.isEmpty {
            out += "no drift (\(w.verdicts.count) feature\(w.verdicts.count == 1 ? "" : "s"))\n"
        } else {
            out += "DRIFTING \(drifting.count) of \(w.verdicts.count) features: "
            out += drifting.map { "\($0.feature) (\(VerdictReport.name($0.severity)))" }.joined(separator: ", ") + "\n"
        }
        var t = TextTable(header: ["feature", "decision", "severity", "KS D", "p", "PSI", "W/σ", "null rate b→c", "reasons"],
                          rightAligned: [3, 4, 5, 6])
        for v in driftingFirst(w.verdicts) {
            let nulls = Format.significant(v.baselineNullRate, 3) + " → " + Format.significant(v.currentNullRate, 3)
            t.append([v.feature, VerdictReport.name(v.decision), VerdictReport.name(v.severity), Format.significant(v.ksD, 3),
                      Format.significant(v.pValue, 3), Format.significant(v.psi, 3), Format.significant(v.wassersteinNormed, 3),
                      nulls, v.decision == .stable ? "" : (v.reasons + v.notes).joined(separator: "; ")])
        }
        return out + t.text
    }

    static func ingestJSON(_ s: IngestSummary) -> JSONValue {
        .object([
            ("source", .string(s.source)), ("file", .string(s.file)), ("rows", .int(Int64(s.rows))),
            ("blocks", .array(s.blocks.map { b in
                .object([("rows", .int(Int64(b.rows))), ("idempotency_key", b.key.isEmpty ? .null : .string(b.key)),
                         ("rows_accepted", .uint(b.response.rowsAccepted)), ("rows_late", .uint(b.response.rowsLate)),
                         ("duplicate", .bool(b.response.duplicate))])
            })),
            ("rows_accepted", .uint(s.accepted)), ("rows_late", .uint(s.late)), ("rows_duplicate", .int(Int64(s.duplicateRows))),
            ("windows_touched", .array(s.windowsTouched.map(windowJSON))),
            ("windows_closed", .array(s.windowsClosed.map(closedWindowJSON))),
            ("drifting_windows", .int(Int64(s.driftingWindows))),
        ])
    }

    static func closedWindowJSON(_ w: ClosedWindow) -> JSONValue {
        let sorted = driftingFirst(w.verdicts)
        return .object([
            ("window", windowJSON(w.window)), ("baseline_id", .uint(w.baselineID)),
            ("drifting", .array(sorted.filter { $0.decision == .drift }.map { .string($0.feature) })),
            ("verdicts", .array(sorted.map(VerdictReport.json))),
        ])
    }

    // MARK: - History

    /// One row per stored verdict: window start, feature, test, statistic, p, effect, decision, severity, baseline.
    static func historyText(_ rows: [HistoryRow], truncated: Bool) -> String {
        guard !rows.isEmpty else { return "no history rows match\n" }
        var t = TextTable(header: ["window start", "feature", "test", "statistic", "p", "effect", "decision", "severity",
                                   "baseline"], rightAligned: [3, 4, 8])
        for r in rows {
            var effect = r.effectName
            if let v = r.effectValue { effect += (effect.isEmpty ? "" : " ") + Format.significant(v, 3) }
            var decision = r.kind == .modelMetric ? "-" : VerdictReport.name(r.decision)
            if r.stale { decision += " (stale)" }
            t.append([TimeArgument.format(r.window.startMs), r.feature.isEmpty ? "-" : r.feature,
                      r.test.isEmpty ? name(r.kind) : r.test, Format.significant(r.statistic, 3),
                      Format.significant(r.pValue, 3), effect.isEmpty ? "-" : effect, decision,
                      r.kind == .modelMetric ? "-" : VerdictReport.name(r.severity),
                      r.baselineID == 0 ? "-" : String(r.baselineID)])
        }
        var out = t.text + "\(Format.grouped(rows.count)) row\(rows.count == 1 ? "" : "s")"
        out += truncated ? " (more match: raise --limit or narrow --since/--until)\n" : "\n"
        return out
    }

    static func historyRowJSON(_ r: HistoryRow) -> JSONValue {
        .object([
            ("window", windowJSON(r.window)), ("feature", .string(r.feature)), ("kind", .string(name(r.kind))),
            ("test", .string(r.test)), ("statistic", .optional(r.statistic)), ("p_value", .optional(r.pValue)),
            ("p_adjusted", .optional(r.pAdjusted)), ("effect_name", r.effectName.isEmpty ? .null : .string(r.effectName)),
            ("effect_value", .optional(r.effectValue)), ("threshold_warning", .optional(r.thresholdWarning)),
            ("threshold_critical", .optional(r.thresholdCritical)), ("baseline_n", .uint(r.baselineN)),
            ("current_n", .uint(r.currentN)), ("decision", .string(VerdictReport.name(r.decision))),
            ("severity", .string(VerdictReport.name(r.severity))), ("status", .string(name(r.status))),
            ("stale", .bool(r.stale)), ("baseline_id", r.baselineID == 0 ? .null : .uint(r.baselineID)),
            ("reasons", .array(r.reasons.map(JSONValue.string))),
        ])
    }

    static func historyJSON(source: String, rows: [HistoryRow], truncated: Bool) -> JSONValue {
        .object([("source", .string(source)), ("rows", .array(rows.map(historyRowJSON))), ("truncated", .bool(truncated))])
    }

    // MARK: - Source status

    /// Ages in ms as "1h30m ago", or "never" when nothing was seen.
    static func age(_ ms: UInt64?) -> String { ms.map { TimeArgument.formatDuration($0) + " ago" } ?? "never" }

    static func statusText(source: String, _ s: GetSourceStatusResponse) -> String {
        var out = "source \(source): \(name(s.freshness))"
        if s.freshness == .stale { out += s.staleRule.isEmpty ? "" : " (broken rule: \(s.staleRule))" }
        out += "\n"
        var lines: [(String, String)] = [("newest event", age(s.eventAgeMs)), ("last arrival", age(s.arrivalAgeMs)),
                                         ("last closed window", s.lastClosedWindow.map(window) ?? "none yet"),
                                         ("baseline", s.baselineID.map(String.init) ?? "none"),
                                         ("late rows", Format.grouped(s.lateRows))]
        let drifting = s.features.filter { $0.status == .drifting }.count
        let recovering = s.features.filter { $0.status == .recovering }.count
        lines.append(("features", "\(s.features.count), \(drifting) drifting, \(recovering) recovering"))
        let width = lines.map(\.0.count).max() ?? 0
        for (k, v) in lines { out += "  " + k + String(repeating: " ", count: width - k.count + 2) + v + "\n" }
        guard !s.features.isEmpty else { return out }
        var t = TextTable(header: ["feature", "status", "severity", "since window"])
        for f in featuresDriftingFirst(s.features) {
            t.append([f.feature, name(f.status), f.status == .ok ? "-" : VerdictReport.name(f.severity),
                      f.sinceWindowStartMs.map(TimeArgument.format) ?? "-"])
        }
        return out + "\n" + t.text
    }

    /// Drifting first (critical before warning), then recovering, then ok; the source's order otherwise.
    static func featuresDriftingFirst(_ features: [FeatureStatusEntry]) -> [FeatureStatusEntry] {
        func rank(_ f: FeatureStatusEntry) -> Int {
            switch f.status {
            case .drifting: f.severity == .critical ? 0 : 1
            case .recovering: 2
            case .ok: 4
            default: 3
            }
        }
        return features.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    static func statusJSON(source: String, _ s: GetSourceStatusResponse) -> JSONValue {
        .object([
            ("source", .string(source)), ("freshness", .string(name(s.freshness))),
            ("stale_rule", s.staleRule.isEmpty ? .null : .string(s.staleRule)),
            ("event_age_ms", .optional(s.eventAgeMs)), ("arrival_age_ms", .optional(s.arrivalAgeMs)),
            ("last_closed_window", s.lastClosedWindow.map(windowJSON) ?? .null),
            ("baseline_id", .optional(s.baselineID)), ("late_rows", .uint(s.lateRows)),
            ("features", .array(featuresDriftingFirst(s.features).map { f in
                .object([("feature", .string(f.feature)), ("status", .string(name(f.status))),
                         ("severity", .string(VerdictReport.name(f.severity))),
                         ("since_window_start_ms", f.sinceWindowStartMs.map { .int($0) } ?? .null)])
            })),
        ])
    }

    // MARK: - Baselines

    static func baselinesText(source: String, _ versions: [BaselineVersion]) -> String {
        guard !versions.isEmpty else { return "\(source) has no baselines yet\n" }
        var t = TextTable(header: ["id", "current", "kind", "rows", "created"], rightAligned: [0, 3])
        for v in versions {
            t.append([String(v.id), v.current ? "*" : "", name(v.kind), Format.grouped(v.rows),
                      v.createdMs == 0 ? "-" : TimeArgument.format(v.createdMs)])
        }
        return t.text
    }

    static func baselineJSON(_ v: BaselineVersion) -> JSONValue {
        .object([("id", .uint(v.id)), ("current", .bool(v.current)), ("kind", .string(name(v.kind))),
                 ("rows", .uint(v.rows)), ("created_ms", .int(v.createdMs)),
                 ("created", v.createdMs == 0 ? .null : .string(TimeArgument.format(v.createdMs)))])
    }

    static func baselinesJSON(source: String, _ versions: [BaselineVersion]) -> JSONValue {
        .object([("source", .string(source)), ("baselines", .array(versions.map(baselineJSON)))])
    }

    static func baselineChangeText(source: String, verb: String, _ r: BaselineChangeResponse) -> String {
        var out = "\(verb): baseline \(r.current.id) of \(source) is current"
        out += r.previousID == 0 ? "" : " (was \(r.previousID))"
        return out + "; \(name(r.current.kind)), \(Format.grouped(r.current.rows)) rows\n"
    }

    static func baselineChangeJSON(source: String, _ r: BaselineChangeResponse) -> JSONValue {
        .object([("source", .string(source)), ("current", baselineJSON(r.current)),
                 ("previous_id", r.previousID == 0 ? .null : .uint(r.previousID))])
    }

    // MARK: - Metric, acknowledgement, correlation

    static func metricText(source: String, _ q: ReportModelMetricRequest, _ r: ReportModelMetricResponse) -> String {
        var out = "\(q.model)/\(q.metric) = \(Format.compact(q.value, maxDecimals: 6)) for window \(window(r.window)) of \(source)"
        out += r.replaced ? " (replaced the earlier value)\n" : "\n"
        return out
    }

    static func metricJSON(source: String, _ q: ReportModelMetricRequest, _ r: ReportModelMetricResponse) -> JSONValue {
        .object([("source", .string(source)), ("model", .string(q.model)), ("metric", .string(q.metric)),
                 ("value", .number(q.value)), ("window", windowJSON(r.window)), ("replaced", .bool(r.replaced))])
    }

    static func acknowledgeText(source: String, _ r: AcknowledgeWindowResponse) -> String {
        r.acknowledged
            ? "acknowledged window \(window(r.window)) of \(source): it may enter the rolling baseline again\n"
            : "window \(window(r.window)) of \(source) was already acknowledged or raised no alert (nothing changed)\n"
    }

    static func acknowledgeJSON(source: String, _ r: AcknowledgeWindowResponse) -> JSONValue {
        .object([("source", .string(source)), ("window", windowJSON(r.window)), ("acknowledged", .bool(r.acknowledged))])
    }

    /// The ranking: rank, feature, rho, lag, pairs, p; features without enough pairs last, rho "-".
    static func correlationText(source: String, _ q: PerformanceCorrelationRequest, _ r: PerformanceCorrelationResponse) -> String {
        var out = "drift of \(source)'s features against \(q.model)/\(q.metric) over \(Format.grouped(r.windowsUsed)) "
        out += "window\(r.windowsUsed == 1 ? "" : "s") (rank 1 = most associated with drops of the metric)\n"
        guard !r.features.isEmpty else { return out + "no features\n" }
        var t = TextTable(header: ["rank", "feature", "rho", "lag", "pairs", "p"], rightAligned: [0, 2, 3, 4, 5])
        let ranked = r.features.enumerated().sorted { a, b in
            let (ra, rb) = (a.element.rank == 0 ? UInt32.max : a.element.rank, b.element.rank == 0 ? UInt32.max : b.element.rank)
            return (ra, a.offset) < (rb, b.offset)
        }.map(\.element)
        for f in ranked {
            t.append([f.rank == 0 ? "-" : String(f.rank), f.feature, Format.fixed(f.rho, 3), String(f.lag),
                      Format.grouped(f.n), Format.significant(f.pValue, 3)])
        }
        return out + t.text
    }

    static func correlationJSON(source: String, _ q: PerformanceCorrelationRequest, _ r: PerformanceCorrelationResponse) -> JSONValue {
        .object([
            ("source", .string(source)), ("model", .string(q.model)), ("metric", .string(q.metric)),
            ("windows_used", .uint(r.windowsUsed)),
            ("features", .array(r.features.map { f in
                .object([("feature", .string(f.feature)), ("rank", f.rank == 0 ? .null : .uint(UInt64(f.rank))),
                         ("rho", .optional(f.rho)), ("lag", .uint(UInt64(f.lag))), ("n", .uint(f.n)),
                         ("p_value", .optional(f.pValue))])
            })),
        ])
    }
}
