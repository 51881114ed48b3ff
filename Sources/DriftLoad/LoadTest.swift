#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import DriftClient
import DriftColumnar
import DriftWire

/// A whole `driftctl load` run: prepare the source, baseline and block pool, then run the phases (one closed- or
/// open-loop phase, or a sweep: a closed-loop phase to find the peak rate, then open-loop phases at fractions
/// of it), each with an optional warm-up, and report every phase.
///
///     let test = LoadTest(configuration: config, log: { print($0) })
///     let reports = try test.run()
public struct LoadTest: Sendable {
    public let configuration: LoadConfiguration
    /// Ingest: the event time the next phase starts at.
    private let ingestCursor = IngestCursor()
    /// Progress messages ("uploading the baseline …"), for stderr.
    public let log: @Sendable (String) -> Void

    public init(configuration: LoadConfiguration, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.log = log
    }

    /// The data of this run.
    public var dataset: SyntheticDataset {
        SyntheticDataset(seed: configuration.seed, features: configuration.features, baselineRows: configuration.baselineRows,
                         blockRows: configuration.rows, blockCount: configuration.blockPool,
                         driftShare: configuration.driftShare)
    }

    /// The source definition a load test uses: `features` float32 features `f0`, `f1`, …, no policy overrides.
    /// For Ingest, hourly event-time windows with a grace of one window.
    public var sourceSpec: SourceSpec {
        SourceSpec(name: configuration.sourceName,
                   features: dataset.featureNames.map { FeatureSpec(name: $0, type: FeatureType.float32.wireValue) },
                   monitoring: configuration.method == .ingest
                       ? MonitoringSpec(windowLengthMs: UInt64(Self.hourMs), graceMs: UInt64(Self.hourMs)) : nil)
    }

    static let hourMs: Int64 = 3_600_000

    /// Prepares and runs every phase; the connections are closed at the end.
    /// - Throws: `LoadError` when the server cannot be reached, refuses the source or baseline, or the data does
    ///   not fit its limits.
    public func run() throws(LoadError) -> [LoadReport] {
        let control = try connect("driftctl-load-control")
        defer { control.close() }
        let pool = try prepare(control)
        var clients: [DriftClient] = []
        defer { for c in clients { c.close() } }
        for i in 0..<configuration.connections { clients.append(try connect("driftctl-load-\(i)")) }
        let inFlight = min(configuration.inFlight, Int(max(1, control.limits.maxConcurrentStreams)))
        if inFlight < configuration.inFlight {
            log("the server allows \(inFlight) requests in flight per connection; using \(inFlight)")
        }
        let generator = LoadGenerator(clients: clients, source: configuration.sourceName, pool: pool)
        var reports: [LoadReport] = []
        if configuration.method == .ingest {
            // Event times start a week back (the server refuses event times more than a day ahead of its clock;
            // a week leaves ~190 hourly windows of room) or, for a re-run against the same server, 3 h after the
            // source's last closed window so that nothing lands in a closed window.
            let status = try call("get the status of \(configuration.sourceName)") { () throws(DriftClientError) in
                try control.sourceStatus(configuration.sourceName)
            }
            ingestCursor.value.withLock {
                $0 = max(Self.alignedWallClockMs() - 7 * 24 * Self.hourMs, (status.lastClosedWindow?.endMs ?? 0) + 3 * Self.hourMs)
            }
        }
        if configuration.sweep.isEmpty {
            if let rate = configuration.rate {
                reports.append(try phase("open", .openLoop(rate: rate), inFlight, generator, control))
            } else {
                reports.append(try phase("closed", .closedLoop, inFlight, generator, control))
            }
        } else {
            let peak = try phase("peak (closed)", .closedLoop, inFlight, generator, control)
            reports.append(peak)
            guard peak.requestsPerSecond > 0 else { throw LoadError("the closed-loop phase completed no requests; no peak rate to sweep") }
            for fraction in configuration.sweep {
                let rate = peak.requestsPerSecond * fraction
                let name = "open " + Format.compact(fraction * 100, maxDecimals: 2) + "%"
                reports.append(try phase(name, .openLoop(rate: rate), inFlight, generator, control))
            }
        }
        return reports
    }

