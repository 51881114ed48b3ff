import DriftClient
import DriftLoad
import DriftWire
import Foundation

/// `driftctl ingest SOURCE FILE.csv`: streams a CSV file into the source's monitoring windows (Ingest, method 7).
enum IngestCommand {
    static let usage = """
        USAGE: driftctl ingest SOURCE FILE.csv [--key K] [--timestamp-ms T] [--allow-late] [--block-rows N] [--json]
                               [server options]

        Reads FILE.csv (header row required), maps its columns onto the source's features by name (as check does;
        the source's event-time column travels too) and sends it to the source's monitoring windows in blocks that
        fit the server's frame limits. Prints the rows accepted, late and duplicate, the windows touched, and every
        window this ingest closed with its verdicts, drifting features first.
          --key K           idempotency key: a re-run with the same key is not counted twice. A file sent as one
                            block uses K; several blocks use K/0, K/1, … (the same file and --block-rows give the
                            same blocks, so a re-run after a failure resends only what is missing)
          --timestamp-ms T  event time of every row, for a source without an event-time column: ms since the
                            epoch, ISO-8601 UTC (2026-12-04T10:00:00Z) or relative (-1h)
          --allow-late      fold rows older than the grace period in anyway (else the server refuses the block)
          --block-rows N    at most N rows per block (default 100000)
          --json            one JSON object instead of the text

        EXIT STATUS: 0 ingested, 1 a window this ingest closed drifts, 2 error.

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        let json = args.flag("--json")
        let allowLate = args.flag("--allow-late")
        let key = args.value("--key")
        let timestamp = args.time("--timestamp-ms", nowMs: nowMs())
        let blockRows = args.integer("--block-rows", in: 1...100_000_000) ?? BlockPlanner.defaultRowsPerBlock
        let positionals = args.positionals(count: 2, usage: "ingest SOURCE FILE.csv [--key K] [--timestamp-ms T] [--allow-late]")
        let (source, path) = (positionals[0], positionals[1])
        if let key, key.isEmpty { Output.fail("--key needs a non-empty value") }
        let client = server.connect()
        let columns = TableInput.load(source: source, path: path, client: client, server: server,
                                      eventTimeColumn: timestamp == nil)
        guard columns.rowCount > 0 else { Output.fail("\(path) has no data rows") }
        let blocks: [EncodedBlock]
        do {
            blocks = try BlockPlanner(limits: client.limits, preferredRows: blockRows)
                .blocks(rowCount: columns.rowCount, bytesPerRow: columns.bytesPerRow) { rows in try columns.encoder(rows: rows) }
        } catch { Output.fail("\(path): \(error.message)") }
        let keys = blockKeys(key, count: blocks.count)
        if let longest = keys.max(by: { $0.utf8.count < $1.utf8.count }), longest.utf8.count > IngestRequest.maxIdempotencyKeyBytes {
            Output.fail("--key: the idempotency key \(longest) is \(longest.utf8.count) bytes; at most "
                        + "\(IngestRequest.maxIdempotencyKeyBytes)")
        }
        var done: [MonitoringReport.IngestBlock] = []
        var firstRow = 0
        for (i, block) in blocks.enumerated() {
            do {
                let r = try client.ingest(source: source, block: block, idempotencyKey: keys[i], blockTimestampMs: timestamp,
                                          allowLate: allowLate, budgetMs: server.budgetMs)
                done.append(MonitoringReport.IngestBlock(rows: block.rowCount, key: keys[i], response: r))
            } catch {
                var message = server.describe(error, method: .ingest)
                if blocks.count > 1 {
                    message = "block \(i + 1) of \(blocks.count) (rows \(firstRow + 1)–\(firstRow + block.rowCount)): " + message
                    if !done.isEmpty {
                        message += "; blocks 1–\(i) were applied"
                        message += key == nil ? " (without --key a re-run counts them again)"
                            : " (re-running the same command resends only the rest)"
                    }
                }
                Output.fail(message)
            }
            firstRow += block.rowCount
        }
        client.close()
        let summary = MonitoringReport.IngestSummary(source: source, file: path, blocks: done)
        Output.emit(json ? MonitoringReport.ingestJSON(summary).text + "\n" : MonitoringReport.ingestText(summary))
        exit(summary.driftingWindows > 0 ? 1 : 0)
    }

    /// The idempotency key of each of `count` blocks: none without `key`, `key` for one block, else key/0, key/1, ….
    static func blockKeys(_ key: String?, count: Int) -> [String] {
        guard let key else { return Array(repeating: "", count: count) }
        return count == 1 ? [key] : (0..<count).map { "\(key)/\($0)" }
    }

    /// Now, in ms since the epoch (for relative times).
    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
