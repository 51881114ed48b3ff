import DriftEngine
import DriftNotify
import Testing

@Suite struct EmailMessageTests {
    static let integration = EmailIntegration(to: "Ops Team <ops@example.com>, dev@example.com",
                                              from: "driftd <driftd@example.com>", host: "127.0.0.1", port: 25)

    static let knownHeaders = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"]

    @Test func headerInjectionThroughANameIsImpossible() {
        let evil = "x\r\nBcc: victim@example.com\r\nX-Evil: 1"
        let n = NotifyFixture.notification(firing: [NotifyFixture.alert(source: evil, feature: evil)])
        let message = EmailMessage.render(n, integration: Self.integration, dashboardURL: nil)
        let headers = NotifyFixture.headers(message)
        #expect(headers.count == Self.knownHeaders.count)
        for (line, name) in zip(headers, Self.knownHeaders) { #expect(line.hasPrefix(name + ": ")) }
        #expect(!message.contains("\nBcc:"))
        #expect(!message.contains("\nX-Evil:"))
        #expect(headers[2] == "Subject: [FIRING:1] x  Bcc: victim@example.com  X-Evil: 1: 1 feature drifting")
        for line in message.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 998) }
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
    }

    @Test func headersAreStableAndEncoded() {
        let n = NotifyFixture.notification(firing: [NotifyFixture.alert(source: "größe", feature: "a")])
        let first = EmailMessage.render(n, integration: Self.integration, dashboardURL: nil)
        #expect(first == EmailMessage.render(n, integration: Self.integration, dashboardURL: nil))
        let headers = NotifyFixture.headers(first)
        #expect(headers[0] == "From: driftd <driftd@example.com>")
        #expect(headers[1] == "To: Ops Team <ops@example.com>, dev@example.com")
        #expect(headers[2].hasPrefix("Subject: =?UTF-8?B?"))
        #expect(headers[3] == "Date: Mon, 21 Sep 2026 14:20:00 +0000")
        #expect(headers[4] == "Message-ID: <0123456789abcdef.1@driftd.example.com>")
        #expect(headers[6] == "Content-Type: multipart/alternative; boundary=\"driftd-alternative-0123456789abcdef\"")
    }

    @Test func bothPartsCarryTheAlertsAndTheHTMLIsEscaped() throws {
        let n = NotifyFixture.notification(firing: [NotifyFixture.alert(feature: NotifyFixture.hostile),
                                                    NotifyFixture.alert(feature: "amount")])
        let message = EmailMessage.render(n, integration: Self.integration, dashboardURL: "http://127.0.0.1:7401")
        let parts = NotifyFixture.mimeParts(message)
        try #require(parts.count == 2)
        #expect(parts[0].type == "Content-Type: text/plain; charset=UTF-8")
        #expect(parts[1].type == "Content-Type: text/html; charset=UTF-8")
        let text = parts[0].body, html = parts[1].body
        #expect(text.contains("payments: 2 features drifting <http://127.0.0.1:7401/sources/payments>"))
        #expect(text.contains("- payments / amount: drift critical — KS D 0.31, p 1e-5, cohens_d 0.4 "
                              + "<http://127.0.0.1:7401/sources/payments/features/amount>"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<a href=\"http://127.0.0.1:7401/sources/payments/features/%3Cscript%3Ealert%281%29%3C%2Fscript%3E\">"))
        for line in message.components(separatedBy: "\r\n").drop(while: { !$0.isEmpty }) { #expect(line.utf8.count <= 76) }
    }
}
