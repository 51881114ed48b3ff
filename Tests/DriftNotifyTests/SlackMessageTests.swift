import DriftEngine
import DriftNotify
import Foundation
import Testing

@Suite struct SlackMessageTests {
    static let integration = SlackIntegration(apiURL: .literal(Secret("http://127.0.0.1:9/x")))

    /// Every `text` value of the message (fallback, header, sections, context), decoded from the JSON.
    static func texts(_ body: String) throws -> [String] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        var out = [json["text"] as? String ?? ""]
        func walk(_ any: Any) {
            if let d = any as? [String: Any] {
                if let t = d["text"] as? String { out.append(t) }
                d.values.forEach(walk)
            } else if let a = any as? [Any] { a.forEach(walk) }
        }
        walk(json["blocks"] as Any)
        return out
    }

    @Test func hostileNamesAreEscapedAndTheJSONIsValid() throws {
        let firing = [NotifyFixture.hostile, "*bold*", "<!channel>", "a\nb"].map { NotifyFixture.alert(source: "pay<m>", feature: $0) }
        let body = SlackMessage.body(for: NotifyFixture.notification(firing: firing), integration: Self.integration,
                                     dashboardURL: nil)
        let texts = try Self.texts(body)
        let all = texts.joined(separator: "\n")
        #expect(!all.contains("<script>"))
        #expect(!all.contains("<!channel>"))
        #expect(!all.contains("<m>"))
        #expect(all.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(all.contains("&lt;!channel&gt;"))
        #expect(all.contains("*bold*"))
        #expect(all.contains("a b"))  // a newline in a name cannot start a line of its own
        #expect(!all.contains("<http"))  // no dashboard, no links
        #expect(texts[1] == "FIRING · critical")
    }

    @Test func aGroupIsOneMessageWithACappedListAndDashboardLinks() throws {
        let firing = (0..<14).map { NotifyFixture.alert(feature: "f\($0 < 10 ? "0" : "")\($0)") }
        let body = SlackMessage.body(for: NotifyFixture.notification(firing: firing),
                                     integration: SlackIntegration(apiURL: .literal(Secret("http://x/")), channel: "#drift",
                                                                   username: "driftd"),
                                     dashboardURL: "http://127.0.0.1:7401/")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(json["channel"] as? String == "#drift")
        #expect(json["username"] as? String == "driftd")
        let all = try Self.texts(body).joined(separator: "\n")
        #expect(all.contains("*<http://127.0.0.1:7401/sources/payments|payments>*: 14 features drifting"))
        #expect(all.contains("<http://127.0.0.1:7401/sources/payments/features/f00|f00> drift critical — KS D 0.31, p 1e-5, cohens_d 0.4"))
        #expect(all.contains("f09"))
        #expect(!all.contains("|f10>"))
        #expect(all.contains("… and 4 more"))
        #expect((json["text"] as? String)?.hasPrefix("[FIRING · critical] ") == true)
    }

    @Test func dashboardLinksPercentEncodeNames() {
        let links = DashboardLinks(base: "http://127.0.0.1:7401//")
        #expect(links.source("pay ments/<x>|y") == "http://127.0.0.1:7401/sources/pay%20ments%2F%3Cx%3E%7Cy")
        #expect(links.feature("größe", of: "s") == "http://127.0.0.1:7401/sources/s/features/gr%C3%B6%C3%9Fe")
        #expect(links.page(of: Alert(labels: ["source": "s", "kind": "freshness"], startsAtMs: 0))
                == "http://127.0.0.1:7401/sources/s")
    }

    @Test func resolvedAlertsAreListedSeparately() throws {
        let n = NotifyFixture.notification(firing: [], resolved: [NotifyFixture.alert(feature: "amount", resolved: true)])
        let texts = try Self.texts(SlackMessage.body(for: n, integration: Self.integration, dashboardURL: nil))
        #expect(texts[1] == "RESOLVED · critical")
        #expect(texts.contains { $0.hasPrefix("*Resolved*\n• amount drift critical") && $0.contains("resolved") })
        #expect(!texts.contains { $0.hasPrefix("*Firing*") })
    }
}
