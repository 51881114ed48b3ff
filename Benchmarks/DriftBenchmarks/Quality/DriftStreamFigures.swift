/// What the runs of one drift scenario at one window size measured.
///
/// Delays count windows from the onset: 1 is the onset window itself. *Detected* is the status: a signal of the
/// changed feature (its distribution test or its null-rate test; for the correlation flip, the declared pair)
/// is drifting, i.e. an incident is open — with persistence k = 2 the earliest possible delay is 2. *Raw* is the
/// window decision before hysteresis (what a rule without persistence, like Evidently's, would alert on).
struct DriftStreamFigures {
    var scenario: DriftScenario
    var rows: Int
    var runs: Int
    var onset: Int
    var horizon: Int
    /// Per run: the delay at which the status first was drifting (nil: not within the horizon).
    var delays: [Int?] = []
    /// Per run: the delay of the first drifting window decision.
    var rawDelays: [Int?] = []
    /// Pre-onset windows (over all runs) in which an incident opened.
    var alertsBeforeOnset = 0
    /// Pre-onset windows in which a window decision was drifting.
    var rawBeforeOnset = 0
    var seconds = 0.0

    static let checkpoints = [1, 2, 3, 6]

    func within(_ k: Int, _ delays: [Int?]) -> Double {
        delays.isEmpty ? 0 : Double(delays.filter { ($0 ?? .max) <= k }.count) / Double(delays.count)
    }

    func meanDelay(_ delays: [Int?]) -> Double? {
        let found = delays.compactMap { $0 }
        return found.isEmpty ? nil : Double(found.reduce(0, +)) / Double(found.count)
    }

    var preOnsetWindows: Int { runs * onset }

    var jsonLine: String {
        func withinObject(_ d: [Int?]) -> String {
            jsonObject(Self.checkpoints.map { ("\($0)", "\(within($0, d))") })
        }
        return jsonObject([
            ("tool", jsonString("driftd")), ("scenario", jsonString(scenario.name)), ("param", "\(scenario.parameter)"),
            ("kind", jsonString("drift")), ("window_rows", "\(rows)"), ("runs", "\(runs)"),
            ("detected_within", withinObject(delays)), ("mean_delay", meanDelay(delays).map { "\($0)" } ?? "null"),
            ("raw_detected_within", withinObject(rawDelays)),
            ("raw_mean_delay", meanDelay(rawDelays).map { "\($0)" } ?? "null"),
            ("alerts_before_onset_rate", "\(Double(alertsBeforeOnset) / Double(max(1, preOnsetWindows)))"),
            ("raw_before_onset_rate", "\(Double(rawBeforeOnset) / Double(max(1, preOnsetWindows)))"),
            ("seconds", "\(rounded(seconds, 2))"),
        ])
    }

    static let tableHeader = """
        | scenario | rows/window | runs | detected ≤1 | ≤2 | ≤3 | ≤6 | mean delay | raw ≤1 | raw mean delay | alerts before onset |
        |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
        """

    var tableRow: String {
        let cells = Self.checkpoints.map { percent(within($0, delays)) }.joined(separator: " | ")
        return "| \(scenario.name) \(scenario.parameter) | \(rows) | \(runs) | \(cells) | "
            + "\(meanDelay(delays).map { rounded($0, 2) } ?? "–") | \(percent(within(1, rawDelays))) | "
            + "\(meanDelay(rawDelays).map { rounded($0, 2) } ?? "–") | \(alertsBeforeOnset) / \(preOnsetWindows) |"
    }
}
