import DriftClient
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl correlation SOURCE --metric NAME`: which features' drift goes with drops of a model metric
/// (PerformanceCorrelation, method 15).
enum CorrelationCommand {
    static let usage = """
        USAGE: driftctl correlation SOURCE --metric NAME [--model M] [--windows K] [--max-lag L] [--json]
                                    [server options]

        Ranks the source's features by how their drift goes with drops of the metric (reported with
        `driftctl metric report`): Spearman's rho between a feature's drift score and the metric over the last K
        windows, at the lag in 0…L windows (drift leading) with the largest |rho|, the window pairs and a p-value.
        Rank 1 is the feature most associated with the metric getting worse.
          --metric NAME   the metric
          --model M       the model (default "default")
          --windows K     the last K windows (default: the server's)
          --max-lag L     lags 0…L windows (default 0)
          --json          one JSON object instead of the table

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let json = args.flag("--json")
        let metric = args.value("--metric"), model = args.value("--model") ?? "default"
        let windows = args.integer("--windows", in: 1...Int(UInt32.max)) ?? 0
        let maxLag = args.integer("--max-lag", in: 0...Int(UInt32.max)) ?? 0
        let source = args.positionals(count: 1, usage: "correlation SOURCE --metric NAME [--windows K] [--max-lag L]")[0]
        guard let metric, !metric.isEmpty else { Output.fail("correlation needs --metric NAME") }
        guard !model.isEmpty else { Output.fail("--model needs a non-empty name") }
        let request = PerformanceCorrelationRequest(source: source, model: model, metric: metric, windows: UInt32(windows),
                                                    maxLag: UInt32(maxLag))
        let client = server.connect()
        let r = server.call(.performanceCorrelation) { () throws(DriftClientError) in try client.performanceCorrelation(request) }
        client.close()
        Output.emit(json ? MonitoringReport.correlationJSON(source: source, request, r).text + "\n"
                         : MonitoringReport.correlationText(source: source, request, r))
        exit(0)
    }
}
