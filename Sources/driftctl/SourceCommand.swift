import DriftClient
import DriftColumnar
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl source create|list|get`.
enum SourceCommand {
    static let usage = """
        USAGE: driftctl source create NAME (--schema FILE.json | --from-csv FILE.csv) [server options]
               driftctl source list [--json] [server options]
               driftctl source get NAME [--json] [server options]

        create   defines a source: its features, their types and policy overrides. Idempotent: an identical
                 definition prints "exists (identical definition)"; a different one under the same name is an error.
                 --schema FILE.json  {"features": [{"name": "income", "type": "float64",
                                       "policy": {"significance": 0.01, "psi_warning": 0.1, "bins": 10}}]}
                                     types: float32 float64 int64 bool categorical timestamp_ms; policy keys:
                                     significance psi_warning psi_critical wasserstein_warning wasserstein_critical
                                     js_warning js_critical null_rate_warning null_rate_critical bins
                                     optional "monitoring": {"window": "1h", "event_time_column": "ts",
                                       "grace_ms": 600000, "baseline": "rolling", "rolling_windows": 24, ...}
                                     keys: window (or window_length_ms) window_rows event_time_column grace_ms
                                     value_cap max_event_age_ms max_arrival_interval_ms baseline (fixed|rolling)
                                     rolling_windows persistence_k recovery_j benjamini_hochberg
                                     correlation_groups [["a", "b"], ...]; *_ms keys take ms or "10m"
                 --from-csv FILE.csv infer the features from a CSV header and values (numeric columns float64,
                                     others categorical)
        list     every source and its features
        get      one source: features, types, policy overrides, current baseline id (--json: the schema form)

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        guard let sub = args.words.first else { Output.fail("source needs a subcommand: create, list or get") }
        args = Arguments(Array(args.words.dropFirst()))
        switch sub {
        case "create": create(&args, server)
        case "list": list(&args, server)
        case "get": get(&args, server)
        default: Output.fail("unknown source subcommand '\(sub)'; use create, list or get")
        }
        exit(0)
    }

    private static func create(_ args: inout Arguments, _ server: ServerOptions) {
        let schema = args.value("--schema"), csv = args.value("--from-csv")
        let name = args.positionals(count: 1, usage: "source create NAME (--schema FILE.json | --from-csv FILE.csv)")[0]
        let spec: SourceSpec
        switch (schema, csv) {
        case (let path?, nil):
            do { spec = try SchemaFile.load(path: path, name: name) } catch { Output.fail(error.message) }
        case (nil, let path?):
            do { spec = SourceSpec.inferred(name: name, from: try CSVReader().read(path: path)) } catch {
                Output.fail(error.description)
            }
        default:
            Output.fail("source create needs exactly one of --schema FILE.json or --from-csv FILE.csv")
        }
        let client = server.connect()
        defer { client.close() }
        let created = server.call { () throws(DriftClientError) in try client.createSource(spec) }
        Output.emit(created ? "created\n" : "exists (identical definition)\n")
    }

    private static func list(_ args: inout Arguments, _ server: ServerOptions) {
        let json = args.flag("--json")
        _ = args.positionals(count: 0, usage: "source list [--json]")
        let client = server.connect()
        defer { client.close() }
        let sources = server.call { () throws(DriftClientError) in try client.listSources() }
        if json {
            let items = sources.map { s in JSONValue.object([("name", .string(s.name)), ("features", SchemaFile.json(s.features))]) }
            Output.emit(JSONValue.object([("sources", .array(items))]).text + "\n")
            return
        }
        guard !sources.isEmpty else { return Output.emit("no sources\n") }
        var t = TextTable(header: ["source", "features", "types"], rightAligned: [1])
        for s in sources {
            var counts: [String: Int] = [:]
            for f in s.features { counts[FeatureType.name(ofWireValue: f.type), default: 0] += 1 }
            let types = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            t.append([s.name, String(s.features.count), types])
        }
        Output.emit(t.text)
    }

    private static func get(_ args: inout Arguments, _ server: ServerOptions) {
        let json = args.flag("--json")
        let name = args.positionals(count: 1, usage: "source get NAME [--json]")[0]
        let client = server.connect()
        defer { client.close() }
        let response = server.call { () throws(DriftClientError) in try client.getSource(name) }
        let s = response.source
        if json {
            var fields: [(String, JSONValue)] = [("name", .string(s.name)), ("baseline_id", .optional(response.baselineID)),
                                                 ("features", SchemaFile.json(s.features))]
            if let m = s.monitoring { fields.append(("monitoring", SchemaFile.monitoringJSON(m))) }
            Output.emit(JSONValue.object(fields).text + "\n")
            return
        }
        var out = "source \(s.name): \(s.features.count) feature\(s.features.count == 1 ? "" : "s"), "
        out += response.baselineID.map { "current baseline \($0)" } ?? "no baseline yet"
        out += "\n"
        if let m = s.monitoring { out += "monitoring: " + SchemaFile.monitoringSummary(m) + "\n" }
        out += "\n"
        var t = TextTable(header: ["feature", "type", "policy overrides"])
        for f in s.features {
            let policy = SchemaFile.policyFields(f.policy).map { "\($0.0)=\($0.1.text)" }.joined(separator: " ")
            t.append([f.name, FeatureType.name(ofWireValue: f.type), policy.isEmpty ? "-" : policy])
        }
        Output.emit(out + t.text)
    }
}
