#if canImport(Glibc)
import Glibc
#endif

/// `driftctl`: the command-line client of driftd. `compare` works offline; the other commands talk to a server.
let overview = """
    OVERVIEW: driftctl — command-line client of driftd.

    USAGE: driftctl compare BASELINE.csv CURRENT.csv [--json] [--bins N] [options]
           driftctl source create NAME (--schema FILE.json | --from-csv FILE.csv)
           driftctl source list [--json]
           driftctl source get NAME [--json]
           driftctl baseline put SOURCE FILE.csv [--block-rows N]
           driftctl baseline list SOURCE | promote SOURCE ID | rollback SOURCE [--json]
           driftctl check SOURCE FILE.csv [--budget-ms N] [--approximate] [--json]
           driftctl ingest SOURCE FILE.csv [--key K] [--timestamp-ms T] [--allow-late] [--json]
           driftctl metric report SOURCE --metric NAME --window-start T --value V [--model M] [--json]
           driftctl history SOURCE [--feature F] [--since T] [--until T] [--kind K] [--min-severity S] [--limit N] [--json]
           driftctl status SOURCE [--json]
           driftctl window ack SOURCE --window-start T [--json]
           driftctl correlation SOURCE --metric NAME [--windows K] [--max-lag L] [--json]
           driftctl silence add MATCHER... [--duration D | --end T] [--author A] [--comment C] | expire ID... | list
           driftctl alerts [--limit N] [--json]
           driftctl stats [--json]
           driftctl top [--http HOST:PORT] [--interval-ms N] [--once | --iterations N]
           driftctl load [--connections C] [--in-flight K] [--rate R] [--duration S | --requests N] [--json] …

    compare works offline on two CSV files; the other commands talk to driftd.
    driftctl help COMMAND (or COMMAND --help) describes a command and its options.

    SERVER OPTIONS (anywhere on the command line):
      --server HOST:PORT       driftd's address (default 127.0.0.1:7400)
      --token TOKEN            auth token           --token-file FILE   read the token from FILE
      --budget-ms N            latency budget of each request

    TIMES (--since, --until, --window-start, --timestamp-ms): ms since the epoch, ISO-8601 UTC
    (2026-12-04T10:00:00Z) or relative to now (-24h, -7d, -90m).

    EXIT STATUS: 0 success (no drift), 1 drift found (compare, check; ingest: a window it closed drifts),
                 2 usage, input, connection or server error.

    """

let commandUsage: [String: String] = [
    "compare": CompareCommand.usage, "source": SourceCommand.usage, "baseline": BaselineCommand.usage,
    "check": CheckCommand.usage, "stats": StatsCommand.usage, "load": LoadCommand.usage,
    "ingest": IngestCommand.usage, "metric": MetricCommand.usage, "history": HistoryCommand.usage,
    "status": StatusCommand.usage, "window": WindowCommand.usage, "correlation": CorrelationCommand.usage,
    "top": TopCommand.usage, "silence": SilenceCommand.usage, "alerts": AlertsCommand.usage,
]

let words = Array(CommandLine.arguments.dropFirst())
guard let command = words.first else {
    Output.emit(overview)
    exit(2)
}
if ["-h", "--help", "help"].contains(command) {
    if words.count > 1, let text = commandUsage[words[1]] { Output.emit(text) } else { Output.emit(overview) }
    exit(0)
}
guard let usage = commandUsage[command] else { Output.fail("unknown command '\(command)'; try driftctl --help") }
if words.contains("-h") || words.contains("--help") {
    Output.emit(command == "compare" ? overview + "\n" + usage : usage)
    exit(0)
}
var arguments = Arguments(Array(words.dropFirst()))
if command == "compare" { CompareCommand.run(arguments.words) }
let server = ServerOptions.extract(from: &arguments)
switch command {
case "source": SourceCommand.run(&arguments, server)
case "baseline": BaselineCommand.run(&arguments, server)
case "check": CheckCommand.run(&arguments, server)
case "stats": StatsCommand.run(&arguments, server)
case "top": TopCommand.run(&arguments, server)
case "load": LoadCommand.run(&arguments, server)
case "ingest": IngestCommand.run(&arguments, server)
case "metric": MetricCommand.run(&arguments, server)
case "history": HistoryCommand.run(&arguments, server)
case "status": StatusCommand.run(&arguments, server)
case "window": WindowCommand.run(&arguments, server)
case "correlation": CorrelationCommand.run(&arguments, server)
case "silence": SilenceCommand.run(&arguments, server)
case "alerts": AlertsCommand.run(&arguments, server)
default: Output.fail("unknown command '\(command)'; try driftctl --help")
}
