import DriftEngine

/// The Slack incoming-webhook body of a notification: Block Kit JSON with a `text` fallback, ONE message per
/// notification however many alerts its group holds.
///
/// Blocks: a header (status and severity, fixed words only), a section with one line per source
/// (`*payments*: 14 features drifting`, linked to the source's dashboard page), a section listing the firing
/// alerts (feature linked to its page, kind, severity, test statistic, p-value, effect) capped at
/// ``AlertDigest/maxListed`` lines and ~2,900 characters with "and N more", the same for resolved alerts, and a
/// context line. Every user string (source, feature, annotation) goes through ``AlertEscaping/slackMrkdwn(_:)``
/// and is clipped; URLs are built by ``DashboardLinks`` (percent-encoded names).
public enum SlackMessage {
    /// Slack's limit for a section's text is 3,000 characters; lists stop short of it.
    static let sectionBudget = 2_900

    public static func body(for n: AlertNotification, integration: SlackIntegration,
                            dashboardURL: String?) -> String {
        let digest = AlertDigest(notification: n)
        let links = dashboardURL.map(DashboardLinks.init(base:))
        let sources = digest.sourceSummaries.map { entry in
            "*" + link(links?.source(entry.source), label: AlertDigest.clip(entry.source)) + "*: "
                + AlertEscaping.slackMrkdwn(entry.summary)
        }
        var w = JSONWriter()
        w.beginObject()
        if let channel = integration.channel { w.field("channel", channel) }
        if let username = integration.username { w.field("username", username) }
        w.field("text", "[\(digest.headline)] " + sources.joined(separator: "; "))
        w.beginArray("blocks")
        w.beginObject()
        w.field("type", "header")
        plainText(&w, "text", digest.headline)
        w.endObject()
        section(&w, sources.joined(separator: "\n"))
        if !n.firing.isEmpty { section(&w, list("*Firing*", n.firing, links)) }
        if !n.resolved.isEmpty { section(&w, list("*Resolved*", n.resolved, links)) }
        w.beginObject()
        w.field("type", "context")
        w.beginArray("elements")
        w.beginObject()
        w.field("type", "mrkdwn")
        var context = "driftd · \(n.firing.count) firing, \(n.resolved.count) resolved"
        if let links { context += " · <" + AlertEscaping.slackMrkdwn(links.base) + "|dashboard>" }
        w.field("text", context)
        w.endObject()
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        return w.text
    }

    /// `title` then one bullet per alert, within the section budget; the rest as "and N more".
    static func list(_ title: String, _ alerts: [Alert], _ links: DashboardLinks?) -> String {
        var text = title
        var listed = 0
        for a in alerts {
            let line = "\n• " + link(links?.page(of: a), label: AlertDigest.subject(a)) + " "
                + AlertEscaping.slackMrkdwn(AlertDigest.detail(a))
            if listed == AlertDigest.maxListed || text.count + line.count > sectionBudget - 40 { break }
            text += line
            listed += 1
        }
        if listed < alerts.count { text += "\n… and \(alerts.count - listed) more" }
        return text
    }

    /// `<url|label>` with the label escaped, or just the escaped label without a URL.
    static func link(_ url: String?, label: String) -> String {
        let escaped = AlertEscaping.slackMrkdwn(label)
        guard let url else { return escaped }
        return "<" + AlertEscaping.slackMrkdwn(url) + "|" + escaped + ">"
    }

    private static func section(_ w: inout JSONWriter, _ mrkdwn: String) {
        w.beginObject()
        w.field("type", "section")
        w.beginObject("text")
        w.field("type", "mrkdwn")
        w.field("text", mrkdwn)
        w.endObject()
        w.endObject()
    }

    private static func plainText(_ w: inout JSONWriter, _ key: String, _ text: String) {
        w.beginObject(key)
        w.field("type", "plain_text")
        w.field("text", text)
        w.endObject()
    }
}
