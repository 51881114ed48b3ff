@testable import DriftServer
import DriftWire
import Foundation
import Testing

/// `/metrics` and request ids end to end, over loopback against a driftd fed through the RPC.
@Suite("metrics endpoint and request ids")
struct MetricsEndpointTests {
    static let t0: Int64 = 1_796_083_200_000
    static let hour: Int64 = 3_600_000

    /// The sample lines of an exposition by series (`name{labels}`), and the families' TYPE lines.
    struct Scrape {
        var values: [String: Double] = [:]
        var order: [String] = []
        var types: [String: String] = [:]

        init(_ text: String) {
            for line in text.split(separator: "\n") {
                if line.hasPrefix("# TYPE ") {
                    let p = line.split(separator: " ")
                    types[String(p[2])] = String(p[3])
                } else if !line.hasPrefix("#"), let space = line.lastIndex(of: " ") {
                    let series = String(line[..<space])
                    let raw = String(line[line.index(after: space)...])
                    values[series] = raw == "+Inf" ? .infinity : raw == "NaN" ? .nan : Double(raw)
                    order.append(series)
                }
            }
        }

        subscript(_ series: String) -> Double? { values[series] }
    }

    func ingest(_ c: TestClient, _ source: String, at t: Int64, shift: Double, seed: UInt64) throws {
        let r = try c.call(.ingest, IngestRequest(source: source, blockTimestampMs: t).encode(),
                           body: try block(rows: 2000, seed: seed, xShift: shift), codec: .zstd)
        try #require(r.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(r.metadata)))")
    }

    @Test("counters move, histograms are consistent, hostile source names are escaped, the series cap holds")
    func metrics() throws {
        let f = try Fixture {
            $0.httpPort = 0
            $0.maxFeatureSeries = 4
        }
        defer { f.close() }
        let rpc = try f.client()
        let hostile = "pay\"me\\back"
        for name in ["calm", hostile] {
            let spec = SourceSpec(name: name, features: features, monitoring: MonitoringSpec(graceMs: 0))
            #expect(try rpc.call(.createSource, CreateSourceRequest(source: spec).encode()).header.status == .ok)
            _ = try putBaseline(rpc, name, rows: 5000)
            for w in Int64(0)..<3 {
                try ingest(rpc, name, at: Self.t0 + w * Self.hour, shift: name == hostile ? 1.5 : 0, seed: 10 + UInt64(w))
            }
        }
        let http = try HTTPTestClient(port: try #require(f.server.httpPort))
        let first = try http.request("GET", "/metrics")
        #expect(first.status == 200)
        #expect(first.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let a = Scrape(first.text)
        #expect(a["driftd_requests_total{method=\"Ingest\",status=\"OK\"}"] == 6)
        #expect(a["driftd_requests_total{method=\"CreateSource\",status=\"OK\"}"] == 2)
        #expect(a.types["driftd_request_duration_seconds"] == "histogram")
        #expect(a.types["driftd_requests_total"] == "counter" && a.types["driftd_queue_depth"] == "gauge")
        #expect((a["driftd_values_processed_total"] ?? 0) >= 6 * 2000 * 3)
        #expect((a["driftd_bytes_received_total"] ?? 0) > 0)
        #expect(a["driftd_pool_workers{pool=\"compute\"}"] == 2 && a["driftd_pool_workers{pool=\"http\"}"] == 2)
        #expect(a["driftd_queue_depth"] == 0)
        // A worker leaves in-flight just after its answer is sent, so the gauge settles a moment after the client
        // has read the last answer: it must reach 0 and stay there.
        #expect(try eventually(5) { Scrape(try http.request("GET", "/metrics").text)["driftd_in_flight"] == 0 })

        // Every name valid; the hostile source's label escaped (quote and backslash), never raw.
        for series in a.order {
            let name = String(series.prefix { $0 != "{" })
            #expect(PrometheusExposition.isValidMetricName(name), "\(name)")
        }
        #expect(first.text.contains("source=\"pay\\\"me\\\\back\""))
        #expect(!first.text.contains("pay\"me\\back\""))

        // Drift gauges of the last closed window, cut at 4 series: calm's 3 features, then one of the hostile's.
        #expect(a["driftd_feature_series_dropped"] == 2)
        #expect(a["driftd_feature_status{source=\"calm\",feature=\"x\"}"] == 0)
        #expect(a["driftd_feature_status{source=\"pay\\\"me\\\\back\",feature=\"x\"}"] == 2)
        #expect(a["driftd_feature_status{source=\"pay\\\"me\\\\back\",feature=\"y\"}"] == nil)
        #expect((a["driftd_feature_psi{source=\"pay\\\"me\\\\back\",feature=\"x\"}"] ?? 0) > 0.2)
        #expect(a["driftd_feature_ks_d{source=\"calm\",feature=\"c\"}"] == nil)  // categorical: no KS
        #expect(a["driftd_feature_null_rate{source=\"calm\",feature=\"y\"}"] == 0)
        let statusSeries = a.order.filter { $0.hasPrefix("driftd_feature_status{") }
        #expect(statusSeries.count == 4)
        // Ingest lag: the newest event is from the past.
        #expect((a["driftd_ingest_lag_seconds{source=\"calm\"}"] ?? -1) > 0)

        // Histograms: cumulative, +Inf = _count, for every method.
        for method in ["Ingest", "CreateSource", "PutBaseline"] {
            let prefix = "driftd_request_duration_seconds_bucket{method=\"\(method)\",le="
            let buckets = a.order.filter { $0.hasPrefix(prefix) }.map { a[$0]! }
            #expect(buckets.count == ServerMetrics.latencyBounds.count + 1)
            #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(buckets.last == a["driftd_request_duration_seconds_count{method=\"\(method)\"}"])
            #expect(a["driftd_request_duration_seconds_count{method=\"\(method)\"}"] ==
                    a["driftd_requests_total{method=\"\(method)\",status=\"OK\"}"])
        }

        // One more request moves exactly its counters.
        #expect(try rpc.call(.getSource, GetSourceRequest(name: "calm").encode()).header.status == .ok)
        #expect(try rpc.call(.getSource, GetSourceRequest(name: "nope").encode()).header.status == .notFound)
        let b = Scrape(try http.request("GET", "/metrics").text)
        #expect(b["driftd_requests_total{method=\"GetSource\",status=\"OK\"}"] == 1)
        #expect(b["driftd_requests_total{method=\"GetSource\",status=\"NOT_FOUND\"}"] == 1)
        #expect(b["driftd_requests_total{method=\"Ingest\",status=\"OK\"}"] == 6)
        #expect(b["driftd_request_duration_seconds_count{method=\"GetSource\"}"] == 2)
        #expect(b["driftd_errors_total"] == (a["driftd_errors_total"] ?? 0) + 1)
        #expect((b["driftd_pool_busy_seconds_total{pool=\"compute\"}"] ?? 0) > 0)
    }

