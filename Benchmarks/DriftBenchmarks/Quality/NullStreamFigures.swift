/// What one null stream (a scenario at one window size) measured: counts over its feature-windows.
///
/// A feature-window is one feature in one window; its signals are the distribution test and the null-rate test.
struct NullStreamFigures {
    var scenario: NullScenario
    var rows: Int
    var features: Int
    var windows: Int
    /// Feature-windows in which an incident opened (a signal's status became drifting from ok or pending).
    var alerts = 0
    /// Feature-windows with a signal whose status is drifting.
    var drifting = 0
    /// Feature-windows with a signal whose window decision (before hysteresis) was drifting.
    var rawFired = 0
    /// Feature-windows with a signal graded info (significant, effect below the warning threshold).
    var info = 0
    var seconds = 0.0

    var featureWindows: Int { features * windows }

    func rate(_ count: Int) -> Double { featureWindows == 0 ? 0 : Double(count) / Double(featureWindows) }

    /// Incidents a source of 100 such features would open in a month of hourly windows (720).
    var incidentsPerMonth: Double { rate(alerts) * 100 * 720 }

    var jsonLine: String {
        jsonObject([
            ("tool", jsonString("driftd")), ("scenario", jsonString(scenario.rawValue)), ("kind", jsonString("null")),
            ("window_rows", "\(rows)"), ("features", "\(features)"), ("windows", "\(windows)"),
            ("feature_windows", "\(featureWindows)"), ("alerts", "\(alerts)"), ("alert_rate", "\(rate(alerts))"),
            ("drifting_rate", "\(rate(drifting))"), ("raw_fired_rate", "\(rate(rawFired))"),
            ("info_rate", "\(rate(info))"), ("incidents_per_month_100_features", "\(incidentsPerMonth)"),
            ("seconds", "\(rounded(seconds, 2))"),
        ])
    }

    static let tableHeader = """
        | scenario | rows/window | features × windows | alerts (incident opens) | drifting | raw decision fired | info | incidents / month, 100 features |
        |---|---:|---:|---:|---:|---:|---:|---:|
        """

    var tableRow: String {
        "| \(scenario.rawValue) | \(rows) | \(features) × \(windows) | \(percent(rate(alerts))) (\(alerts)) | "
            + "\(percent(rate(drifting))) | \(percent(rate(rawFired))) | \(percent(rate(info))) | \(rounded(incidentsPerMonth, 2)) |"
    }
}
