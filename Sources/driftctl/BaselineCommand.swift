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

        Reads FILE.csv (header row required), maps its columns onto the source's features by name (typed as the
        source says; other columns are ignored) and uploads it as the source's new baseline, in blocks of at most
        N rows (default 100000; fewer when a block would exceed the server's frame limits). Prints the new
        baseline id, the rows, and whether the server keeps a sample.

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        guard args.words.first == "put" else { Output.fail("baseline needs a subcommand: put") }
        args = Arguments(Array(args.words.dropFirst()))
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
