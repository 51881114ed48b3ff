import DriftColumnar
import DriftServer
import DriftWire
import Foundation
import Testing

/// Seeded normal samples (SplitMix64 + Box–Muller).
struct Gen {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

let features = [
    FeatureSpec(name: "x", type: 2),  // FLOAT64
    FeatureSpec(name: "y", type: 1),  // FLOAT32
    FeatureSpec(name: "c", type: 5),  // CATEGORICAL
]

/// A zstd ColumnBlock with x ~ N(xShift, 1), y ~ N(5, 2) as float32, c over {a, b, c} at 50/30/20 %.
func block(rows: Int, seed: UInt64, xShift: Double = 0, extraColumn: Bool = false, dropY: Bool = false) throws -> [UInt8] {
    var g = Gen(state: seed)
    var x = [Double](), y = [Float](), c = [UInt32]()
    for _ in 0..<rows {
        x.append(g.normal() + xShift)
        y.append(Float(5 + 2 * g.normal()))
        let u = g.uniform()
        c.append(u < 0.5 ? 0 : u < 0.8 ? 1 : 2)
    }
    var e = ColumnBlockEncoder(rowCount: rows)
    try e.addFloat64("x", x)
    if !dropY { try e.addFloat32("y", y) }
    try e.addCategorical("c", codes: c, dictionary: ["a", "b", "c"])
    if extraColumn { try e.addFloat64("unused", x) }
    return try e.encodeCompressed()
}

/// A server on 127.0.0.1:0 over a temporary store directory; both go away in `close()`.
final class Fixture {
    let dir: String
    var server: DriftServer

