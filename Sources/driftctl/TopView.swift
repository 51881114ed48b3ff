import DriftLoad

/// What `driftctl top` shows between two scrapes of `/metrics` `seconds` apart: rates from counter deltas,
/// latency quantiles from histogram bucket deltas, gauges as of the second scrape. Pure, so it is tested on canned
/// scrapes.
struct TopView {
    struct MethodRow: Equatable {
        var method: String
        var perSecond: Double
        var errorsPerSecond: Double
        var p50: Double?
        var p99: Double?
    }

    var requestsPerSecond: Double
    var errorsPerSecond: Double
    var valuesPerSecond: Double
    var megabytesPerSecond: Double
    var inFlight: Double
    var queueDepth: Double
    var connections: Double
    var errorsTotal: Double
    var p50: Double?
    var p99: Double?
    var workers: Double
    var busyWorkers: Double
    /// Share of the compute workers' time spent in jobs over the interval (0…1).
    var utilisation: Double?
    var methods: [MethodRow]

    init(previous a: MetricsScrape, current b: MetricsScrape, seconds: Double) {
        let dt = max(seconds, 1e-3)
        func rate(_ name: String, _ labels: [String: String] = [:]) -> Double {
            max(0, b.sum(name, labels) - a.sum(name, labels)) / dt
        }
        requestsPerSecond = rate("driftd_requests_total")
        errorsPerSecond = max(0, rate("driftd_requests_total") - rate("driftd_requests_total", ["status": "OK"]))
        valuesPerSecond = rate("driftd_values_processed_total")
        megabytesPerSecond = rate("driftd_bytes_received_total") / 1e6
        inFlight = b.sum("driftd_in_flight")
        queueDepth = b.sum("driftd_queue_depth")
        connections = b.sum("driftd_connections")
        errorsTotal = b.sum("driftd_errors_total")
        let compute = ["pool": "compute"]
        workers = b.sum("driftd_pool_workers", compute)
        busyWorkers = b.sum("driftd_pool_busy_workers", compute)
        utilisation = workers > 0 ? min(1, rate("driftd_pool_busy_seconds_total", compute) / workers) : nil
        let latency = "driftd_request_duration_seconds"
        p50 = Self.quantile(0.5, Self.delta(a.buckets(latency), b.buckets(latency)))
        p99 = Self.quantile(0.99, Self.delta(a.buckets(latency), b.buckets(latency)))
        methods = b.labelValues("driftd_requests_total", "method").map { m in
            let only = ["method": m]
            let d = Self.delta(a.buckets(latency, only), b.buckets(latency, only))
            let all = rate("driftd_requests_total", only)
            return MethodRow(method: m, perSecond: all,
                             errorsPerSecond: max(0, all - rate("driftd_requests_total", ["method": m, "status": "OK"])),
                             p50: Self.quantile(0.5, d), p99: Self.quantile(0.99, d))
        }.sorted { ($0.perSecond, $1.method) > ($1.perSecond, $0.method) }
    }

    /// Bucket counts of the interval: the second scrape's minus the first's, bound by bound.
    static func delta(_ a: [(le: Double, count: Double)], _ b: [(le: Double, count: Double)]) -> [(le: Double, count: Double)] {
        let before = Dictionary(a.map { ($0.le, $0.count) }, uniquingKeysWith: +)
        return b.map { ($0.le, max(0, $0.count - (before[$0.le] ?? 0))) }
    }

    /// The q-quantile of cumulative buckets, interpolated linearly inside its bucket as Prometheus'
    /// `histogram_quantile` does (the first bucket from 0); the last finite bound when it falls in +Inf; nil
    /// without observations.
    static func quantile(_ q: Double, _ buckets: [(le: Double, count: Double)]) -> Double? {
        guard let total = buckets.last?.count, total > 0 else { return nil }
        let rank = q * total
        var lowerBound = 0.0, lowerCount = 0.0
        for (le, count) in buckets {
            if count >= rank {
                if le.isInfinite { return lowerBound }
                let inBucket = count - lowerCount
                return inBucket > 0 ? lowerBound + (le - lowerBound) * (rank - lowerCount) / inBucket : le
            }
            lowerBound = le.isInfinite ? lowerBound : le
            lowerCount = count
        }
        return lowerBound
    }

    /// The view as text lines (no escape codes), `address` and `time` in the title.
    func render(address: String, time: String) -> String {
        func ms(_ s: Double?) -> String { s.map { Format.significant($0 * 1000, 3) + " ms" } ?? "-" }
        var out = "driftd \(address)   \(time)\n\n"
        out += "requests  \(Format.rate(requestsPerSecond))/s   errors \(Format.rate(errorsPerSecond))/s "
            + "(total \(Format.grouped(UInt64(max(0, errorsTotal)))))   p50 \(ms(p50))   p99 \(ms(p99))\n"
        out += "values    \(Format.rate(valuesPerSecond))/s   received \(Format.fixed(megabytesPerSecond, 2)) MB/s\n"
        out += "in flight \(Format.grouped(UInt64(max(0, inFlight))))   queued \(Format.grouped(UInt64(max(0, queueDepth))))"
            + "   connections \(Format.grouped(UInt64(max(0, connections))))\n"
        out += "workers   \(Format.grouped(UInt64(max(0, busyWorkers)))) of \(Format.grouped(UInt64(max(0, workers)))) busy"
            + "   utilisation \(utilisation.map { Format.fixed($0 * 100, 0) + " %" } ?? "-")\n\n"
        let header = ["method", "req/s", "err/s", "p50", "p99"]
        var rows = [header]
        for m in methods {
            rows.append([m.method, Format.rate(m.perSecond), Format.rate(m.errorsPerSecond), ms(m.p50), ms(m.p99)])
        }
        if methods.isEmpty { rows.append(["(no requests yet)", "", "", "", ""]) }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for r in rows {
            var line = r[0] + String(repeating: " ", count: widths[0] - r[0].count)
            for c in 1..<r.count { line += "  " + String(repeating: " ", count: widths[c] - r[c].count) + r[c] }
            out += line + "\n"
        }
        return out
    }
}
