import DriftColumnar
import DriftEngine
@testable import DriftServer
import DriftTestReceivers
import DriftWire
import Foundation
import Testing

/// The dashboard pages and the JSON API end to end, read as a person would: an in-process driftd (loopback, free
/// ports, alerting to a loopback webhook receiver) fed through the RPC with a source drifting over several hourly
/// windows (with a model metric that worsens as it drifts), a calm source with a hostile name, a stale source, a
/// hostile feature name and a silence with a hostile comment. Every page and route is fetched over HTTP; the
/// `/readyz` drain case is HTTPServerTests'.
@Suite("Dashboard pages and JSON API end to end")
struct DashboardPagesTests {
    static let hour: Int64 = 3_600_000
    /// Hour-aligned, five days before now: the windows are days old, so a source with a 1 h event-age SLA is stale.
    static let t0: Int64 = (Int64(Date().timeIntervalSince1970 * 1000) / hour - 5 * 24) * hour

    static let hostileFeature = "<script>alert(1)</script>"
    static let hostileSource = "pay\"&'<b>"
    /// A name with every character that has a meaning in a URL: a link must keep it inside its path segment.
    static let urlSource = "q/a ?#%+ é"
    static let hostileComment = "deploy <script>alert(1)</script> \"quoted\" & 'single'"
    static let hostileAuthor = "ops <i>&</i>"
    /// The drifting source's per-window shift of x and of the hostile feature. The windows are days old: the
    /// monitoring timer closes each one (the last too) soon after its first rows.
    static let shifts: [Double] = [0, 0, 0.5, 1.0, 1.5, 2.0]
    static let dashFeatures = [
        FeatureSpec(name: "x", type: 2), FeatureSpec(name: "y", type: 2), FeatureSpec(name: "c", type: 5),
        FeatureSpec(name: hostileFeature, type: 2),
    ]

    /// x ~ N(shift, 1), y ~ N(5, 2), c over {a, b, c} at 50/30/20 %, the hostile feature ~ N(10 + 2·shift, 1).
    static func block(rows: Int, seed: UInt64, shift: Double) throws -> [UInt8] {
        var g = Gen(state: seed)
        var x = [Double](), y = [Double](), h = [Double](), c = [UInt32]()
        for _ in 0..<rows {
            x.append(g.normal() + shift)
            y.append(5 + 2 * g.normal())
            h.append(10 + g.normal() + 2 * shift)
            let u = g.uniform()
            c.append(u < 0.5 ? 0 : u < 0.8 ? 1 : 2)
        }
        var e = ColumnBlockEncoder(rowCount: rows)
        try e.addFloat64("x", x)
        try e.addFloat64("y", y)
        try e.addCategorical("c", codes: c, dictionary: ["a", "b", "c"])
        try e.addFloat64(hostileFeature, h)
        return try e.encodeCompressed()
    }

    static func require(_ r: Frame, _ what: String) throws {
        try #require(r.header.status == .ok, "\(what): \(String(describing: try? ErrorDetail.decode(r.metadata)))")
    }

    static func createSource(_ c: TestClient, _ name: String, monitoring: MonitoringSpec = MonitoringSpec(graceMs: 0)) throws {
        let spec = SourceSpec(name: name, features: dashFeatures, monitoring: monitoring)
        try require(try c.call(.createSource, CreateSourceRequest(source: spec).encode()), "create \(name)")
        try require(try c.call(.putBaseline, PutBaselineRequest(source: name, blockCount: 1, lastBlock: true).encode(),
                               body: try block(rows: 5000, seed: 1, shift: 0), codec: .zstd), "baseline \(name)")
    }

    static func ingest(_ c: TestClient, _ name: String, window w: Int, shift: Double, seed: UInt64) throws {
        let r = try c.call(.ingest, IngestRequest(source: name, blockTimestampMs: t0 + Int64(w) * hour).encode(),
                           body: try block(rows: 2000, seed: seed, shift: shift), codec: .zstd)
        try require(r, "ingest \(name) window \(w)")
    }

    /// The model's accuracy in window `w`: 0.93, worse by 0.04 per unit of shift.
    static func accuracy(_ w: Int) -> Double { 0.93 - 0.04 * shifts[w] }

    /// driftd with an HTTP endpoint and alerting to `webhook` (driftd's own config parsing, the real curl sender).
    static func fixture(webhook: String) throws -> Fixture {
        var options = DriftdOptions()
        try options.apply(config: "{\"alerting\": \(AlertDeliveryTests.webhookConfig(webhook))}", file: "test.json")
        let a = try #require(try options.alertingOptions())
        return try Fixture { c in
            c.httpPort = 0
            c.alerting = a.config
            c.alertDelivery = a.sender
            c.alertDeliverySettings = a.deliverySettings
            c.monitorIntervalMilliseconds = 50
        }
    }

    /// Fetches over one keep-alive connection and keeps every body for the checks that span all of them.
    final class Browser {
        let client: HTTPTestClient
        var html: [(path: String, text: String)] = []
        var json: [(path: String, text: String)] = []

        init(port: UInt16) throws { client = try HTTPTestClient(port: port) }