    init(workers: Int = 2, dir: String? = nil, configure: (inout DriftServerConfiguration) -> Void = { _ in }) throws {
        self.dir = dir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("driftd-server-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.dir, withIntermediateDirectories: true)
        var config = DriftServerConfiguration(storePath: self.dir + "/store.sqlite", workers: workers)
        configure(&config)
        server = try DriftServer(configuration: config)
    }

    func restart() throws {
        server.stop()
        server = try DriftServer(configuration: DriftServerConfiguration(storePath: dir + "/store.sqlite"))
    }

    func client() throws -> TestClient {
        let c = try TestClient(port: server.port)
        let ack = try c.handshake()
        #expect(ack.isAccepted)
        #expect(ack.methods == MethodID.descriptors)
        return c
    }

    func close() {
        server.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

func createSource(_ c: TestClient, _ name: String) throws {
    let r = try c.call(.createSource, CreateSourceRequest(source: SourceSpec(name: name, features: features)).encode())
    #expect(r.header.status == .ok)
    #expect(try CreateSourceResponse.decode(r.metadata).created)
}

func putBaseline(_ c: TestClient, _ name: String, rows: Int = 4000, seed: UInt64 = 1) throws -> PutBaselineResponse {
    let r = try c.call(.putBaseline, PutBaselineRequest(source: name, blockCount: 1, lastBlock: true).encode(),
                       body: try block(rows: rows, seed: seed), codec: .zstd)
    try #require(r.header.status == .ok, "\(String(describing: try? ErrorDetail.decode(r.metadata)))")
    return try PutBaselineResponse.decode(r.metadata)
}

func checkDrift(_ c: TestClient, _ name: String, body: [UInt8]) throws -> Frame {
    try c.call(.checkDrift, CheckDriftRequest(source: name).encode(), body: body, codec: .zstd)
}

func detail(_ f: Frame) throws -> ErrorDetail { try ErrorDetail.decode(f.metadata) }

@Suite("DriftServer end to end")
struct DriftServerTests {
    @Test("create, baseline, stable and shifted checks, stats")
    func endToEnd() throws {
        let fx = try Fixture()
        defer { fx.close() }
        let c = try fx.client()
        try createSource(c, "payments")
        // Idempotent create.
        let again = try c.call(.createSource, CreateSourceRequest(source: SourceSpec(name: "payments", features: features)).encode())
        #expect(again.header.status == .ok)
        #expect(try CreateSourceResponse.decode(again.metadata).created == false)

        let put = try putBaseline(c, "payments")
        #expect(put.baselineID > 0)
        #expect(put.rows == 4000)
        #expect(!put.sampled)

        let got = try c.call(.getSource, GetSourceRequest(name: "payments").encode())
        #expect(got.header.status == .ok)
        let spec = try GetSourceResponse.decode(got.metadata)
        #expect(spec.source.features == features)
        #expect(spec.baselineID == put.baselineID)

        let list = try c.call(.listSources, ListSourcesRequest().encode())
        #expect(try ListSourcesResponse.decode(list.metadata).sources.map(\.name) == ["payments"])

        // Same distribution, another seed, plus an undeclared column: all stable.
        let same = try checkDrift(c, "payments", body: try block(rows: 3000, seed: 2, extraColumn: true))
        try #require(same.header.status == .ok, "\(String(describing: try? detail(same)))")
        let stable = try CheckDriftResponse.decode(same.metadata)
        #expect(stable.baselineID == put.baselineID)
        #expect(stable.verdicts.map(\.feature) == ["x", "y", "c"])
        for v in stable.verdicts { #expect(v.decision == .stable, "\(v)") }
        #expect(stable.verdicts[0].notes.contains { $0.contains("unused") })
        #expect(!stable.approximate)

        // x shifted by one standard deviation.
        let shifted = try checkDrift(c, "payments", body: try block(rows: 3000, seed: 3, xShift: 1))
        try #require(shifted.header.status == .ok)
        let drift = try CheckDriftResponse.decode(shifted.metadata)
        #expect(drift.baselineID == put.baselineID)
        let x = drift.verdicts[0], y = drift.verdicts[1], cat = drift.verdicts[2]
        #expect(x.decision == .drift)
        #expect(x.severity != .none)
        #expect(x.kind == .numeric)
        #expect(x.baselineN == 4000 && x.currentN == 3000)
        #expect((x.ksD ?? 0) > 0.2)
        #expect((x.pValue ?? 1) < 1e-6)
        #expect(!x.pValueMethod.isEmpty)
        #expect(x.psi != nil && x.jensenShannon != nil && x.wasserstein != nil && x.wassersteinNormed != nil)
        #expect(x.chiSquare == nil)
        #expect(!x.reasons.isEmpty)
        #expect(y.decision == .stable)
        #expect(cat.decision == .stable)
        #expect(cat.kind == .categorical)
        #expect(cat.chiSquare != nil && cat.chiSquareDOF == 2 && cat.unseenCategories == 0)
        #expect(cat.ksD == nil)
        #expect(drift.timings.decodeUs > 0 && drift.timings.computeUs > 0)

        // A block missing a declared feature: a verdict with a note.
        let missing = try checkDrift(c, "payments", body: try block(rows: 3000, seed: 4, dropY: true))
        try #require(missing.header.status == .ok)
        let m = try CheckDriftResponse.decode(missing.metadata)
        #expect(m.verdicts[1].feature == "y" && m.verdicts[1].decision == .insufficientData && !m.verdicts[1].notes.isEmpty)

        // PING → PONG.
        try c.send(Frame(header: FrameHeader(type: .ping), metadata: Ping(payload: 77).encode()))
        let pong = try #require(try c.receive())
        #expect(pong.header.type == .pong)
        #expect(try Pong.decode(pong.metadata).payload == 77)

        let statsFrame = try c.call(.serverStats, ServerStatsRequest().encode())
        #expect(statsFrame.header.status == .ok)
        let stats = try ServerStatsResponse.decode(statsFrame.metadata)
        #expect(stats.requestsTotal == 9)
        #expect(stats.errorsTotal == 0)
        #expect(stats.budgetMissesTotal == 0)
        #expect(stats.connections == 1)
        #expect(stats.valuesProcessedTotal == 3 * (4000 + 3000 * 3))
        let byMethod = Dictionary(uniqueKeysWithValues: stats.requestsByMethod.map { ($0.methodID, $0.count) })
        #expect(byMethod == [1: 2, 2: 1, 3: 1, 4: 1, 5: 3, 6: 1])
        #expect(stats.bytesReceivedTotal > 0)
    }

    @Test("a REQUEST before HELLO gets GOAWAY and the connection closes")
    func requestBeforeHello() throws {
        let fx = try Fixture()
        defer { fx.close() }
        let c = try TestClient(port: fx.server.port)
        try c.sendRequest(method: MethodID.serverStats.rawValue, metadata: [])
        let f = try #require(try c.receive())
        #expect(f.header.type == .goAway)
        #expect(f.header.status == .invalidArgument)
        #expect(try GoAway.decode(f.metadata).status == .invalidArgument)
        #expect(try c.receive() == nil)
    }

    @Test("errors: unknown method, unknown source, no baseline, corrupt zstd; the connection stays usable")
    func errors() throws {
        let fx = try Fixture()
        defer { fx.close() }
        let c = try fx.client()

        let s1 = try c.sendRequest(method: 99, metadata: [])
        let unknown = try c.response(s1)
        #expect(unknown.header.status == .unimplemented)
        #expect(try detail(unknown).status == .unimplemented)
        let s2 = try c.sendRequest(method: MethodID.serverStats.rawValue, version: 7, metadata: [])
        #expect(try c.response(s2).header.status == .unimplemented)

        let nf = try checkDrift(c, "nope", body: try block(rows: 100, seed: 1))
        #expect(nf.header.status == .notFound)
        #expect(try detail(nf).status == .notFound)

        try createSource(c, "s")
        let noBaseline = try checkDrift(c, "s", body: try block(rows: 100, seed: 1))
        #expect(noBaseline.header.status == .failedPrecondition)

        var corrupt = try block(rows: 3000, seed: 1)
        for i in stride(from: 8, to: corrupt.count, by: 7) { corrupt[i] ^= 0x5A }
        let bad = try c.call(.putBaseline, PutBaselineRequest(source: "s", blockCount: 1, lastBlock: true).encode(),
                             body: corrupt, codec: .zstd)
        #expect(bad.header.status == .invalidArgument)
        #expect(!(try detail(bad).message.isEmpty))

        let noBody = try c.call(.checkDrift, CheckDriftRequest(source: "s").encode())
        #expect(noBody.header.status == .invalidArgument)

        // Still usable.
        let put = try putBaseline(c, "s")
        let ok = try checkDrift(c, "s", body: try block(rows: 2000, seed: 9))
        #expect(ok.header.status == .ok)
        #expect(try CheckDriftResponse.decode(ok.metadata).baselineID == put.baselineID)
        let stats = try ServerStatsResponse.decode(try c.call(.serverStats, ServerStatsRequest().encode()).metadata)
        #expect(stats.errorsTotal == 6)
    }

    @Test("a request whose deadline passed in the queue is DEADLINE_EXCEEDED and counted as a budget miss")
    func expiredDeadline() throws {
        let fx = try Fixture(workers: 1)
        defer { fx.close() }
        let c = try fx.client()
        try createSource(c, "slow")
        // One worker busy with a large baseline; the 1 ms request queued behind it cannot start in time.
        let big = try c.sendRequest(method: MethodID.putBaseline.rawValue,
                                    metadata: PutBaselineRequest(source: "slow", blockCount: 1, lastBlock: true).encode(),
                                    body: try block(rows: 200_000, seed: 5), codec: .zstd)
        let late = try c.sendRequest(method: MethodID.serverStats.rawValue, metadata: [], deadlineMs: 1)
        let lateResponse = try c.response(late)
        #expect(lateResponse.header.status == .deadlineExceeded)
        #expect(try detail(lateResponse).status == .deadlineExceeded)
        #expect(try c.response(big).header.status == .ok)
        let stats = try ServerStatsResponse.decode(try c.call(.serverStats, ServerStatsRequest().encode()).metadata)
        #expect(stats.budgetMissesTotal == 1)
    }

    @Test("a restarted server on the same store keeps the baseline")
    func restart() throws {
        let fx = try Fixture()
        defer { fx.close() }
        let put: PutBaselineResponse
        do {
            let c = try fx.client()
            try createSource(c, "durable")
            put = try putBaseline(c, "durable")
        }
        try fx.restart()
        let c = try fx.client()
        let got = try GetSourceResponse.decode(try c.call(.getSource, GetSourceRequest(name: "durable").encode()).metadata)
        #expect(got.baselineID == put.baselineID)
        let r = try checkDrift(c, "durable", body: try block(rows: 3000, seed: 3, xShift: 1))
        try #require(r.header.status == .ok)
        let resp = try CheckDriftResponse.decode(r.metadata)
        #expect(resp.baselineID == put.baselineID)
        #expect(resp.verdicts.map(\.decision) == [.drift, .stable, .stable])
    }

    @Test("the connections stat counts open sessions: it goes back down when clients disconnect")
    func connectionsStatDrops() throws {
        let fx = try Fixture()
        defer { fx.close() }
        func connections(_ c: TestClient) throws -> UInt64 {
            try ServerStatsResponse.decode(try c.call(.serverStats, ServerStatsRequest().encode()).metadata).connections
        }
        /// Polls until the stat is `expected` (bounded); returns the last value seen.
        func waitFor(_ expected: UInt64, _ c: TestClient) throws -> UInt64 {
            let deadline = ContinuousClock.now + .seconds(5)
            var value = try connections(c)
            while value != expected && ContinuousClock.now < deadline {
                try Task.checkCancellation()
                usleep(5000)
                value = try connections(c)
            }
            return value
        }
        let observer = try fx.client()
        #expect(try connections(observer) == 1)
        do {
            let others = try (0..<3).map { _ in try fx.client() }
            #expect(try waitFor(4, observer) == 4)
            _ = others
        }  // the three clients disconnect here
        #expect(try waitFor(1, observer) == 1)
        for _ in 0..<5 {
            _ = try fx.client()  // connect, handshake, disconnect
        }
        #expect(try waitFor(1, observer) == 1)
        // An un-handshaken connection is not counted, open or closed.
        let raw = try TestClient(port: fx.server.port)
        #expect(try connections(observer) == 1)
        _ = raw
    }
}