    /// Creates the source when missing, uploads the baseline (unless reused), writes the dump, encodes the pool.
    func prepare(_ control: DriftClient) throws(LoadError) -> BlockPool {
        let spec = sourceSpec
        let data = dataset
        let created = try call("create source \(spec.name)") { () throws(DriftClientError) in try control.createSource(spec) }
        log(created ? "created source \(spec.name) (\(spec.features.count) float32 features)" : "source \(spec.name) exists")
        // As few baseline blocks as the frame limits allow (each block is one PutBaseline request).
        let planner = BlockPlanner(limits: control.limits, preferredRows: max(1, data.baselineRows),
                                   compressionLevel: configuration.compressionLevel)
        var baseline: [[Float]]? = nil
        let current = try call("get source \(spec.name)") { () throws(DriftClientError) in try control.getSource(spec.name) }
        if configuration.reuseBaseline, let id = current.baselineID {
            log("reusing baseline \(id) of \(spec.name)")
        } else {
            log("generating a baseline of \(Format.grouped(data.baselineRows)) rows × \(data.features) features (seed \(data.seed))")
            let columns = data.baselineColumns()
            baseline = columns
            let blocks: [EncodedBlock]
            do {
                blocks = try planner.blocks(rowCount: data.baselineRows, bytesPerRow: 4 * data.features) { rows in
                    try data.encoder(columns, rows: rows, encoding: configuration.encoding)
                }
            } catch { throw LoadError("baseline: \(error)") }
            log("uploading the baseline in \(blocks.count) block(s), \(Format.grouped(blocks.reduce(0) { $0 + $1.bytes.count })) bytes")
            let response = try call("upload the baseline of \(spec.name)") { () throws(DriftClientError) in
                try control.putBaseline(source: spec.name, blocks: blocks, budgetMs: nil)
            }
            log("baseline \(response.baselineID): \(Format.grouped(response.rows)) rows"
                + (response.sampled ? ", sampled to \(Format.grouped(response.sampleSize)) per feature" : ""))
        }
        if let directory = configuration.dumpDirectory {
            do { try DatasetDump(directory: directory).write(data, baseline: baseline) } catch { throw LoadError("\(error)") }
            log("wrote the baseline and \(data.blockCount) blocks as float32 files to \(directory) (manifest.json)")
        }
        let pool: BlockPool
        do { pool = try BlockPool(dataset: data, encoding: configuration.encoding, planner: planner) } catch {
            throw LoadError("request blocks: \(error)")
        }
        log("encoded \(pool.blocks.count) request blocks of \(Format.grouped(data.blockRows)) rows × \(data.features) features "
            + "(\(Format.grouped(pool.totalBytes / max(1, pool.blocks.count))) bytes each, \(configuration.encoding == .plain ? "plain" : "byte-stream-split"), "
            + "\(data.driftedBlockCount) drifted)")
        return pool
    }

    /// Runs one phase (warm-up first, unrecorded) and reports it with the server's budget-miss delta.
    private func phase(_ name: String, _ pacing: LoadPlan.Pacing, _ inFlight: Int, _ generator: LoadGenerator,
                       _ control: DriftClient) throws(LoadError) -> LoadReport {
        let c = configuration
        if c.warmup > .zero {
            log("\(name): warming up for \(c.warmup)")
            let (t, _) = generator.run(LoadPlan(pacing: pacing, inFlight: inFlight, duration: c.warmup, budgetMs: c.budgetMs,
                                                allowApproximate: c.allowApproximate, ingest: nextIngestPlan(name + "-warmup")))
            advanceIngestCursor(sent: t.sent)
        }
        let plan = LoadPlan(pacing: pacing, inFlight: inFlight, duration: c.phaseDuration, requests: c.requests,
                            budgetMs: c.budgetMs, allowApproximate: c.allowApproximate, ingest: nextIngestPlan(name))
        let before = try? control.serverStats()
        log("\(name): running")
        let (tally, duration) = generator.run(plan)
        advanceIngestCursor(sent: tally.sent)
        let after = try? control.serverStats()
        var misses: UInt64? = nil
        if let before, let after, after.budgetMissesTotal >= before.budgetMissesTotal {
            misses = after.budgetMissesTotal - before.budgetMissesTotal
        }
        var rate: Double? = nil
        if case .openLoop(let r) = pacing { rate = r }
        return LoadReport(phase: name, mode: rate == nil ? .closed : .open, targetRate: rate, connections: c.connections,
                          inFlight: inFlight, rowsPerRequest: c.rows, featuresPerRequest: c.features, duration: duration,
                          tally: tally, serverBudgetMisses: misses)
    }

    /// The Ingest plan of the next phase (nil for CheckDrift): fresh idempotency keys, event times from the cursor.
    private func nextIngestPlan(_ phase: String) -> LoadPlan.IngestPlan? {
        guard configuration.method == .ingest else { return nil }
        let step = Self.hourMs / Int64(max(1, configuration.blocksPerWindow))
        let base = ingestCursor.value.withLock { $0 }
        return LoadPlan.IngestPlan(keyPrefix: "load-\(base)-\(phase)", baseMs: base, stepMs: max(1, step))
    }

    /// Moves the event-time cursor past a phase's requests and two windows more (its last windows stay open for
    /// the grace period; the next phase starts in fresh ones).
    private func advanceIngestCursor(sent: Int) {
        guard configuration.method == .ingest else { return }
        let step = max(1, Self.hourMs / Int64(max(1, configuration.blocksPerWindow)))
        ingestCursor.value.withLock { c in
            let end = c + Int64(sent) * step + 2 * Self.hourMs
            c = (end / Self.hourMs + 1) * Self.hourMs
        }
    }

    /// The wall clock, rounded down to the hour.
    static func alignedWallClockMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let ms = Int64(ts.tv_sec) * 1000
        return ms / hourMs * hourMs
    }

    private func connect(_ name: String) throws(LoadError) -> DriftClient {
        var config = configuration.client
        config.clientName = name
        do { return try DriftClient(configuration: config) } catch { throw LoadError(error) }
    }

    private func call<T>(_ what: String, _ body: () throws(DriftClientError) -> T) throws(LoadError) -> T {
        do { return try body() } catch { throw LoadError(error, while: what) }
    }
}

/// The event-time cursor of an Ingest load test, shared by the copies of its `LoadTest`.
final class IngestCursor: Sendable {
    let value = Mutex<Int64>(0)
}
