import DriftClient
import DriftLoad
import DriftWire

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl check SOURCE FILE.csv`: one CheckDrift of a CSV file against the source's current baseline.
enum CheckCommand {
    static let usage = """
        USAGE: driftctl check SOURCE FILE.csv [--budget-ms N] [--approximate] [--json] [server options]

        Sends FILE.csv (mapped onto the source's features by name) as one block and prints the verdict per
        feature: decision, severity, KS D, p-value, PSI, Wasserstein distance in baseline σ, null rates, notes.
          --budget-ms N    latency budget of the request (the server answers DEADLINE_EXCEEDED when it cannot meet it)
          --approximate    let the server answer with a cheaper, flagged method to meet the budget
          --json           one JSON object instead of the table

        EXIT STATUS: 0 no drift, 1 drift found, 2 error.

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let json = args.flag("--json")
        let approximate = args.flag("--approximate")
        let positionals = args.positionals(count: 2, usage: "check SOURCE FILE.csv [--budget-ms N] [--approximate] [--json]")
        let (source, path) = (positionals[0], positionals[1])
        let client = server.connect()
        let columns = TableInput.load(source: source, path: path, client: client, server: server)
        let block: EncodedBlock
        do {
            block = try BlockPlanner(limits: client.limits).singleBlock(rowCount: columns.rowCount) { rows in
                try columns.encoder(rows: rows)
            }
        } catch { Output.fail("\(path): \(error.message)") }
        let response = server.call { () throws(DriftClientError) in
            try client.checkDrift(source: source, block: block, budgetMs: server.budgetMs, allowApproximate: approximate)
        }
        client.close()
        let report = VerdictReport(source: source, file: path, rows: columns.rowCount, response: response)
        Output.emit(json ? report.json.text + "\n" : report.table)
        exit(report.drifted > 0 ? 1 : 0)
    }
}
