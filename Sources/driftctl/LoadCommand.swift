import DriftColumnar
import DriftLoad

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl load`: a load generator for driftd's CheckDrift, like `ghz` for gRPC. The work is in `DriftLoad`;
/// this file reads the options and prints.
enum LoadCommand {
    static let usage = """
        USAGE: driftctl load [options] [server options]

        Creates a synthetic source (N float32 features, baseline of seeded standard normals) if missing, encodes a
        pool of request blocks once, then sends CheckDrift (or Ingest) requests and reports throughput and latency.

        DATA:
          --source NAME         source to use (default load-<features>f)
          --features N          float32 features (default 8)
          --rows N              rows per request (default 10000)
          --baseline-rows N     baseline rows, uploaded in blocks that fit the frame limits (default 1000000)
          --reuse-baseline      keep the source's current baseline when it has one
          --block-pool N        distinct request blocks, encoded and compressed once (default 8)
          --drift-share X       fraction of pool blocks with a 0.3σ shift on half the features (default 0)
          --encoding E          plain | split (byte-stream-split floats) (default plain)
          --seed N              seed of the data (default 42)
          --compression-level N zstd level of the blocks (default 1)
          --dump DIR            also write baseline and pool as little-endian float32 files + manifest.json
        LOAD:
          --method M            check (CheckDrift, default) | ingest (Ingest into hourly windows of a source
                                load-<features>f-ingest, one idempotency key per request, durable when answered)
          --blocks-per-window N ingest: requests per hourly window of event time (default 100)
          --connections C       connections, one client each (default 2)
          --in-flight K         requests outstanding per connection (closed loop), at most (open loop) (default 4)
          --rate R              open loop: R requests/s in total at fixed intervals, latency from the intended
                                send time (no coordinated omission); default: closed loop
          --duration S          seconds per measured phase (default 10 unless --requests)
          --requests N          requests per measured phase
          --warmup S            seconds of unrecorded load before each phase (default 0)
          --budget-ms N         latency budget per request
          --approximate         allow approximate answers to meet the budget
          --sweep F1,F2,…       a closed-loop phase to find the peak rate, then open-loop phases at these
                                fractions of it (e.g. 0.5,0.9)
        OUTPUT:
          --json                one JSON object (an array of them with --sweep)
          --quiet               no progress messages on stderr

        """

    static func run(_ args: inout Arguments, _ server: ServerOptions) -> Never {
        var c = LoadConfiguration(client: server.clientConfiguration(name: "driftctl-load"))
        c.source = args.value("--source")
        c.features = args.integer("--features", in: 1...4096) ?? c.features
        c.rows = args.integer("--rows", in: 1...100_000_000) ?? c.rows
        c.baselineRows = args.integer("--baseline-rows", in: 1...1_000_000_000) ?? c.baselineRows
        c.reuseBaseline = args.flag("--reuse-baseline")
        c.blockPool = args.integer("--block-pool", in: 1...10_000) ?? c.blockPool
        c.driftShare = args.number("--drift-share", in: 0...1) ?? c.driftShare
        switch args.value("--encoding") {
        case nil, "plain": c.encoding = .plain
        case "split": c.encoding = .byteStreamSplit
        case let other?: Output.fail("--encoding must be plain or split (got '\(other)')")
        }
        if let seed = args.value("--seed") {
            guard let s = UInt64(seed.replacingUnderscores) else { Output.fail("--seed needs a non-negative integer") }
            c.seed = s
        }
        c.compressionLevel = Int32(args.integer("--compression-level", in: -7...22) ?? 1)
        c.dumpDirectory = args.value("--dump")
        switch args.value("--method") {
        case nil, "check"?: c.method = .checkDrift
        case "ingest"?: c.method = .ingest
        case let other?: Output.fail("--method must be check or ingest (got '\(other)')")
        }
        c.blocksPerWindow = args.integer("--blocks-per-window", in: 1...3_600_000) ?? c.blocksPerWindow
        c.connections = args.integer("--connections", in: 1...1024) ?? c.connections
        c.inFlight = args.integer("--in-flight", in: 1...100_000) ?? c.inFlight
        c.rate = args.number("--rate", in: 1e-3...1e9)
        c.duration = args.number("--duration", in: 1e-3...1e6).map(seconds)
        c.requests = args.integer("--requests", in: 1...Int(Int32.max))
        c.warmup = args.number("--warmup", in: 0...1e6).map(seconds) ?? .zero
        c.budgetMs = server.budgetMs
        c.allowApproximate = args.flag("--approximate")
        if let sweep = args.value("--sweep") {
            c.sweep = sweep.split(separator: ",").map { part in
                guard let x = Double(part), x > 0, x <= 10 else {
                    Output.fail("--sweep needs fractions of the peak rate like 0.5,0.9 (got '\(part)')")
                }
                return x
            }
            if c.sweep.isEmpty { Output.fail("--sweep needs at least one fraction") }
            if c.rate != nil { Output.fail("--sweep finds its rates itself; leave out --rate") }
        }
        let json = args.flag("--json")
        let quiet = args.flag("--quiet")
        _ = args.positionals(count: 0, usage: "load [options]  (see driftctl load --help)")

        let test = LoadTest(configuration: c, log: { message in if !quiet { Output.warn(message) } })
        let reports: [LoadReport]
        do { reports = try test.run() } catch {
            if let e = error.clientError {
                let text = server.describe(e)
                Output.fail(e.origin == .connection || error.action == nil ? text : "cannot \(error.action!): \(text)")
            }
            Output.fail(error.message)
        }
        if json {
            Output.emit((c.sweep.isEmpty ? reports[0].json : JSONValue.array(reports.map(\.json))).text + "\n")
        } else {
            Output.emit(LoadReport.table(reports))
        }
        if reports.allSatisfy({ $0.tally.ok == 0 }) {
            Output.fail("no request was answered OK" + (reports.first?.tally.firstError.map { "; first error: \($0)" } ?? ""))
        }
        exit(0)
    }

    static func seconds(_ s: Double) -> Duration { .nanoseconds(Int64((s * 1e9).rounded())) }
}
