extension ComparisonReport {
    /// A fixed-width table, one row per column, then the reasons behind each drift verdict.
    public var table: String {
        var out = "driftctl compare: \(baselineName) (\(baselineRows) rows) vs \(currentName) (\(currentRows) rows), "
            + "\(features.count) shared columns, \(bins) bins\n\n"
        let header = ["column", "type", "n base", "n cur", "null% b→c", "KS D", "p", "PSI", "W/σ | χ²", "verdict", "severity"]
        var rows: [[String]] = []
        for f in features {
            let s = f.statistics
            let nulls = pct(s.baselineNullRate) + "→" + pct(s.currentNullRate)
            let effect: String
            switch s.kind {
            case .numeric: effect = s.normedWasserstein.map(short) ?? "–"
            case .categorical: effect = s.chiSquare.map { "χ² " + short($0) } ?? "–"
            }
            rows.append([f.name, s.kind.rawValue, String(s.baselineCount), String(s.currentCount), nulls,
                         s.ksStatistic.map(short) ?? "–", s.pValue.map(short) ?? "–", s.psi.map(short) ?? "–", effect,
                         f.verdict.decision.rawValue, f.verdict.severity == .none ? "–" : f.verdict.severity.rawValue])
        }
        for c in onlyInBaseline { rows.append([c, "–", "", "", "", "", "", "", "", "missing in current", "critical"]) }
        for c in onlyInCurrent { rows.append([c, "–", "", "", "", "", "", "", "", "new in current", "critical"]) }
        var widths = header.map { $0.count }
        for r in rows { for (i, cell) in r.enumerated() { widths[i] = Swift.max(widths[i], cell.count) } }
        widths[0] = Swift.min(widths[0], 40)
        func line(_ cells: [String]) -> String {
            var text = cells.enumerated().map { i, c in
                let cell = c.count > widths[i] ? String(c.prefix(widths[i] - 1)) + "…" : c
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i >= 2 && i <= 8 ? pad + cell : cell + pad
            }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        out += line(header) + "\n"
        for r in rows { out += line(r) + "\n" }
        let drifted = features.filter { $0.verdict.decision == .drift }
        if !drifted.isEmpty || !onlyInBaseline.isEmpty || !onlyInCurrent.isEmpty {
            out += "\nwhy:\n"
            for f in drifted {
                out += "  \(f.name) [\(f.verdict.severity.rawValue)]: \(f.verdict.reasons.joined(separator: "; "))\n"
            }
            for c in onlyInBaseline { out += "  \(c) [critical]: column missing from the current file\n" }
            for c in onlyInCurrent { out += "  \(c) [critical]: column not in the baseline file\n" }
        }
        let noted = features.filter { !$0.statistics.notes.isEmpty || $0.verdict.decision == .insufficientData }
        if !noted.isEmpty {
            out += "\nnotes:\n"
            for f in noted {
                let text = (f.statistics.notes + f.verdict.reasons).joined(separator: "; ")
                out += "  \(f.name): \(text)\n"
            }
        }
        let crit = features.filter { $0.verdict.severity == .critical }.count + onlyInBaseline.count + onlyInCurrent.count
        let warn = features.filter { $0.verdict.severity == .warning }.count
        out += "\n\(driftCount) of \(features.count + onlyInBaseline.count + onlyInCurrent.count) columns drifted"
        out += driftCount > 0 ? " (\(crit) critical, \(warn) warning).\n" : ".\n"
        return out
    }

    private func pct(_ x: Double) -> String { fixed(x * 100, 1) }
}
