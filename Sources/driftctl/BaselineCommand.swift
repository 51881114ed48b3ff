import DriftClient
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl baseline put SOURCE FILE.csv`: uploads a CSV file as the source's new baseline.
enum BaselineCommand {
    static let usage = """
        USAGE: driftctl baseline put SOURCE FILE.csv [--block-rows N] [server options]
               driftctl baseline list SOURCE [--json] [server options]
               driftctl baseline promote SOURCE ID [--json] [server options]
               driftctl baseline rollback SOURCE [--json] [server options]

        put       reads FILE.csv (header row required), maps its columns onto the source's features by name (typed
                  as the source says; other columns are ignored) and uploads it as the source's new baseline, in
                  blocks of at most N rows (default 100000; fewer when a block would exceed the server's frame
                  limits). Prints the new baseline id, the rows, and whether the server keeps a sample.
        list      every baseline version of the source: id, current (*), kind (fixed or rolling), rows, created
        promote   makes version ID the current baseline
        rollback  makes the version current before the present one current again
          --json  one JSON object instead of the text (list, promote, rollback)

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        guard let sub = args.words.first else { Output.fail("baseline needs a subcommand: put, list, promote or rollback") }
        args = Arguments(Array(args.words.dropFirst()))
        switch sub {
        case "put": put(&args, server)
        case "list": list(&args, server)
        case "promote", "rollback": change(sub, &args, server)
        default: Output.fail("unknown baseline subcommand '\(sub)'; use put, list, promote or rollback")
        }
    }

    private static func list(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let json = args.flag("--json")
        let source = args.positionals(count: 1, usage: "baseline list SOURCE [--json]")[0]
        let client = server.connect()
        let versions = server.call(.listBaselines) { () throws(DriftClientError) in try client.listBaselines(source) }
        client.close()
        Output.emit(json ? MonitoringReport.baselinesJSON(source: source, versions).text + "\n"
                         : MonitoringReport.baselinesText(source: source, versions))
        exit(0)
    }

    private static func change(_ sub: String, _ args: inout Arguments, _ server: ServerOptions) -> Never {
        let json = args.flag("--json")
        let response: BaselineChangeResponse
        let source: String
        let client: DriftClient
        if sub == "promote" {
            let p = args.positionals(count: 2, usage: "baseline promote SOURCE ID [--json]")
            source = p[0]
            guard let id = UInt64(p[1].replacingUnderscores), id > 0 else {
                Output.fail("baseline promote: '\(p[1])' is not a baseline id (a positive integer; see driftctl baseline list)")
            }
            client = server.connect()
            response = server.call(.promoteBaseline) { () throws(DriftClientError) in
                try client.promoteBaseline(source: source, baselineID: id)
            }
        } else {
            source = args.positionals(count: 1, usage: "baseline rollback SOURCE [--json]")[0]
            client = server.connect()
            response = server.call(.rollbackBaseline) { () throws(DriftClientError) in try client.rollbackBaseline(source: source) }
        }
        client.close()
        Output.emit(json ? MonitoringReport.baselineChangeJSON(source: source, response).text + "\n"
                         : MonitoringReport.baselineChangeText(source: source, verb: sub == "promote" ? "promoted" : "rolled back",
                                                               response))
        exit(0)
    }

    private static func put(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let blockRows = args.integer("--block-rows", in: 1...100_000_000) ?? BlockPlanner.defaultRowsPerBlock
        let positionals = args.positionals(count: 2, usage: "baseline put SOURCE FILE.csv [--block-rows N]")
        let (source, path) = (positionals[0], positionals[1])
        let client = server.connect()
        defer { client.close() }
        let columns = TableInput.load(source: source, path: path, client: client, server: server)
        guard columns.rowCount > 0 else { Output.fail("\(path) has no data rows") }
        let planner = BlockPlanner(limits: client.limits, preferredRows: blockRows)
        let blocks: [EncodedBlock]
        do {
            blocks = try planner.blocks(rowCount: columns.rowCount, bytesPerRow: columns.bytesPerRow) { rows in
                try columns.encoder(rows: rows)
            }
        } catch { Output.fail("\(path): \(error.message)") }
        let r = server.call { () throws(DriftClientError) in try client.putBaseline(source: source, blocks: blocks) }
        var out = "baseline \(r.baselineID) of \(source): \(Format.grouped(r.rows)) rows in \(blocks.count) block\(blocks.count == 1 ? "" : "s")"
        out += r.sampled ? "; sampled: \(Format.grouped(r.sampleSize)) rows kept per numeric feature\n"
                         : "; not sampled (all \(Format.grouped(r.sampleSize == 0 ? r.rows : r.sampleSize)) rows kept)\n"
        Output.emit(out)
        client.close()
        exit(0)
    }
}
