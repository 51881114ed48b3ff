import DriftEngine

/// The RFC 5322 message of a notification: `multipart/alternative` with a text/plain and a text/html part
/// (UTF-8, base64 in 76-character lines), CRLF line ends.
///
/// Headers: From, To (as configured, display names RFC 2047-encoded), Subject (`[FIRING:3] payments: 14
/// features drifting`, through ``AlertEscaping/emailHeaderValue(_:)`` — no CR/LF can reach the header — and
/// folded), Date (the notification's creation time, so a retry is the same message), Message-ID
/// (`<dedupKey.sequence@driftd.<from domain>>`: a retried send carries the same id, and a receiving server
/// or client can drop the duplicate), MIME-Version, Content-Type. The HTML part escapes every user string
/// with ``AlertEscaping/html(_:)``; links go to the dashboard pages (``DashboardLinks``).
public enum EmailMessage {
    /// The whole message, ready for SMTP DATA (curl dot-stuffs it).
    public static func render(_ n: AlertNotification, integration: EmailIntegration, dashboardURL: String?) -> String {
        let digest = AlertDigest(notification: n)
        let links = dashboardURL.map(DashboardLinks.init(base:))
        let boundary = "driftd-alternative-" + sanitizedToken(n.dedupKey)
        var headers = [
            "From: " + addressHeader(integration.from),
            "To: " + integration.to.split(separator: ",").map { addressHeader(String($0)) }.joined(separator: ", "),
            "Subject: " + subject(n, digest),
            "Date: " + EmailDate.rfc5322(ms: n.createdMs),
            "Message-ID: " + messageID(n, from: integration.sender),
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        headers = headers.map(fold)
        var out = headers.joined(separator: "\r\n") + "\r\n\r\n"
        out += "--\(boundary)\r\n"
        out += part("text/plain", plainText(n, digest, links))
        out += "--\(boundary)\r\n"
        out += part("text/html", html(n, digest, links))
        out += "--\(boundary)--\r\n"
        return out
    }

    /// `[FIRING:3] payments: 14 features drifting` (+ "and N more sources"), clipped, encoded, no CR/LF.
    static func subject(_ n: AlertNotification, _ digest: AlertDigest) -> String {
        let sources = digest.sourceSummaries
        var text = "[\(n.firing.isEmpty ? "RESOLVED" : "FIRING:\(n.firing.count)")]"
        if let first = sources.first { text += " " + AlertDigest.clip(first.source) + ": " + first.summary }
        if sources.count > 1 { text += " and \(sources.count - 1) more source\(sources.count == 2 ? "" : "s")" }
        return AlertEscaping.emailHeaderValue(text)
    }

    /// `<dedupKey.sequence@driftd.domain>` with only token characters, stable across retries.
    static func messageID(_ n: AlertNotification, from sender: String) -> String {
        let domain = sender.split(separator: "@").last.map { sanitizedToken(String($0)) } ?? ""
        return "<\(sanitizedToken(n.dedupKey)).\(n.sequence)@driftd\(domain.isEmpty ? "" : "." + domain)>"
    }

    /// An address as a header value: a display name (before `<`) becomes RFC 2047 words when needed.
    static func addressHeader(_ text: String) -> String {
        let bare = EmailIntegration.bareAddress(text)
        guard let open = text.lastIndex(of: "<") else { return bare }
        let display = IntegrationReading.trimmed(String(text[..<open]))
        return display.isEmpty ? "<\(bare)>" : AlertEscaping.emailHeaderValue(display) + " <\(bare)>"
    }

    /// Letters, digits, `.` and `-` only.
    static func sanitizedToken(_ s: String) -> String {
        String(s.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
            || $0 == "." || $0 == "-") }.map(Character.init))
    }

    /// Folds a header line at spaces so lines stay within 78 characters where possible (RFC 5322 §2.2.3).
    static func fold(_ line: String) -> String {
        var out = "", current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > 78 {
                out += current + "\r\n"
                current = " " + word
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        return out + current
    }

    private static func part(_ type: String, _ body: String) -> String {
        var out = "Content-Type: \(type); charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        let encoded = Array(AlertEscaping.base64(Array(body.utf8)).utf8)
        var i = 0
        while i < encoded.count {
            out += String(decoding: encoded[i..<min(i + 76, encoded.count)], as: UTF8.self) + "\r\n"
            i += 76
        }
        return out
    }

    private static func plainText(_ n: AlertNotification, _ digest: AlertDigest, _ links: DashboardLinks?) -> String {
        var lines = [digest.headline, ""]
        for entry in digest.sourceSummaries {
            lines.append(AlertDigest.clip(entry.source) + ": " + entry.summary
                         + (links.map { " <" + $0.source(entry.source) + ">" } ?? ""))
        }
        for (title, alerts) in [("Firing", n.firing), ("Resolved", n.resolved)] where !alerts.isEmpty {
            lines += ["", title + ":"]
            for a in alerts.prefix(AlertDigest.maxListed) {
                lines.append("- " + AlertDigest.clip(a[label: Alert.sourceLabel]) + " / " + AlertDigest.subject(a)
                             + ": " + AlertDigest.detail(a) + (links.map { " <" + $0.page(of: a) + ">" } ?? ""))
            }
            if alerts.count > AlertDigest.maxListed { lines.append("… and \(alerts.count - AlertDigest.maxListed) more") }
        }
        lines += ["", "-- driftd"]
        // Control characters in names would break lines: only spaces are left of them.
        return lines.map { String($0.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) }) }
            .joined(separator: "\r\n") + "\r\n"
    }

    private static func html(_ n: AlertNotification, _ digest: AlertDigest, _ links: DashboardLinks?) -> String {
        func anchor(_ url: String?, _ label: String) -> String {
            let text = AlertEscaping.html(label)
            guard let url else { return text }
            return "<a href=\"\(AlertEscaping.html(url))\">\(text)</a>"
        }
        var out = "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"></head><body>\r\n"
        out += "<h2>\(AlertEscaping.html(digest.headline))</h2>\r\n<ul>\r\n"
        for entry in digest.sourceSummaries {
            out += "<li><b>\(anchor(links?.source(entry.source), AlertDigest.clip(entry.source)))</b>: "
                + AlertEscaping.html(entry.summary) + "</li>\r\n"
        }
        out += "</ul>\r\n"
        for (title, alerts) in [("Firing", n.firing), ("Resolved", n.resolved)] where !alerts.isEmpty {
            out += "<h3>\(title)</h3>\r\n<ul>\r\n"
            for a in alerts.prefix(AlertDigest.maxListed) {
                out += "<li>" + AlertEscaping.html(AlertDigest.clip(a[label: Alert.sourceLabel])) + " / "
                    + anchor(links?.page(of: a), AlertDigest.subject(a)) + ": "
                    + AlertEscaping.html(AlertDigest.detail(a)) + "</li>\r\n"
            }
            if alerts.count > AlertDigest.maxListed {
                out += "<li>… and \(alerts.count - AlertDigest.maxListed) more</li>\r\n"
            }
            out += "</ul>\r\n"
        }
        return out + "<p>driftd</p>\r\n</body></html>\r\n"
    }
}
