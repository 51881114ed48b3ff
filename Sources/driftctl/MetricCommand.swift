import DriftClient
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl metric report SOURCE`: joins a model metric to one window (ReportModelMetric, method 8).
enum MetricCommand {
    static let usage = """
        USAGE: driftctl metric report SOURCE --metric NAME (--window-start T | --event-time T) --value V
                                      [--model M] [--higher-is-better] [--json] [server options]

        Reports a model metric (accuracy, loss, …) for one window of the source, so `driftctl correlation` can rank
        the features whose drift goes with drops of it. A second value for the same model, metric and window
        replaces the first.
          --metric NAME        the metric's name
          --window-start T     the window, by its start (a window boundary); or
          --event-time T       the window containing this event time
                               times: ms since the epoch, ISO-8601 UTC (2026-12-04T10:00:00Z) or relative (-1h)
          --value V            the value (a finite number)
          --model M            the model (default "default")
          --higher-is-better   larger values are better (accuracy); by default smaller ones are (loss)
          --json               one JSON object instead of the text

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        guard args.words.first == "report" else { Output.fail("metric needs a subcommand: report") }
        args = Arguments(Array(args.words.dropFirst()))
        let json = args.flag("--json")
        let higherIsBetter = args.flag("--higher-is-better")
        let now = IngestCommand.nowMs()
        let metric = args.value("--metric"), model = args.value("--model") ?? "default"
        let windowStart = args.time("--window-start", nowMs: now), eventTime = args.time("--event-time", nowMs: now)
        let valueText = args.value("--value")
        let source = args.positionals(count: 1, usage: "metric report SOURCE --metric NAME --window-start T --value V")[0]
        guard let metric, !metric.isEmpty else { Output.fail("metric report needs --metric NAME") }
        guard !model.isEmpty else { Output.fail("--model needs a non-empty name") }
        guard (windowStart == nil) != (eventTime == nil) else {
            Output.fail("metric report needs exactly one of --window-start T or --event-time T")
        }
        guard let valueText else { Output.fail("metric report needs --value V") }
        guard let value = Double(valueText.replacingUnderscores), value.isFinite else {
            Output.fail("--value needs a finite number (got '\(valueText)')")
        }
        let request = ReportModelMetricRequest(source: source, model: model, metric: metric, windowStartMs: windowStart,
                                               eventTimeMs: eventTime, value: value, higherIsBetter: higherIsBetter)
        let client = server.connect()
        let r = server.call(.reportModelMetric) { () throws(DriftClientError) in try client.reportModelMetric(request) }
        client.close()
        Output.emit(json ? MonitoringReport.metricJSON(source: source, request, r).text + "\n"
                         : MonitoringReport.metricText(source: source, request, r))
        exit(0)
    }
}