    @Test("alert deliveries recorded by the delivery worker appear by receiver and outcome")
    func alertDeliveries() throws {
        let f = try Fixture { $0.httpPort = 0 }
        defer { f.close() }
        f.server.core.metrics.recordAlertDelivery(receiver: "slack-\"ops\"", outcome: "delivered")
        f.server.core.metrics.recordAlertDelivery(receiver: "slack-\"ops\"", outcome: "delivered")
        f.server.core.metrics.recordAlertDelivery(receiver: "pager", outcome: "retryable")
        let s = Scrape(try HTTPTestClient(port: try #require(f.server.httpPort)).request("GET", "/metrics").text)
        #expect(s["driftd_alert_deliveries_total{receiver=\"slack-\\\"ops\\\"\",outcome=\"delivered\"}"] == 2)
        #expect(s["driftd_alert_deliveries_total{receiver=\"pager\",outcome=\"retryable\"}"] == 1)
    }

    @Test("every RESPONSE carries a request id; the log line about the request has the same id")
    func requestIDs() throws {
        let cap = LogCapture()
        let f = try Fixture { $0.logger = cap.logger(.debug) }
        defer { f.close() }
        let c = try f.client()
        let missing = try c.call(.getSource, GetSourceRequest(name: "nope").encode())
        #expect(missing.header.status == .notFound)
        let id = try #require(ResponseRequestID.read(missing.metadata))
        #expect(id.count == 16 && id.allSatisfy(\.isHexDigit))
        #expect(try ErrorDetail.decode(missing.metadata).message == "no source named nope")  // still decodes

        try createSource(c, "s")
        let ok = try c.call(.getSource, GetSourceRequest(name: "s").encode())
        let okID = try #require(ResponseRequestID.read(ok.metadata))
        #expect(okID != id)
        #expect(try GetSourceResponse.decode(ok.metadata).source.name == "s")

        // CheckDrift: the client's own request_id is used.
        _ = try putBaseline(c, "s")
        let check = try c.call(.checkDrift, CheckDriftRequest(source: "s", requestID: "client-req-7").encode(),
                               body: try block(rows: 500, seed: 3), codec: .zstd)
        #expect(check.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(check.metadata)))")
        #expect(ResponseRequestID.read(check.metadata) == "client-req-7")
        #expect(try CheckDriftResponse.decode(check.metadata).requestID == "client-req-7")

        let lines = try cap.objects()
        let failed = try #require(lines.first { $0["request_id"] as? String == id })
        #expect(failed["level"] as? String == "info" && failed["status"] as? String == "NOT_FOUND")
        #expect(failed["method"] as? String == "GetSource" && failed["error"] as? String == "no source named nope")
        let answered = try #require(lines.first { $0["request_id"] as? String == okID })
        #expect(answered["level"] as? String == "debug" && answered["status"] as? String == "OK")
        #expect(answered["duration_ms"] is Double)
        #expect(lines.contains { $0["request_id"] as? String == "client-req-7" && $0["method"] as? String == "CheckDrift" })
    }

    @Test("window closes are logged at info with the source and the drifting features")
    func windowLog() throws {
        let cap = LogCapture()
        let f = try Fixture { $0.logger = cap.logger(.info) }
        defer { f.close() }
        let rpc = try f.client()
        let spec = SourceSpec(name: "w", features: features, monitoring: MonitoringSpec(graceMs: 0))
        #expect(try rpc.call(.createSource, CreateSourceRequest(source: spec).encode()).header.status == .ok)
        _ = try putBaseline(rpc, "w", rows: 5000)
        try ingest(rpc, "w", at: Self.t0, shift: 1.5, seed: 1)
        try ingest(rpc, "w", at: Self.t0 + Self.hour, shift: 0, seed: 2)
        let closes = try cap.objects().filter { $0["msg"] as? String == "window closed" }
        let close = try #require(closes.first)
        #expect(close["source"] as? String == "w" && close["level"] as? String == "info")
        #expect(close["window_start"] as? String == "2026-12-01T00:00:00.000Z")
        #expect(close["drifting_features"] as? String == "x")
        #expect(!cap.all.contains { $0.contains("\"level\":\"debug\"") })
    }
}
