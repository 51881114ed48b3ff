import DriftClient
import DriftColumnar
import DriftServer
import DriftTestSupport
import DriftWire
import Foundation
import Synchronization
import Testing

/// Ingest, window closing, GetSourceStatus and AcknowledgeWindow end to end: a real driftd on loopback, driven
/// with `DriftClient`.
@Suite("Monitoring: ingest and windows over the wire")
struct DriftClientIngestTests {
    static let hour: Int64 = 3_600_000
    /// 2026-12-01T00:00:00Z: an hour boundary, far enough in the past for the idle timer.
    static let t0: Int64 = 1_796_083_200_000

    func source(_ name: String, _ m: MonitoringSpec) -> SourceSpec {
        SourceSpec(name: name, features: features, monitoring: m)
    }

    /// A source with a fixed N(0, 1) / {a, b, c} baseline of 20,000 rows.
    func fixedSource(_ client: DriftClient, _ name: String, grace: UInt64 = 60_000) throws {
        _ = try client.createSource(source(name, MonitoringSpec(graceMs: grace)))
        _ = try client.putBaseline(source: name, blocks: [try block(rows: 20_000, seed: 7)])
    }

    @Test("rows fold into hourly windows; a row past end + grace closes the window with one verdict per feature")
    func windowsCloseByWatermark() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        try fixedSource(client, "orders")
        let a = try client.ingest(source: "orders", block: try block(rows: 3000, seed: 1), blockTimestampMs: Self.t0 + 10)
        #expect(a.rowsAccepted == 3000 && a.rowsLate == 0 && !a.duplicate)
        #expect(a.windowsTouched == [WindowRange(startMs: Self.t0, endMs: Self.t0 + Self.hour)])
        #expect(a.windowsClosed.isEmpty)
        _ = try client.ingest(source: "orders", block: try block(rows: 2000, seed: 2),
                              blockTimestampMs: Self.t0 + Self.hour - 1)
        // Inside the grace period after the end: window 0 stays open.
        let b = try client.ingest(source: "orders", block: try block(rows: 1000, seed: 3),
                                  blockTimestampMs: Self.t0 + Self.hour + 59_999)
        #expect(b.windowsClosed.isEmpty)
        // end + grace: window 0 closes.
        let c = try client.ingest(source: "orders", block: try block(rows: 1000, seed: 4),
                                  blockTimestampMs: Self.t0 + Self.hour + 60_000)
        let closed = try #require(c.windowsClosed.first)
        #expect(c.windowsClosed.count == 1)
        #expect(closed.window == WindowRange(startMs: Self.t0, endMs: Self.t0 + Self.hour))
        #expect(closed.baselineID == 1)
        #expect(closed.verdicts.map(\.feature) == ["x", "c"])
        for v in closed.verdicts {
            #expect(v.currentN == 5000)
            #expect(v.baselineN == 20_000)
            #expect(v.decision == .stable)
        }
        let status = try client.sourceStatus("orders")
        #expect(status.lastClosedWindow == closed.window)
        #expect(status.baselineID == 1)
        #expect(status.features.map(\.feature) == ["x", "c"])
        #expect(status.features.allSatisfy { $0.status == .ok })
    }

    @Test("a 1σ shift is drifting after k = 2 windows and shows in the source status; clean windows recover it")
    func persistenceAndStatus() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        try fixedSource(client, "s", grace: 0)
        var closedVerdicts: [[FeatureVerdict]] = []
        for w in 0..<6 {
            let shift = (1...2).contains(w) ? 1.0 : 0
            let r = try client.ingest(source: "s", block: try block(rows: 2000, seed: UInt64(100 + w), xShift: shift),
                                      blockTimestampMs: Self.t0 + Int64(w) * Self.hour)
            closedVerdicts += r.windowsClosed.map(\.verdicts)
            if w == 2 {
                // Windows 0 and 1 closed: window 1 drifted once — pending, not drifting yet.
                let st = try client.sourceStatus("s")
                #expect(st.features.first { $0.feature == "x" }?.status == .ok)
            }
            if w == 3 {
                let st = try client.sourceStatus("s")
                let x = try #require(st.features.first { $0.feature == "x" })
                #expect(x.status == .drifting)
                #expect(x.sinceWindowStartMs == Self.t0 + Self.hour)
                #expect(x.severity == .critical)
                #expect(st.features.first { $0.feature == "c" }?.status == .ok)
            }
        }
        #expect(closedVerdicts.count == 5)
        let x = closedVerdicts.map { $0.first { $0.feature == "x" }! }
        #expect(x.map(\.decision) == [.stable, .drift, .drift, .stable, .stable])
        let st = try client.sourceStatus("s")
        #expect(st.features.first { $0.feature == "x" }?.status == .ok)
    }

    @Test("a retried idempotency key is answered duplicate and not counted twice, also after a restart")
    func idempotency() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        var client = try fx.client()
        try fixedSource(client, "s")
        let blk = try block(rows: 1500, seed: 11)
        let first = try client.ingest(source: "s", block: blk, idempotencyKey: "batch-1", blockTimestampMs: Self.t0)
        let again = try client.ingest(source: "s", block: blk, idempotencyKey: "batch-1", blockTimestampMs: Self.t0)
        #expect(!first.duplicate && again.duplicate && again.rowsAccepted == 1500)
        client.close()
        try fx.restart()
        client = try fx.client()
        defer { client.close() }
        let third = try client.ingest(source: "s", block: blk, idempotencyKey: "batch-1", blockTimestampMs: Self.t0)
        #expect(third.duplicate && third.rowsAccepted == 1500)
        // Another block in the same window after the restart, then close it: 1500 + 500 rows, not 4500.
        _ = try client.ingest(source: "s", block: try block(rows: 500, seed: 12), idempotencyKey: "batch-2",
                              blockTimestampMs: Self.t0 + 5)
        let close = try client.ingest(source: "s", block: try block(rows: 10, seed: 13),
                                      blockTimestampMs: Self.t0 + 2 * Self.hour)
        let w = try #require(close.windowsClosed.first)
        #expect(w.verdicts.allSatisfy { $0.currentN == 2000 })
        // A retry of a key whose window has closed since is still a duplicate, not late.
        let late = try client.ingest(source: "s", block: blk, idempotencyKey: "batch-1", blockTimestampMs: Self.t0)
        #expect(late.duplicate)
    }

    @Test("the window decided after a restart equals the one decided without (parts merge to the same state)")
    func restartGivesIdenticalVerdicts() throws {
        func run(restartAfter: Int?) throws -> [FeatureVerdict] {
            let fx = try ServerFixture()
            defer { fx.close() }
            var client = try fx.client()
            try fixedSource(client, "s")
            for i in 0..<4 {
                _ = try client.ingest(source: "s", block: try block(rows: 1000, seed: UInt64(20 + i), xShift: 0.05),
                                      idempotencyKey: "k\(i)", blockTimestampMs: Self.t0 + Int64(i))
                if i == restartAfter {
                    client.close()
                    try fx.restart()
                    client = try fx.client()
                }
            }
            defer { client.close() }
            let r = try client.ingest(source: "s", block: try block(rows: 10, seed: 99), blockTimestampMs: Self.t0 + 3 * Self.hour)
            return try #require(r.windowsClosed.first).verdicts
        }
        let straight = try run(restartAfter: nil)
        let restarted = try run(restartAfter: 1)
        #expect(straight == restarted)
        #expect(straight.first?.currentN == 4000)
    }

    @Test("late rows: refused without allow_late (nothing applied), counted with it")
    func lateRows() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        try fixedSource(client, "s", grace: 0)
        _ = try client.ingest(source: "s", block: try block(rows: 100, seed: 1), blockTimestampMs: Self.t0)
        _ = try client.ingest(source: "s", block: try block(rows: 100, seed: 2), blockTimestampMs: Self.t0 + Self.hour)
        let refused = try #require(caught {
            try client.ingest(source: "s", block: try block(rows: 50, seed: 3), blockTimestampMs: Self.t0 + 5)
        })
        #expect(refused.status == .failedPrecondition)
        #expect(refused.message.contains("50 rows belong to windows already closed"))
        let counted = try client.ingest(source: "s", block: try block(rows: 50, seed: 3), blockTimestampMs: Self.t0 + 5,
                                        allowLate: true)
        #expect(counted.rowsLate == 50 && counted.rowsAccepted == 0 && counted.windowsTouched.isEmpty)
        #expect(try client.sourceStatus("s").lateRows == 50)
    }

    @Test("bad ingests get their status: unknown source, no baseline, no event time, wrong column type, missing column")
    func badIngests() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        #expect(caught { try client.ingest(source: "nope", block: try block(rows: 10, seed: 1), blockTimestampMs: 0) }?
            .status == .notFound)
        _ = try client.createSource(source("nobase", MonitoringSpec()))
        let noBase = try #require(caught {
            try client.ingest(source: "nobase", block: try block(rows: 10, seed: 1), blockTimestampMs: Self.t0)
        })
        #expect(noBase.status == .failedPrecondition && noBase.message.contains("PutBaseline"))
        try fixedSource(client, "s")
        let noTime = try #require(caught { try client.ingest(source: "s", block: try block(rows: 10, seed: 1)) })
        #expect(noTime.status == .invalidArgument && noTime.message.contains("no event time"))
        var e = ColumnBlockEncoder(rowCount: 3)
        try e.addFloat32("x", [1, 2, 3])
        try e.addCategorical("c", codes: [0, 1, 0], dictionary: ["a", "b"])
        let wrongType = try #require(caught {
            try client.ingest(source: "s", block: try EncodedBlock(e), blockTimestampMs: Self.t0)
        })
        #expect(wrongType.status == .invalidArgument && wrongType.fieldPath == "x")
        var m = ColumnBlockEncoder(rowCount: 3)
        try m.addFloat64("x", [1, 2, 3])
        let missing = try #require(caught {
            try client.ingest(source: "s", block: try EncodedBlock(m), blockTimestampMs: Self.t0)
        })
        #expect(missing.status == .invalidArgument && missing.fieldPath == "c")
        // An event time from the far future (it would make every later row late) or before 1970 is refused whole.
        for t in [Int64.max, Int64(4_102_444_800_000), -1] {
            let future = try #require(caught {
                try client.ingest(source: "s", block: try block(rows: 10, seed: 1), blockTimestampMs: t)
            })
            #expect(future.status == .invalidArgument && future.message.contains("outside 1970-01-01"))
        }
        #expect(try client.ingest(source: "s", block: try block(rows: 10, seed: 1), blockTimestampMs: Self.t0 + 1).rowsAccepted == 10)
        // A bad monitoring spec is refused at CreateSource, naming the field.
        let bad = try #require(caught {
            try client.createSource(self.source("bad", MonitoringSpec(windowLengthMs: 0)))
        })
        #expect(bad.status == .invalidArgument && bad.fieldPath == "source.monitoring.window_length_ms")
        let group = try #require(caught {
            try client.createSource(self.source("bad2", MonitoringSpec(correlationGroups: [CorrelationGroup(features: ["x", "c"])])))
        })
        #expect(group.status == .invalidArgument && group.message.contains("categorical"))
        // The server still serves.
        #expect(try client.ingest(source: "s", block: try block(rows: 10, seed: 1), blockTimestampMs: Self.t0).rowsAccepted == 10)
    }

    @Test("an event-time column assigns rows one by one; row-count windows split a block")
    func eventTimeColumnAndRowWindows() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        _ = try client.createSource(SourceSpec(name: "ev", features: features,
                                               monitoring: MonitoringSpec(eventTimeColumn: "ts", graceMs: 0)))
        _ = try client.putBaseline(source: "ev", blocks: [try block(rows: 5000, seed: 7)])
        let n = 300
        var e = ColumnBlockEncoder(rowCount: n)
        try e.addFloat64("x", TestData.normal(seed: 5, count: n))
        try e.addCategorical("c", codes: (0..<n).map { UInt32($0 % 3) }, dictionary: ["a", "b", "c"])
        try e.addTimestampMs("ts", (0..<n).map { Self.t0 + Int64($0 % 3) * Self.hour })
        let r = try client.ingest(source: "ev", block: try EncodedBlock(e))
        #expect(r.rowsAccepted == UInt64(n))
        #expect(r.windowsTouched.count == 3)
        // The watermark moved after the block: windows 0 and 1 closed by it, each with its 100 rows.
        #expect(r.windowsClosed.map(\.window.startMs) == [Self.t0, Self.t0 + Self.hour])
        #expect(r.windowsClosed.allSatisfy { $0.verdicts.allSatisfy { $0.currentN == 100 } })

        _ = try client.createSource(SourceSpec(name: "rows", features: features, monitoring: MonitoringSpec(windowRows: 1000)))
        _ = try client.putBaseline(source: "rows", blocks: [try block(rows: 5000, seed: 7)])
        let rows = try client.ingest(source: "rows", block: try block(rows: 2500, seed: 8))
        #expect(rows.windowsTouched.map(\.startMs) == [0, 1, 2])
        #expect(rows.windowsClosed.map(\.window.startMs) == [0, 1])
        #expect(rows.windowsClosed.allSatisfy { $0.verdicts.allSatisfy { $0.currentN == 1000 } })
    }

    @Test("the same blocks ingested in another order give identical verdicts")
    func orderIndependence() throws {
        let blocks = try (0..<5).map { try block(rows: 30_000, seed: UInt64(40 + $0), xShift: 0.02) }
        func run(_ order: [Int]) throws -> [FeatureVerdict] {
            let fx = try ServerFixture()
            defer { fx.close() }
            let client = try fx.client()
            defer { client.close() }
            // A value cap below the window's 150,000 rows: the kept sample must not depend on the order either.
            _ = try client.createSource(source("s", MonitoringSpec(valueCap: 40_000)))
            _ = try client.putBaseline(source: "s", blocks: [try block(rows: 20_000, seed: 7)])
            for i in order {
                _ = try client.ingest(source: "s", block: blocks[i], idempotencyKey: "b\(i)", blockTimestampMs: Self.t0 + 1)
            }
            let r = try client.ingest(source: "s", block: try block(rows: 10, seed: 1), blockTimestampMs: Self.t0 + 2 * Self.hour)
            return try #require(r.windowsClosed.first).verdicts
        }
        let a = try run([0, 1, 2, 3, 4])
        let b = try run([3, 1, 4, 0, 2])
        #expect(a == b)
        #expect(a.first?.currentN == 150_000)
    }

    @Test("the timer marks a silent source stale and closes its idle window")
    func freshnessAndIdleClose() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        _ = try client.createSource(source("fresh", MonitoringSpec(graceMs: 100, maxArrivalIntervalMs: 1500)))
        _ = try client.putBaseline(source: "fresh", blocks: [try block(rows: 5000, seed: 7)])
        _ = try client.ingest(source: "fresh", block: try block(rows: 500, seed: 1), blockTimestampMs: Self.t0)
        let now = try client.sourceStatus("fresh")
        #expect(now.freshness == .fresh)
        #expect(now.lastClosedWindow == nil)
        // Wait for the timer: the window (long past) closes once nothing arrived for the grace; the source goes
        // stale after 1.5 s without a batch.
        var status = now
        for _ in 0..<100 where status.freshness != .stale || status.lastClosedWindow == nil {
            usleep(100_000)
            status = try client.sourceStatus("fresh")
        }
        #expect(status.lastClosedWindow == WindowRange(startMs: Self.t0, endMs: Self.t0 + Self.hour))
        #expect(status.freshness == .stale)
        #expect(status.staleRule == "arrival_interval")
        #expect((status.arrivalAgeMs ?? 0) > 1500)
        // Rows for the closed window are late now.
        let late = try client.ingest(source: "fresh", block: try block(rows: 5, seed: 2), blockTimestampMs: Self.t0,
                                     allowLate: true)
        #expect(late.rowsLate == 5)
        #expect(try client.sourceStatus("fresh").freshness == .fresh)
    }

    @Test("rolling baseline: built from closed windows; an alerted window stays out until acknowledged")
    func rollingBaselineAndAcknowledge() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        _ = try client.createSource(source("r", MonitoringSpec(graceMs: 0, baselineMode: .rolling, rollingWindows: 2,
                                                               persistenceK: 1)))
        func ingest(_ w: Int64, shift: Double) throws -> IngestResponse {
            try client.ingest(source: "r", block: try block(rows: 3000, seed: UInt64(200 + w), xShift: shift),
                              blockTimestampMs: Self.t0 + w * Self.hour)
        }
        _ = try ingest(0, shift: 0)
        let first = try ingest(1, shift: 0)   // closes window 0: no baseline yet, no verdicts; builds baseline 1
        #expect(first.windowsClosed.count == 1 && first.windowsClosed[0].verdicts.isEmpty)
        #expect(first.windowsClosed[0].baselineID == 0)
        let second = try ingest(2, shift: 3)  // closes window 1 against the rolling baseline of window 0
        #expect(second.windowsClosed[0].baselineID == 1)
        #expect(second.windowsClosed[0].verdicts.allSatisfy { $0.decision == .stable })
        let third = try ingest(3, shift: 0)   // closes window 2 (shifted): alerted, kept out of the next baseline
        let w2 = third.windowsClosed[0]
        #expect(w2.baselineID == 2)
        #expect(w2.verdicts.first { $0.feature == "x" }?.decision == .drift)
        // Window 2 raised an alert: the baseline stays the one of windows 0–1 (id 2); acknowledging rebuilds it.
        let ack = try client.acknowledgeWindow(source: "r", windowStartMs: Self.t0 + 2 * Self.hour)
        #expect(ack.acknowledged && ack.window.startMs == Self.t0 + 2 * Self.hour)
        #expect(try client.acknowledgeWindow(source: "r", windowStartMs: Self.t0 + 2 * Self.hour).acknowledged == false)
        let unknown = try #require(caught { try client.acknowledgeWindow(source: "r", windowStartMs: Self.t0 + 7) })
        #expect(unknown.status == .notFound)
        #expect(try client.sourceStatus("r").baselineID == 3)
    }

    @Test("concurrent ingests of one source from 4 connections, each key sent twice at once: every row counted once")
    func concurrentIngestsAndRetries() throws {
        let fx = try ServerFixture(workers: 4)
        defer { fx.close() }
        let setup = try fx.client()
        defer { setup.close() }
        try fixedSource(setup, "busy")
        let blocks = try (0..<8).map { try block(rows: 250, seed: UInt64(300 + $0)) }
        let accepted = Mutex<(rows: UInt64, duplicates: Int)>((0, 0))
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { c in
            do {
                let client = try fx.client()
                defer { client.close() }
                for i in 0..<20 {
                    // Connections c and c^1 send the same keys: one of each pair is a duplicate.
                    let k = (c / 2) * 20 + i
                    let r = try client.ingest(source: "busy", block: blocks[k % 8], idempotencyKey: "key-\(k)",
                                              blockTimestampMs: Self.t0 + Int64(k))
                    accepted.withLock {
                        if r.duplicate { $0.duplicates += 1 } else { $0.rows += r.rowsAccepted }
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let (rows, duplicates) = accepted.withLock { $0 }
        #expect(rows == 40 * 250)
        #expect(duplicates == 40)
        let r = try setup.ingest(source: "busy", block: try block(rows: 10, seed: 1), blockTimestampMs: Self.t0 + 2 * Self.hour)
        #expect(try #require(r.windowsClosed.first).verdicts.allSatisfy { $0.currentN == 40 * 250 })
    }
}
