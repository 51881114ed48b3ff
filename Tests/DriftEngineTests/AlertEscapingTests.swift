import Testing
@testable import DriftEngine

@Suite struct AlertEscapingTests {
    static let hostile = "<script>alert(1)</script>"

    @Test func slackMrkdwnTable() {
        let table: [(String, String)] = [
            (Self.hostile, "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("a&b<c>d", "a&amp;b&lt;c&gt;d"),
            ("&amp;", "&amp;amp;"),
            ("<!channel> <@U123> <http://evil|click>", "&lt;!channel&gt; &lt;@U123&gt; &lt;http://evil|click&gt;"),
            ("line1\r\nline2\tx", "line1  line2 x"),
            ("*bold* _it_ ~strike~", "*bold* _it_ ~strike~"),
            ("größe 📈 特征", "größe 📈 特征"),
            ("", ""),
        ]
        for (input, expected) in table { #expect(AlertEscaping.slackMrkdwn(input) == expected) }
    }

    @Test func htmlTable() {
        let table: [(String, String)] = [
            (Self.hostile, "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("a&b<c>d", "a&amp;b&lt;c&gt;d"),
            ("\" onmouseover='x'", "&quot; onmouseover=&#39;x&#39;"),
            ("*_~ größe 📈", "*_~ größe 📈"),
            ("line\r\n", "line\r\n"),
        ]
        for (input, expected) in table { #expect(AlertEscaping.html(input) == expected) }
    }

    @Test func emailHeaderTable() {
        let table: [(String, String)] = [
            ("[driftd] payments: 14 features drifting", "[driftd] payments: 14 features drifting"),
            ("x\r\nBcc: victim@example.com", "x  Bcc: victim@example.com"),
            ("a\nb\rc\u{0}d", "a b c d"),
            (Self.hostile, Self.hostile),
            ("größe", "=?UTF-8?B?Z3LDtsOfZQ==?="),
            ("=?UTF-8?B?Zm9v?=", "=?UTF-8?B?PT9VVEYtOD9CP1ptOXY/PQ==?="),
            ("📈\r\n", "=?UTF-8?B?8J+TiCAg?="),
        ]
        for (input, expected) in table { #expect(AlertEscaping.emailHeaderValue(input) == expected) }
        // Long non-ASCII text: words of at most 75 characters, no CR/LF, no character split across words.
        let long = String(repeating: "特征", count: 40)
        let encoded = AlertEscaping.emailHeaderValue(long)
        #expect(!encoded.contains("\r") && !encoded.contains("\n"))
        let words = encoded.split(separator: " ")
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        #expect(words.count == 6)  // 240 bytes, 15 three-byte characters (45 bytes) per word
    }

    @Test func base64Vectors() {
        // RFC 4648 §10.
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
                       "foobar": "Zm9vYmFy"]
        for (input, expected) in vectors { #expect(AlertEscaping.base64(Array(input.utf8)) == expected) }
    }

    @Test func rfc3339FromMilliseconds() {
        #expect(AlertTimestamp.rfc3339(ms: 0) == "1970-01-01T00:00:00Z")
        #expect(AlertTimestamp.rfc3339(ms: 1_500) == "1970-01-01T00:00:01.5Z")
        #expect(AlertTimestamp.rfc3339(ms: 1_790_000_000_123) == "2026-09-21T14:13:20.123Z")
        #expect(AlertTimestamp.rfc3339(ms: 951_782_400_000) == "2000-02-29T00:00:00Z")
        #expect(AlertTimestamp.rfc3339(ms: -1) == "1969-12-31T23:59:59.999Z")
        #expect(AlertTimestamp.rfc3339(ms: 253_402_300_799_990) == "9999-12-31T23:59:59.99Z")
    }

    @Test func webhookBodyGolden() throws {
        let firing = Alert(labels: ["source": "pay\"ments", "feature": Self.hostile, "kind": "drift", "severity": "critical"],
                           annotations: ["summary": "line1\nline2 \\ größe", "state": "drifting"],
                           startsAtMs: 1_790_000_000_123)
        let resolved = Alert(labels: ["source": "pay\"ments", "feature": "b", "kind": "drift", "severity": "critical"],
                             annotations: ["state": "drifting"], startsAtMs: 1_790_000_000_000, endsAtMs: 1_790_000_360_000)
        let n = AlertNotification(receiver: "web\u{1}hook", groupKey: "{}:{source=\"pay\\\"ments\"}",
                                  groupLabels: ["source": "pay\"ments"], firing: [firing], resolved: [resolved],
                                  silenced: [], inhibited: [], dedupKey: "0123456789abcdef", createdMs: 1_790_000_400_000,
                                  sequence: 2)
        let body = AlertWebhookPayload.body(for: n, externalURL: "http://127.0.0.1:8080") {
            $0[label: "feature"] == "b" ? "http://127.0.0.1:8080/sources/x" : nil
        }
        let expected = #"""
        {"version":"4","groupKey":"{}:{source=\"pay\\\"ments\"}","truncatedAlerts":0,"status":"firing","receiver":"web\u0001hook","groupLabels":{"source":"pay\"ments"},"commonLabels":{"kind":"drift","severity":"critical","source":"pay\"ments"},"commonAnnotations":{"state":"drifting"},"externalURL":"http://127.0.0.1:8080","alerts":[{"status":"firing","labels":{"feature":"<script>alert(1)</script>","kind":"drift","severity":"critical","source":"pay\"ments"},"annotations":{"state":"drifting","summary":"line1\nline2 \\ größe"},"startsAt":"2026-09-21T14:13:20.123Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"\#(firing.fingerprintHex)"},{"status":"resolved","labels":{"feature":"b","kind":"drift","severity":"critical","source":"pay\"ments"},"annotations":{"state":"drifting"},"startsAt":"2026-09-21T14:13:20Z","endsAt":"2026-09-21T14:19:20Z","generatorURL":"http://127.0.0.1:8080/sources/x","fingerprint":"\#(resolved.fingerprintHex)"}]}
        """#
        #expect(body == expected)
        #expect(firing.fingerprintHex.utf8.count == 16)
    }

    @Test func webhookBodyHonoursMaxAlerts() {
        let alerts = (0..<3).map { Alert(labels: ["source": "s", "feature": "f\($0)"], startsAtMs: 0) }
        let n = AlertNotification(receiver: "r", groupKey: "k", groupLabels: [:], firing: alerts, resolved: [],
                                  silenced: [], inhibited: [], dedupKey: "0123456789abcdef", createdMs: 0, sequence: 1)
        let body = AlertWebhookPayload.body(for: n, externalURL: "", maxAlerts: 2)
        #expect(body.contains("\"truncatedAlerts\":1,"))
        #expect(body.contains("\"f0\"") && body.contains("\"f1\"") && !body.contains("\"f2\""))
        #expect(AlertWebhookPayload.body(for: n, externalURL: "", maxAlerts: 0).contains("\"truncatedAlerts\":0,"))
    }
}