        func get(_ path: String) throws -> HTTPTestResponse {
            let r = try client.request("GET", path)
            let type = r.header("Content-Type") ?? ""
            if type.hasPrefix("text/html") { html.append((path, r.text)) }
            if type.hasPrefix("application/json") { json.append((path, r.text)) }
            return r
        }

        /// A page that must answer 200 as HTML, with the dashboard's security headers.
        func page(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            let r = try get(path)
            #expect(r.status == 200, "\(path): \(r.status) \(r.text)", sourceLocation: sourceLocation)
            #expect(r.header("Content-Type") == "text/html; charset=utf-8", "\(path)", sourceLocation: sourceLocation)
            #expect(r.header("Content-Security-Policy") == DashboardPage.contentSecurityPolicy, "\(path)",
                    sourceLocation: sourceLocation)
            #expect(r.header("X-Content-Type-Options") == "nosniff" && r.header("Cache-Control") == "no-store",
                    "\(path)", sourceLocation: sourceLocation)
            return r.text
        }

        /// A JSON route that must answer `status` with a JSON object (parsed with JSONSerialization).
        func object(_ path: String, status: Int = 200, sourceLocation: SourceLocation = #_sourceLocation) throws
            -> [String: Any]
        {
            let r = try get(path)
            #expect(r.status == status, "\(path): \(r.status) \(r.text)", sourceLocation: sourceLocation)
            #expect(r.header("Content-Type") == "application/json", "\(path)", sourceLocation: sourceLocation)
            return try r.json()
        }
    }

    /// The `href` values of a page, entities decoded (`&amp;` → `&`).
    static func hrefs(_ html: String) -> [String] {
        html.components(separatedBy: "href=\"").dropFirst().compactMap { rest in
            rest.split(separator: "\"", maxSplits: 1, omittingEmptySubsequences: false).first.map {
                String($0).replacingOccurrences(of: "&amp;", with: "&")
            }
        }
    }

    static func enc(_ s: String) -> String { HTMLText.pathSegment(s) }
    static func esc(_ s: String) -> String { HTMLText.escape(s) }
    static func sig(_ x: Double, _ digits: Int = 3) -> String { NumberText.significant(x, digits: digits) }

    @Test("pages, links and JSON: drifting, calm, stale and hostile-named sources, alerts and a silence")
    func dashboard() throws {
        let http = try RecordingHTTPServer()
        defer { http.stop() }
        let f = try Self.fixture(webhook: http.baseURL + "/hook")
        defer { f.close() }
        let rpc = try f.client()

        // Sources: payments drifts (x and the hostile feature) with a model metric; the hostile-named one is calm;
        // ledger has a 1 h event-age SLA and gets one block of days-old events: stale.
        try Self.createSource(rpc, "payments")
        try Self.createSource(rpc, Self.hostileSource)
        try Self.createSource(rpc, Self.urlSource)
        try Self.createSource(rpc, "ledger", monitoring: MonitoringSpec(graceMs: 0, maxEventAgeMs: 3_600_000))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let silence = try rpc.call(.createSilence, CreateSilenceRequest(
            matchers: ["source=\"ledger\""], endsMs: now + 3_600_000, createdBy: Self.hostileAuthor,
            comment: Self.hostileComment).encode())
        try Self.require(silence, "silence")
        let silenceID = try SilenceID.decode(silence.metadata).id

        for (w, shift) in Self.shifts.enumerated() {
            try Self.ingest(rpc, "payments", window: w, shift: shift, seed: 10 + UInt64(w))
            try Self.require(try rpc.call(.reportModelMetric, ReportModelMetricRequest(
                source: "payments", model: "clf", metric: "accuracy", windowStartMs: Self.t0 + Int64(w) * Self.hour,
                value: Self.accuracy(w), higherIsBetter: true).encode()), "metric \(w)")
        }
        for w in 0..<2 { try Self.ingest(rpc, Self.hostileSource, window: w, shift: 0, seed: 40 + UInt64(w)) }
        try Self.ingest(rpc, "ledger", window: 0, shift: 0, seed: 50)
        try Self.ingest(rpc, Self.urlSource, window: 0, shift: 0, seed: 60)

        // Windows close and alerts fire asynchronously: wait (bounded) for payments' last window to close, the
        // hostile feature's drift alert, ledger's silenced freshness alert and a delivered notification.
        let port = try #require(f.server.httpPort)
        let poll = try HTTPTestClient(port: port)
        // Wait for the verdicts of each source's last window (GetSourceStatus reports a window as the last closed
        // one once its verdicts are committed).
        for (name, last) in [("payments", 5), (Self.hostileSource, 1), ("ledger", 0), (Self.urlSource, 0)] {
            let start = Self.t0 + Int64(last) * Self.hour
            #expect(eventually {
                let q = "/api/v1/history?source=\(HTMLText.queryValue(name))&kind=drift&since=\(start)"
                return ((try? poll.request("GET", q).json())?["rows"] as? [Any])?.isEmpty == false
            }, "the verdicts of \(name)'s window \(last)")
        }
        #expect(eventually {
            guard let l = try? AlertTest.listAlerts(rpc) else { return false }
            return l.alerts.contains { $0.label("feature") == Self.hostileFeature && $0.label("kind") == "drift" }
                && l.alerts.contains { $0.label("source") == "ledger" && $0.state == "silenced" }
                && l.notifications.contains { $0.state == "delivered" }
        })
        #expect(http.waitForRequests(1))

        let b = try Browser(port: port)
        let api = try Self.checkJSONSources(b)
        try Self.checkOverview(b, api: api)
        try Self.checkSourcePages(b, api: api)
        try Self.checkFeaturePages(b)
        try Self.checkAlerts(b, silenceID: silenceID)
        try Self.checkOtherRoutes(b)
        try Self.checkLinks(b)
        Self.checkBodies(b)
    }

    @Test("a new server and a new source: empty states on every page, nulls in the JSON, no alerting configured")
    func emptyStates() throws {
        let f = try Fixture { $0.httpPort = 0 }
        defer { f.close() }
        let b = try Browser(port: try #require(f.server.httpPort))
        let none = try b.page("/")
        #expect(none.contains("<h1>Sources</h1>") && none.contains("No sources yet."))
        #expect(try b.object("/api/v1/sources")["sources"] as? [Any] != nil)
        #expect((try b.object("/api/v1/sources")["sources"] as? [Any])?.isEmpty == true)
        let alerts = try b.page("/alerts")
        #expect(alerts.contains("nothing firing") && alerts.contains("no receivers configured"))
        #expect(alerts.contains("No alert is firing.") && alerts.contains("No silences."))
        let alertsJSON = try b.object("/api/v1/alerts")
        #expect(alertsJSON["delivery"] as? Bool == false && alertsJSON["alerts_total"] as? Int == 0)
        #expect(alertsJSON["next_before"] is NSNull)

        // A source with a baseline and two metric reports but no closed window yet.
        let rpc = try f.client()
        try Self.createSource(rpc, "fresh")
        for w in 0..<2 {
            try Self.require(try rpc.call(.reportModelMetric, ReportModelMetricRequest(
                source: "fresh", model: "clf", metric: "auc", windowStartMs: Self.t0 + Int64(w) * Self.hour,
                value: 0.8, higherIsBetter: true).encode()), "metric \(w)")
        }
        let overview = try b.page("/")
        #expect(overview.contains("1 source · 1 ok") && overview.contains("none closed yet"))
        let source = try b.page("/sources/fresh")
        #expect(source.contains("<h1>fresh <span class=\"badge ok\">") && source.contains("none closed yet"))
        #expect(source.components(separatedBy: "no verdict yet").count - 1 == Self.dashFeatures.count)
        let feature = try b.page("/sources/fresh/features/x")
        #expect(feature.contains("No window has closed with a verdict for this feature yet."))
        #expect(feature.contains("No histogram") && feature.contains("No verdicts yet."))
        // Two metric windows are too few for a correlation: the reason is shown, escaped, not an error.
        let json = try b.object("/api/v1/sources/fresh/features/x")
        #expect(json["histogram"] is NSNull && json["last_closed_window"] is NSNull)
        #expect((json["latest"] as? [String: Any])?["drift"] is NSNull && (json["windows"] as? [Any])?.isEmpty == true)
        let reason = try #require((json["correlations"] as? [[String: Any]])?.first?["unavailable"] as? String)
        #expect(reason.contains("at least 3 are needed"))
        #expect(feature.contains(Self.esc(reason)))
        let metrics = try b.object("/api/v1/sources/fresh/metrics")
        let series = try #require((metrics["metrics"] as? [[String: Any]])?.first)
        #expect((series["points"] as? [Any])?.count == 2)
        #expect((series["correlation"] as? [String: Any])?["unavailable"] as? String == reason)
        try Self.checkLinks(b, expect: [])
        Self.checkBodies(b, pages: ["/", "/alerts", "/sources/fresh", "/sources/fresh/features/x"])
    }

    @Test("a source page names the baseline of each verdict once the current baseline is newer than the verdicts'")
    func baselineColumn() throws {
        let f = try Fixture { c in c.httpPort = 0; c.monitorIntervalMilliseconds = 50 }
        defer { f.close() }
        let rpc = try f.client()
        try Self.createSource(rpc, "b")
        for w in 0..<2 { try Self.ingest(rpc, "b", window: w, shift: 0, seed: 70 + UInt64(w)) }
        let port = try #require(f.server.httpPort)
        let poll = try HTTPTestClient(port: port)
        #expect(eventually {
            let q = "/api/v1/history?source=b&kind=drift&since=\(Self.t0 + Self.hour)"
            return ((try? poll.request("GET", q).json())?["rows"] as? [Any])?.isEmpty == false
        }, "the verdicts of b's window 1")
        let b = try Browser(port: port)
        let before = try b.page("/sources/b")
        #expect(before.contains("<dt>Baseline</dt><dd>#1 (current)</dd>"))
        #expect(!before.contains("<th class=\"num wide\">Baseline</th>"))

        // A second upload becomes current; the verdicts on the page were made against #1 and say so per row.
        try Self.require(try rpc.call(.putBaseline, PutBaselineRequest(source: "b", blockCount: 1, lastBlock: true).encode(),
                                      body: try Self.block(rows: 3000, seed: 2, shift: 0), codec: .zstd), "baseline 2")
        let after = try b.page("/sources/b")
        #expect(after.contains("<dt>Baseline</dt><dd>#2 (current)</dd>"))
        #expect(after.contains("<th class=\"num wide\">Baseline</th>"))
        let row = try #require(after.components(separatedBy: "<tr").first { $0.contains("/features/x\"") })
        #expect(row.contains("<td class=\"num wide\">#1</td>"))
    }

    // MARK: - /api/v1/sources, /api/v1/sources/{name}

    /// The sources list and each source's JSON; answers the list by name.
    static func checkJSONSources(_ b: Browser) throws -> [String: [String: Any]] {
        let list = try #require(try b.object("/api/v1/sources")["sources"] as? [[String: Any]])
        #expect(list.map { $0["name"] as? String } == ["ledger", "pay\"&'<b>", "payments", "q/a ?#%+ é"])
        let byName = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0) })
        let payments = try #require(byName["payments"]), calm = try #require(byName[hostileSource])
        let ledger = try #require(byName["ledger"])
        #expect(payments["status"] as? String == "critical" && payments["drifting_features"] as? Int == 2)
        #expect(payments["features"] as? Int == 4 && payments["baseline_id"] as? Int == 1)
        let last = try #require(payments["last_closed_window"] as? [String: Any])
        #expect(last["start_ms"] as? Int64 == t0 + 5 * hour && last["end_ms"] as? Int64 == t0 + 6 * hour)
        #expect(calm["status"] as? String == "ok" && calm["drifting_features"] as? Int == 0)
        #expect(calm["freshness"] as? String == "no_sla")
        #expect(ledger["status"] as? String == "stale" && ledger["freshness"] as? String == "stale")
        #expect((ledger["stale_rule"] as? String)?.contains("event_age") == true)

        let one = try b.object("/api/v1/sources/payments")
        #expect(one["name"] as? String == "payments" && one["status"] as? String == "critical")
        let features = try #require(one["features"] as? [[String: Any]])
        let status = Dictionary(uniqueKeysWithValues: features.map { ($0["feature"] as? String ?? "", $0) })
        #expect(status["x"]?["status"] as? String == "drifting" && status["x"]?["severity"] as? String == "critical")
        #expect(status[hostileFeature]?["status"] as? String == "drifting")
        #expect(status["y"]?["status"] as? String == "ok" && status["c"]?["status"] as? String == "ok")
        #expect(one.keys.contains("event_age_ms") && one.keys.contains("arrival_age_ms") && one["late_rows"] as? Int == 0)

        let hostile = try b.object("/api/v1/sources/" + enc(hostileSource))
        #expect(hostile["name"] as? String == hostileSource && hostile["status"] as? String == "ok")
        let url = try b.object("/api/v1/sources/q%2Fa%20%3F%23%25%2B%20%C3%A9")
        #expect(url["name"] as? String == urlSource && url["status"] as? String == "ok")
        let stale = try b.object("/api/v1/sources/ledger")
        #expect(stale["status"] as? String == "stale" && stale["freshness"] as? String == "stale")
        #expect((stale["event_age_ms"] as? Int64 ?? 0) > hour)
        #expect(try b.object("/api/v1/sources/nope", status: 404)["error"] as? String == "not found")
        return byName
    }

    // MARK: - /

    static func checkOverview(_ b: Browser, api: [String: [String: Any]]) throws {
        let html = try b.page("/")
        #expect(html.contains("<h1>Sources</h1>"))
        #expect(html.contains("4 sources · 1 critical · 1 stale · 2 ok"))
        // Cards worst first: critical, stale, ok — each linking to its page, the hostile name percent-encoded.
        let cards = html.components(separatedBy: "<section class=\"card ").dropFirst().map { $0 }
        try #require(cards.count == 4)
        #expect(cards[0].hasPrefix("critical\"") && cards[0].contains("<a href=\"/sources/payments\">payments</a>"))
        #expect(cards[1].hasPrefix("stale\"") && cards[1].contains("<a href=\"/sources/ledger\">ledger</a>"))
        #expect(cards[2].hasPrefix("ok\"")
                && cards[2].contains("<a href=\"/sources/pay%22%26%27%3Cb%3E\">pay&quot;&amp;&#39;&lt;b&gt;</a>"))
        #expect(cards[3].hasPrefix("ok\"")
                && cards[3].contains("<a href=\"/sources/q%2Fa%20%3F%23%25%2B%20%C3%A9\">q/a ?#%+ é</a>"))
        #expect(cards[0].contains("Critical</span>") && cards[1].contains("Stale</span>") && cards[2].contains("OK</span>"))
        let drifting = try #require(api["payments"]?["drifting_features"] as? Int)
        #expect(cards[0].contains("<strong>\(drifting)</strong> of 4 features"))
        #expect(cards[2].contains("none of 4 features"))
        // The model metric's latest value and its change (worse: shown as late) with a sparkline.
        #expect(cards[0].contains("clf / accuracy <strong>\(sig(accuracy(5)))</strong>"))
        #expect(cards[0].contains("(−\(sig(accuracy(0) - accuracy(5), 2)) over 6 windows)"))
        #expect(cards[0].contains("<svg"))
        // Ledger: its SLA broken, in red.
        #expect(cards[1].contains("<span class=\"late\">data age") && cards[1].contains("(SLA \(NumberText.duration(ms: hour)))"))
    }

    // MARK: - /sources/{name}

    static func checkSourcePages(_ b: Browser, api: [String: [String: Any]]) throws {
        let html = try b.page("/sources/payments")
        #expect(html.contains("<h1>payments <span class=\"badge critical\">"))
        #expect(html.contains("4 features · 2 drifting"))
        #expect(html.contains("<a href=\"/\">Sources</a> › payments"))
        #expect(html.contains("#1 (current)"))
        #expect(html.contains("<a href=\"/sources/payments/features/x\">x</a>"))
        #expect(html.contains("<a href=\"/sources/payments/features/%3Cscript%3Ealert%281%29%3C%2Fscript%3E\">"
            + "&lt;script&gt;alert(1)&lt;/script&gt;</a>"))
        #expect(html.contains("<h2>Model metrics</h2>") && html.contains("clf / accuracy per window"))
        #expect(html.contains("JSON: <a href=\"/api/v1/sources/payments\">"))
        // x's row: drifting (critical), its last KS D and effect as the feature JSON has them.
        let x = try b.object("/api/v1/sources/payments/features/x")
        let latest = try #require((x["latest"] as? [String: Any])?["drift"] as? [String: Any])
        let statistic = try #require(latest["statistic"] as? Double), effect = try #require(latest["effect"] as? Double)
        let effectName = ServerCore.effectLabel(try #require(latest["effect_name"] as? String))
        let row = try #require(html.components(separatedBy: "<tr").first { $0.contains("/features/x\"") })
        #expect(row.contains("Drifting · critical"))
        #expect(row.contains("KS D \(sig(statistic))") && row.contains("\(esc(effectName)) \(sig(effect))"))
        // Every verdict used the current baseline: the panel names it once, the rows have no baseline column.
        #expect(html.contains("<dt>Baseline</dt><dd>#1 (current)</dd>"))
        #expect(!row.contains("#1</td>") && !html.contains("<th class=\"num wide\">Baseline</th>"))
        #expect(row.contains("<svg"))  // the trend sparklines
        let yRow = try #require(html.components(separatedBy: "<tr").first { $0.contains("/features/y\"") })
        #expect(yRow.contains("OK</span>") && !yRow.contains("Drifting"))

        let calm = try b.page("/sources/" + enc(hostileSource))
        #expect(calm.contains("<h1>pay&quot;&amp;&#39;&lt;b&gt; <span class=\"badge ok\">"))
        #expect(calm.contains("<title>pay&quot;&amp;&#39;&lt;b&gt; · driftd</title>"))
        #expect(calm.contains("4 features · none drifting"))
        #expect(calm.contains("href=\"/sources/pay%22%26%27%3Cb%3E/features/%3Cscript%3Ealert%281%29%3C%2Fscript%3E\""))
        #expect(calm.contains("JSON: <a href=\"/api/v1/sources/pay%22%26%27%3Cb%3E\">"))

        let stale = try b.page("/sources/ledger")
        #expect(stale.contains("<h1>ledger <span class=\"badge stale\">"))
        #expect(stale.contains("<strong>◷ Stale:</strong>") && stale.contains("(SLA \(NumberText.duration(ms: hour)))"))

        let missing = try b.get("/sources/nope")
        #expect(missing.status == 404 && missing.header("Content-Type") == "text/html; charset=utf-8")
        #expect(missing.text.contains("There is no source named “nope”."))
        // An unknown hostile name is echoed escaped in the 404 page and JSON.
        let ghost = try b.get("/sources/" + enc(hostileFeature))
        #expect(ghost.status == 404 && ghost.text.contains("There is no source named “&lt;script&gt;alert(1)&lt;/script&gt;”."))
        #expect(try b.object("/api/v1/sources/" + enc(hostileFeature), status: 404)["detail"] as? String
                == "no source named " + hostileFeature)
    }

    // MARK: - /sources/{name}/features/{feature}

    static func checkFeaturePages(_ b: Browser) throws {
        let json = try b.object("/api/v1/sources/payments/features/x")
        #expect(json["source"] as? String == "payments" && json["feature"] as? String == "x")
        #expect(json["status"] as? String == "drifting" && json["severity"] as? String == "critical")
        let latest = try #require((json["latest"] as? [String: Any])?["drift"] as? [String: Any])
        #expect(latest["test"] as? String == "ks" && latest["decision"] as? String == "drift")
        #expect(latest["baseline_id"] as? Int == 1 && latest["check"] as? String == "distribution")
        let window = try #require(latest["window"] as? [String: Any])
        #expect(window["start_ms"] as? Int64 == t0 + 5 * hour)
        let h = try #require(json["histogram"] as? [String: Any])
        #expect(h["kind"] as? String == "numeric" && h["baseline_id"] as? Int == 1)
        let base = try #require(h["baseline"] as? [Int]), current = try #require(h["current"] as? [Int])
        #expect(base.count == current.count && base.count >= 3 && base.reduce(0, +) > 0 && current.reduce(0, +) > 0)
        #expect(h["current_rows"] as? Int == 2000 && (h["edges"] as? [Double])?.isEmpty == false)
        let psi = try #require(h["psi"] as? Double)
        let windows = try #require(json["windows"] as? [[String: Any]])
        #expect(windows.count == 6)
        let correlations = try #require(json["correlations"] as? [[String: Any]])
        #expect(correlations.count == 1 && correlations.first?["model"] as? String == "clf")
        let rho = try #require(correlations.first?["rho"] as? Double)
        #expect(rho < -0.5)  // accuracy falls as x drifts
        let alerts = try #require(json["alerts"] as? [[String: Any]])
        #expect(alerts.contains { ($0["labels"] as? [String: String])?["kind"] == "drift" })

        let html = try b.page("/sources/payments/features/x")
        #expect(html.contains("<div class=\"crumbs\"><a href=\"/\">Sources</a> › <a href=\"/sources/payments\">payments</a> › x</div>"))
        #expect(html.contains("<h1>x <span class=\"badge critical\">") && html.contains("Drifting · critical"))
        let statistic = try #require(latest["statistic"] as? Double), effect = try #require(latest["effect"] as? Double)
        let effectName = ServerCore.effectLabel(try #require(latest["effect_name"] as? String))
        #expect(html.contains("KS D = \(sig(statistic, 4))"))
        #expect(html.contains("\(esc(effectName)) = \(sig(effect, 4))"))
        #expect(html.contains("<dt>Baseline</dt><dd>#1</dd>"))
        // The histogram: baseline and current bars on baseline #1's bins, and its PSI.
        let chart = try #require(html.components(separatedBy: "<h2>Baseline vs last window</h2>").dropFirst().first?
            .components(separatedBy: "<h2>History</h2>").first)
        #expect(chart.contains("<svg") && chart.contains("baseline #1"))
        #expect(chart.contains("<title>baseline ") && chart.contains("<title>current "))
        #expect(chart.contains("PSI of the last window on these bins: \(sig(psi))."))
        // History charts, the correlation with the metric, the firing alert.
        #expect(html.components(separatedBy: "<svg").count - 1 >= 3)
        #expect(html.contains("<td class=\"name\">clf / accuracy</td><td class=\"num\">\(sig(rho, 2))</td>"))
        #expect(html.contains("worse accuracy when it drifts"))
        #expect(html.contains("<h2>Alerts</h2>") && !html.contains("No alert is firing for this feature."))
        #expect(html.contains("JSON: <a href=\"/api/v1/sources/payments/features/x\">"))

        // The hostile feature: found by its percent-encoded name, shown escaped.
        let path = "/sources/payments/features/" + enc(hostileFeature)
        let hostile = try b.page(path)
        #expect(hostile.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; <span class=\"badge critical\">"))
        #expect(hostile.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; · payments · driftd</title>"))
        #expect(hostile.contains("<svg"))
        let hj = try b.object("/api" + "/v1" + path)
        #expect(hj["feature"] as? String == hostileFeature && hj["status"] as? String == "drifting")
        #expect((hj["histogram"] as? [String: Any])?["baseline_id"] as? Int == 1)
        // The calm hostile-named source's hostile feature.
        let calm = try b.page("/sources/\(enc(hostileSource))/features/\(enc(hostileFeature))")
        #expect(calm.contains("<a href=\"/sources/pay%22%26%27%3Cb%3E\">pay&quot;&amp;&#39;&lt;b&gt;</a>"))
        #expect(calm.contains("<span class=\"badge ok\">"))

        // Unknown feature or source: 404 page and 404 JSON.
        let noFeature = try b.get("/sources/payments/features/nope")
        #expect(noFeature.status == 404 && noFeature.text.contains("Source “payments” has no feature named “nope”."))
        #expect(try b.object("/api/v1/sources/payments/features/nope", status: 404)["error"] as? String == "not found")
        #expect(try b.object("/api/v1/sources/nope/features/x", status: 404)["error"] as? String == "not found")
    }

    // MARK: - /alerts, /api/v1/alerts

    static func checkAlerts(_ b: Browser, silenceID: String) throws {
        let json = try b.object("/api/v1/alerts")
        #expect(json["delivery"] as? Bool == true)
        let alerts = try #require(json["alerts"] as? [[String: Any]])
        func labels(_ a: [String: Any]) -> [String: String] { a["labels"] as? [String: String] ?? [:] }
        let hostileDrift = try #require(alerts.first { labels($0)["feature"] == hostileFeature })
        #expect(hostileDrift["state"] as? String == "active" && labels(hostileDrift)["source"] == "payments")
        let fresh = try #require(alerts.first { labels($0)["source"] == "ledger" })
        #expect(fresh["state"] as? String == "silenced" && fresh["silenced_by"] as? [String] == [silenceID])
        #expect(json["alerts_total"] as? Int == alerts.count)
        let silences = try #require(json["silences"] as? [[String: Any]])
        #expect(silences.count == 1 && silences.first?["id"] as? String == silenceID)
        #expect(silences.first?["created_by"] as? String == hostileAuthor)
        #expect(silences.first?["comment"] as? String == hostileComment)
        #expect(silences.first?["state"] as? String == "active")
        let notifications = try #require(json["notifications"] as? [[String: Any]])
        #expect(notifications.contains { $0["state"] as? String == "delivered" && $0["receiver"] as? String == "team" })
        #expect(try b.object("/api/v1/alerts?limit=1")["notifications"].map { ($0 as? [Any])?.count == 1 } == true)
        #expect(try b.object("/api/v1/alerts?limit=0", status: 400)["error"] as? String == "bad request")

        let html = try b.page("/alerts")
        #expect(html.contains("<h1>Alerts</h1>") && html.contains("<a href=\"/alerts\" aria-current=\"page\">"))
        #expect(html.contains("\(alerts.count) firing"))
        #expect(html.contains("notifications are delivered to the configured receivers"))
        // The hostile feature's alert links to its page, escaped; payments' alerts are critical.
        #expect(html.contains("<a href=\"/sources/payments/features/%3Cscript%3Ealert%281%29%3C%2Fscript%3E\">"
            + "&lt;script&gt;alert(1)&lt;/script&gt;</a>"))
        #expect(html.contains("Critical</span>") && html.contains("Active</span>") && html.contains("Silenced</span>"))
        // The silence: matcher, author and comment escaped.
        #expect(html.contains("<code>source=&quot;ledger&quot;</code>"))
        #expect(html.contains(esc(hostileAuthor)) && html.contains("ops &lt;i&gt;&amp;&lt;/i&gt;"))
        #expect(html.contains("deploy &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;"))
        #expect(html.contains("<code>\(silenceID)</code>"))
        #expect(html.contains("Delivered</span>"))
        let bad = try b.get("/alerts?limit=x")
        #expect(bad.status == 400 && bad.text.contains("limit: x is not a positive number"))
    }

    // MARK: - metrics, history, stats, health

    static func checkOtherRoutes(_ b: Browser) throws {
        let metrics = try b.object("/api/v1/sources/payments/metrics")
        #expect(metrics["source"] as? String == "payments")
        let series = try #require(metrics["metrics"] as? [[String: Any]])
        try #require(series.count == 1)
        #expect(series[0]["model"] as? String == "clf" && series[0]["metric"] as? String == "accuracy")
        #expect(series[0]["higher_is_better"] as? Bool == true)
        let points = try #require(series[0]["points"] as? [[String: Any]])
        // (JSONSerialization on Linux may parse the last digit differently from the shortest round-trip text.)
        let values = points.compactMap { $0["value"] as? Double }
        #expect(values.count == 6 && zip(values, (0..<6).map(accuracy)).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(points.first?["window_start_ms"] as? Int64 == t0)
        let correlation = try #require(series[0]["correlation"] as? [String: Any])
        #expect(correlation["windows_used"] as? Int == 6)
        let ranked = try #require(correlation["features"] as? [[String: Any]])
        #expect(Set(ranked.compactMap { $0["feature"] as? String }) == ["x", "y", "c", hostileFeature])
        #expect(try b.object("/api/v1/sources/\(enc(hostileSource))/metrics")["metrics"] as? [Any] != nil)
        #expect(try b.object("/api/v1/sources/nope/metrics", status: 404)["error"] as? String == "not found")

        // History: x's verdicts (the KS test's and the null-rate check's) of the 6 closed windows; model metric
        // rows; paging by cursor.
        let drift = try b.object("/api/v1/history?source=payments&feature=x&kind=drift")
        let rows = try #require(drift["rows"] as? [[String: Any]])
        #expect(rows.allSatisfy { $0["feature"] as? String == "x" && $0["kind"] as? String == "drift" })
        let ks = rows.filter { $0["test"] as? String == "ks" }
        #expect(ks.compactMap { ($0["window"] as? [String: Any])?["start_ms"] as? Int64 } == (0..<6).map { t0 + $0 * hour })
        #expect(ks.last?["decision"] as? String == "drift" && ks.last?["severity"] as? String == "critical")
        // Each row names its check: the KS rows "distribution", the null-rate test's rows "null_rate".
        #expect(ks.allSatisfy { $0["check"] as? String == "distribution" })
        let nullRate = rows.filter { $0["test"] as? String == "null-rate" }
        #expect(nullRate.count == 6 && nullRate.allSatisfy { $0["check"] as? String == "null_rate" })
        let m = try b.object("/api/v1/history?source=payments&kind=model_metric")
        let mrows = try #require(m["rows"] as? [[String: Any]])
        #expect(mrows.count == 6 && mrows.allSatisfy { $0["kind"] as? String == "model_metric" && $0["metric"] as? String == "clf/accuracy" })
        var seen = 0
        var cursor: String? = nil
        var pages = 0
        repeat {
            let q = "/api/v1/history?source=payments&feature=x&kind=drift&limit=4"
                + (cursor.map { "&cursor=" + HTMLText.queryValue($0) } ?? "")
            let page = try b.object(q)
            seen += (page["rows"] as? [Any])?.count ?? 0
            cursor = page["next_cursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        #expect(seen == rows.count && pages >= (rows.count + 3) / 4 && pages <= (rows.count + 3) / 4 + 1)
        for name in [hostileSource, urlSource] {
            let encoded = try b.object("/api/v1/history?source=\(HTMLText.queryValue(name))&kind=drift")
            #expect(encoded["source"] as? String == name && (encoded["rows"] as? [Any])?.isEmpty == false)
        }
        let critical = try b.object("/api/v1/history?source=payments&kind=drift&min_severity=critical")
        let criticalRows = try #require(critical["rows"] as? [[String: Any]])
        #expect(!criticalRows.isEmpty && criticalRows.allSatisfy { $0["severity"] as? String == "critical" })
        let since = t0 + 4 * hour
        let recent = try b.object("/api/v1/history?source=payments&feature=x&kind=drift&since=\(since)&until=\(t0 + 6 * hour)")
        #expect((recent["rows"] as? [[String: Any]])?.compactMap { ($0["window"] as? [String: Any])?["start_ms"] as? Int64 }
            .allSatisfy { $0 >= since } == true)
        #expect(try b.object("/api/v1/history?source=nope", status: 404)["error"] as? String == "not found")
        #expect(try b.object("/api/v1/history?source=payments&since=yesterday", status: 400)["error"] as? String == "bad request")
        #expect(try b.object("/api/v1/history?source=payments&cursor=garbage", status: 400)["error"] as? String == "bad request")
        #expect(try b.object("/api/v1/history", status: 400)["error"] as? String == "bad request")
        #expect(try b.object("/api/v1/history?source=payments&kind=bogus", status: 400)["error"] as? String == "bad request")

        let stats = try b.object("/api/v1/stats")
        #expect((stats["requests_total"] as? Int ?? 0) > 0 && stats["workers"] as? Int == 2)
        #expect(stats["requests_by_method"] is [Any])

        let head = try b.client.request("HEAD", "/")
        #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Type") == "text/html; charset=utf-8")
        #expect(try b.object("/api/v1/nothing", status: 404)["error"] as? String == "not found")
        let health = try b.get("/healthz")
        #expect(health.status == 200 && health.text == "ok\n")
        #expect(try b.get("/readyz").status == 200)  // 503 while draining: HTTPServerTests
        let prometheus = try b.get("/metrics")
        #expect(prometheus.status == 200 && prometheus.text.contains("driftd_"))
        let script = try b.get("/static/app.js")
        #expect(script.status == 200 && script.header("Content-Type") == "text/javascript; charset=utf-8")
    }

    // MARK: - Links, escaping, no external resources

    /// Follows every link of every page fetched so far (and of the pages they lead to): each answers 200.
    static func checkLinks(_ b: Browser, expect: [String] = [
        "/sources/pay%22%26%27%3Cb%3E",
        "/sources/q%2Fa%20%3F%23%25%2B%20%C3%A9/features/%3Cscript%3Ealert%281%29%3C%2Fscript%3E",
        "/sources/payments/features/%3Cscript%3Ealert%281%29%3C%2Fscript%3E", "/api/v1/alerts", "/api/v1/stats",
    ]) throws {
        var queue = b.html.flatMap { hrefs($0.text) }
        var visited = Set<String>()
        while let href = queue.first, visited.count < 100 {
            queue.removeFirst()
            guard visited.insert(href).inserted else { continue }
            #expect(href.hasPrefix("/") && !href.hasPrefix("//"), "a link leaves driftd: \(href)")
            guard href.hasPrefix("/") && !href.hasPrefix("//") else { continue }
            let r = try b.get(href)
            #expect(r.status == 200, "link \(href) answers \(r.status)")
            if r.header("Content-Type")?.hasPrefix("text/html") == true { queue += hrefs(r.text) }
            if r.header("Content-Type") == "application/json" { _ = try r.json() }
        }
        for path in expect { #expect(visited.contains(path), "no link to \(path)") }
    }

    /// Every body: the hostile strings never raw; every page self-contained (one script, our own; no other host,
    /// no style sheet link, no web font).
    static func checkBodies(_ b: Browser, pages: [String] = [
        "/", "/sources/payments", "/sources/pay%22%26%27%3Cb%3E", "/sources/ledger", "/alerts",
        "/sources/payments/features/x", "/sources/payments/features/%3Cscript%3Ealert%281%29%3C%2Fscript%3E",
    ]) {
        for (path, text) in b.html + b.json {
            #expect(!text.contains("<script>alert(1)</script>"), "raw hostile feature in \(path)")
            #expect(!text.contains("'<b>") && !text.contains("<i>&</i>"), "raw hostile text in \(path)")
        }
        for (path, text) in b.json { #expect(!text.contains("<"), "an unescaped < in the JSON of \(path)") }
        for (path, text) in b.html {
            for needle in ["src=\"http", "href=\"http", "src='http", "href='http", "@import", "fonts.", "url(", "<link",
                           "<iframe", "<img", "//cdn"] {
                #expect(!text.contains(needle), "\(path) has \(needle)")
            }
            #expect(text.components(separatedBy: "<script").count == 2
                    && text.contains("<script src=\"/static/app.js\" defer></script>"), "\(path): scripts")
        }
        let fetched = Set(b.html.map(\.path))
        for p in pages { #expect(fetched.contains(p), "\(p) not fetched") }
        // The escaped hostile feature is shown on the pages.
        #expect(b.html.contains { $0.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") })
    }
}
