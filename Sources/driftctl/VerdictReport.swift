import DriftLoad
import DriftWire

/// A CheckDrift answer as driftctl prints it: a verdict table or one JSON object.
struct VerdictReport {
    var source: String
    var file: String
    var rows: Int
    var response: CheckDriftResponse

    var drifted: Int { response.verdicts.filter { $0.decision == .drift }.count }

    static func name(_ d: FeatureVerdict.Decision) -> String {
        switch d {
        case .stable: "stable"
        case .drift: "drift"
        case .insufficientData: "insufficient_data"
        case .unspecified: "unspecified"
        default: "decision \(d.rawValue)"
        }
    }

    static func name(_ s: FeatureVerdict.Severity) -> String {
        switch s {
        case .none: "none"
        case .warning: "warning"
        case .critical: "critical"
        default: "severity \(s.rawValue)"
        }
    }

    static func name(_ k: FeatureVerdict.Kind) -> String {
        switch k {
        case .numeric: "numeric"
        case .categorical: "categorical"
        default: "kind \(k.rawValue)"
        }
    }

    /// feature, decision, severity, KS D, p, PSI, W/σ, null rates (baseline → current), notes; then a summary.
    var table: String {
        var t = TextTable(header: ["feature", "decision", "severity", "KS D", "p", "PSI", "W/σ", "null rate b→c", "notes"],
                          rightAligned: [3, 4, 5, 6])
        for v in response.verdicts {
            let nulls = Format.significant(v.baselineNullRate, 3) + " → " + Format.significant(v.currentNullRate, 3)
            var notes = v.reasons + v.notes
            if v.approximate { notes.insert("approximate" + (v.ksErrorBound.map { " (|ΔD| ≤ \(Format.significant($0, 2)))" } ?? ""), at: 0) }
            if let unseen = v.unseenCategories, unseen > 0 { notes.append("\(unseen) unseen categor\(unseen == 1 ? "y" : "ies")") }
            t.append([v.feature, Self.name(v.decision), Self.name(v.severity), Format.significant(v.ksD, 3),
                      Format.significant(v.pValue, 3), Format.significant(v.psi, 3), Format.significant(v.wassersteinNormed, 3),
                      nulls, notes.isEmpty ? "" : notes.joined(separator: "; ")])
        }
        let tm = response.timings
        var out = t.text + "\n"
        out += "\(drifted) of \(response.verdicts.count) features drifted (\(Format.grouped(rows)) rows of \(file) against "
        out += "baseline \(response.baselineID) of \(source)\(response.approximate ? ", approximate" : "")).\n"
        out += "server time: queue \(tm.queueWaitUs) µs, decode \(tm.decodeUs) µs, compute \(tm.computeUs) µs\n"
        return out
    }

    var json: JSONValue {
        .object([
            ("source", .string(source)),
            ("file", .string(file)),
            ("rows", .int(Int64(rows))),
            ("baseline_id", .uint(response.baselineID)),
            ("approximate", .bool(response.approximate)),
            ("drifted", .int(Int64(drifted))),
            ("features", .int(Int64(response.verdicts.count))),
            ("timings_us", .object([("queue_wait", .uint(response.timings.queueWaitUs)),
                                    ("decode", .uint(response.timings.decodeUs)),
                                    ("compute", .uint(response.timings.computeUs))])),
            ("verdicts", .array(response.verdicts.map(Self.json))),
        ])
    }

    static func json(_ v: FeatureVerdict) -> JSONValue {
        .object([
            ("feature", .string(v.feature)), ("kind", .string(name(v.kind))),
            ("decision", .string(name(v.decision))), ("severity", .string(name(v.severity))),
            ("baseline_n", .uint(v.baselineN)), ("current_n", .uint(v.currentN)),
            ("baseline_null_rate", .number(v.baselineNullRate)), ("current_null_rate", .number(v.currentNullRate)),
            ("ks_d", .optional(v.ksD)), ("p_value", .optional(v.pValue)),
            ("p_value_method", v.pValueMethod.isEmpty ? .null : .string(v.pValueMethod)),
            ("psi", .optional(v.psi)), ("jensen_shannon", .optional(v.jensenShannon)),
            ("wasserstein", .optional(v.wasserstein)), ("wasserstein_normed", .optional(v.wassersteinNormed)),
            ("chi_square", .optional(v.chiSquare)), ("chi_square_dof", .optional(v.chiSquareDOF)),
            ("unseen_categories", .optional(v.unseenCategories)), ("null_rate_p", .optional(v.nullRateP)),
            ("approximate", .bool(v.approximate)), ("ks_error_bound", .optional(v.ksErrorBound)),
            ("reasons", .array(v.reasons.map(JSONValue.string))), ("notes", .array(v.notes.map(JSONValue.string))),
        ])
    }
}
