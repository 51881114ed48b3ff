@testable import DriftServer
import DriftWire
import Testing

/// The pure exposition writer: names, escaping, histogram cumulativeness, order.
@Suite("Prometheus exposition")
struct PrometheusExpositionTests {
    @Test("metric and label names follow the format's grammar")
    func names() {
        for good in ["driftd_requests_total", "_x", "a:b", "ns:sub_metric9", "A"] {
            #expect(PrometheusExposition.isValidMetricName(good), "\(good)")
        }
        for bad in ["", "9lives", "a-b", "a b", "a.b", "é", "a{b}"] {
            #expect(!PrometheusExposition.isValidMetricName(bad), "\(bad)")
        }
        for good in ["method", "_x", "le", "feature2"] { #expect(PrometheusExposition.isValidLabelName(good), "\(good)") }
        for bad in ["", "__name", "a:b", "1a", "a-b"] { #expect(!PrometheusExposition.isValidLabelName(bad), "\(bad)") }
    }

    @Test("label values escape backslash, double quote and newline; HELP escapes backslash and newline")
    func escaping() {
        #expect(PrometheusExposition.escapeLabelValue("a\\b\"c\nd") == "a\\\\b\\\"c\\nd")
        #expect(PrometheusExposition.escapeLabelValue("plain <ü> {x=1}") == "plain <ü> {x=1}")
        var out = PrometheusExposition()
        out.family("t_gauge", .gauge, "two\nlines \\ \"quoted\"")
        out.sample("t_gauge", labels: [("source", "pay\"me\\x\ny"), ("feature", "}")], 1.5)
        #expect(out.text == """
            # HELP t_gauge two\\nlines \\\\ "quoted"
            # TYPE t_gauge gauge
            t_gauge{source="pay\\"me\\\\x\\ny",feature="}"} 1.5

            """)
    }

    @Test("values: integers exact, +Inf, -Inf, NaN, fractions")
    func values() {
        #expect(PrometheusExposition.format(3) == "3")
        #expect(PrometheusExposition.format(-0.0) == "0")
        #expect(PrometheusExposition.format(0.0005) == "0.0005")
        #expect(PrometheusExposition.format(.infinity) == "+Inf")
        #expect(PrometheusExposition.format(-.infinity) == "-Inf")
        #expect(PrometheusExposition.format(.nan) == "NaN")
        var out = PrometheusExposition()
        out.sample("big_total", count: UInt64.max)
        #expect(out.text == "big_total 18446744073709551615\n")
    }

    @Test("a histogram is written cumulatively, +Inf equals _count, then _sum and _count")
    func histogram() {
        var out = PrometheusExposition()
        out.family("lat_seconds", .histogram, "latency")
        out.histogram("lat_seconds", labels: [("method", "CheckDrift")], bounds: [0.1, 1, 10], counts: [1, 0, 2, 3], sum: 42.5)
        #expect(out.text == """
            # HELP lat_seconds latency
            # TYPE lat_seconds histogram
            lat_seconds_bucket{method="CheckDrift",le="0.1"} 1
            lat_seconds_bucket{method="CheckDrift",le="1"} 1
            lat_seconds_bucket{method="CheckDrift",le="10"} 3
            lat_seconds_bucket{method="CheckDrift",le="+Inf"} 6
            lat_seconds_sum{method="CheckDrift"} 42.5
            lat_seconds_count{method="CheckDrift"} 6

            """)
    }

    @Test("the same input gives the same text, in the order written")
    func deterministic() {
        func write() -> String {
            var out = PrometheusExposition()
            out.family("b_total", .counter, "b")
            out.sample("b_total", labels: [("k", "2")], count: 2)
            out.sample("b_total", labels: [("k", "1")], count: 1)
            out.family("a_total", .counter, "a")
            out.sample("a_total", count: 7)
            return out.text
        }
        #expect(write() == write())
        let lines = write().split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == ["b_total{k=\"2\"} 2", "b_total{k=\"1\"} 1", "a_total 7"])
    }

    @Test("ServerMetrics: a request lands in exactly one bucket, at or below its bound")
    func requestBuckets() {
        let m = ServerMetrics()
        m.recordRequest(methodID: 5, status: .ok, duration: .microseconds(500))   // = 0.5 ms: first bucket
        m.recordRequest(methodID: 5, status: .ok, duration: .milliseconds(3))     // (2.5, 5] ms
        m.recordRequest(methodID: 5, status: .deadlineExceeded, duration: .seconds(11))  // +Inf
        m.recordRequest(methodID: 999, status: .unimplemented, duration: .zero)   // unknown method → slot 0
        let l = m.latency(slot: 5)
        #expect(l.counts.reduce(0, +) == 3)
        #expect(l.counts[0] == 1 && l.counts[3] == 1 && l.counts[ServerMetrics.latencyBounds.count] == 1)
        #expect(abs(l.sumSeconds - 11.0035) < 1e-9)
        #expect(m.requestCount(slot: 5, status: 0) == 2)
        #expect(m.requestCount(slot: 5, status: Int(WireStatus.deadlineExceeded.rawValue)) == 1)
        #expect(m.requestCount(slot: 0, status: Int(WireStatus.unimplemented.rawValue)) == 1)
    }
}
