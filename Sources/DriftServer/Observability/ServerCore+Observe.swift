import DriftEngine
import DriftWire

extension ServerCore {
    /// A window was decided: its drift gauges replace the source's previous ones, and an info line summarises the
    /// verdicts (drifting features by name, up to 10).
    /// `requestID`: the Ingest that closed the window (in the line as `request_id`); "" when the timer closed it.
    func recordClose(source: String, _ range: WindowRange, _ verdicts: [FeatureVerdict], alerted: Bool,
                     requestID: String = "") {
        metrics.recordWindow(source: source, verdicts: verdicts)
        guard log.isEnabled(.info) else { return }
        let drifting = verdicts.filter { $0.decision == .drift }
        var fields: [(String, LogValue)] = [
            ("source", .string(source)), ("window_start", .string(LogLine.timestamp(ms: range.startMs))),
            ("window_end", .string(LogLine.timestamp(ms: range.endMs))), ("features", .int(Int64(verdicts.count))),
            ("drifting", .int(Int64(drifting.count))),
            ("critical", .int(Int64(drifting.filter { $0.severity == .critical }.count))), ("alerted", .bool(alerted)),
        ]
        if !requestID.isEmpty { fields.insert(("request_id", .string(requestID)), at: 0) }
        if !drifting.isEmpty {
            fields.append(("drifting_features", .string(drifting.prefix(10).map(\.feature).joined(separator: ","))))
        }
        log.log(.info, "window closed", fields: fields)
    }

    /// A source's freshness changed (stale ⇄ fresh): a warning either way, with the rule broken.
    func recordFreshnessChange(source: String, stale: Bool, reason: String) {
        log.warning(stale ? "source is stale" : "source is fresh again", [
            "source": .string(source), "stale": .bool(stale), "reason": .string(reason),
        ])
    }
}
