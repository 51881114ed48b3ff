extension LoadReport {
    /// One row per phase (throughput and latency), then a few lines of detail per phase.
    public static func table(_ reports: [LoadReport]) -> String {
        var t = TextTable(header: ["phase", "target/s", "requests", "req/s", "values/s", "MB/s", "p50 ms", "p90 ms",
                                   "p99 ms", "p99.9 ms", "max ms", "mean ms", "errors"],
                          rightAligned: Set(1...12))
        for r in reports {
            let l = r.tally.latency.summary
            func ms(_ x: Double?) -> String { Format.significant(x, 3) }
            t.append([r.phase, r.targetRate.map { Format.rate($0) } ?? "-", Format.grouped(r.tally.completed),
                      Format.rate(r.requestsPerSecond), Format.rate(r.valuesPerSecond),
                      Format.significant(r.megabytesPerSecond, 3), ms(l.p50Ms), ms(l.p90Ms), ms(l.p99Ms), ms(l.p999Ms),
                      ms(l.maxMs), ms(l.meanMs), Format.grouped(r.errors)])
        }
        var out = t.text
        for r in reports { out += "\n" + r.details }
        return out
    }

    /// The phase's settings, statuses, budget misses, server timings and drift share, one item per line.
    public var details: String {
        var lines: [String] = []
        let driving = mode == .closed
            ? "closed loop, \(connections) connection(s) × \(inFlight) in flight"
            : "open loop at \(Format.significant(targetRate, 4)) req/s, \(connections) connection(s), ≤ \(inFlight) in flight each"
        lines.append("\(phase): \(driving); \(rowsPerRequest) rows × \(featuresPerRequest) features per request; "
                     + "\(Format.grouped(tally.sent)) sent in \(Format.fixed(durationSeconds, 2)) s")
        let statuses = tally.statusCounts.sorted { $0.key < $1.key }.map { "\($0.key) \(Format.grouped($0.value))" }
        lines.append("  status: " + (statuses.isEmpty ? "none" : statuses.joined(separator: ", ")))
        if let firstError = tally.firstError { lines.append("  first error: " + firstError) }
        lines.append("  budget misses: client saw \(clientDeadlineExceeded) DEADLINE_EXCEEDED; server counted "
                     + (serverBudgetMisses.map { String($0) } ?? "unknown"))
        if mode == .open {
            lines.append("  delayed sends (all \(inFlight) slots busy at the intended time): \(Format.grouped(tally.delayedSends))")
        }
        lines.append("  server time per OK request (mean µs): queue \(Format.significant(meanQueueWaitUs, 3)), "
                     + "decode \(Format.significant(meanDecodeUs, 3)), compute \(Format.significant(meanComputeUs, 3))")
        let drift = driftShare.map { Format.fixed($0 * 100, 1) + " %" } ?? "-"
        let approx = approximateShare.map { Format.fixed($0 * 100, 1) + " %" } ?? "-"
        lines.append("  drift verdicts: \(drift) of OK answers; approximate: \(approx)")
        return lines.map { $0 + "\n" }.joined()
    }
}
