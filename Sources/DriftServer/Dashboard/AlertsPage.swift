import DriftTransport

/// `GET /alerts`. For now an empty state that says where alerts can be read; the coordinator fills it from the
/// alert store (active alerts, silences, recent notifications and their delivery state) once alerting is merged.
enum AlertsPage {
    static func response() -> HTTPResponse {
        DashboardPage.response(title: "Alerts", section: .alerts, main: """
            <h1>Alerts</h1>
            <p class="empty">No alerts to show here yet: this page will list active alerts, silences and recent
            notifications with their delivery state. Until then, read them as JSON at
            <a href="/api/v1/alerts">/api/v1/alerts</a>, and see each feature's recent verdicts on its page under
            <a href="/">Sources</a>.</p>
            """, api: "/api/v1/alerts")
    }
}
