import DriftColumnar
@testable import DriftServer
import DriftWire
import Foundation
import Testing

@Suite("Latency budgets")
struct LatencyBudgetTests {
    @Test("the cost model has no opinion before 3 samples, then follows fixed + per-byte cost")
    func costModel() {
        let m = CostModel()
        let k = CostModel.Key(method: 5, source: "s", approximate: false)
        #expect(m.estimateMicros(k, rawBytes: 1000) == nil)
        m.record(k, rawBytes: 1000, micros: 1020)   // 20 fixed + 1 µs/byte
        m.record(k, rawBytes: 2000, micros: 2020)
        #expect(m.estimateMicros(k, rawBytes: 1000) == nil)
        m.record(k, rawBytes: 4000, micros: 4020)
        let e = try! #require(m.estimateMicros(k, rawBytes: 10_000))
        #expect(abs(e - 10_020) < 1e-6)
        // Another source, or the approximate path, is a different key.
        #expect(m.estimateMicros(CostModel.Key(method: 5, source: "t", approximate: false), rawBytes: 10) == nil)
        #expect(m.estimateMicros(CostModel.Key(method: 5, source: "s", approximate: true), rawBytes: 10) == nil)
        // The server slowing down moves the estimate (exponential smoothing, newest weight 0.2).
        for _ in 0..<20 { m.record(k, rawBytes: 1000, micros: 2020) }
        #expect(m.estimateMicros(k, rawBytes: 1000)! > 1900)
        m.forget(source: "s")
        #expect(m.estimateMicros(k, rawBytes: 1000) == nil)
    }

    @Test("a budget the estimate cannot meet is refused at once, unstarted, counted, with the estimate in the message")
    func refusedByEstimate() throws {
        let fx = try Fixture()
        defer { fx.close() }
        let c = try fx.client()
        try createSource(c, "s")
        _ = try putBaseline(c, "s", rows: 50_000)
        let body = try block(rows: 100_000, seed: 11)
        for _ in 0..<CostModel.minimumSamples {
            #expect(try checkDrift(c, "s", body: body).header.status == .ok)
        }
        // 100k rows x 3 features cannot be checked in 1 ms: refused before it is queued.
        let r = try c.call(.checkDrift, CheckDriftRequest(source: "s").encode(), body: body, codec: .zstd, deadlineMs: 1)
        #expect(r.header.status == .deadlineExceeded)
        let d = try detail(r)
        #expect(d.message.contains("estimated"))
        #expect(d.message.contains("allow_approximate"))
        let stats = try ServerStatsResponse.decode(try c.call(.serverStats, []).metadata)
        #expect(stats.budgetRefusalsTotal == 1)
        #expect(stats.budgetMissesTotal >= 1)
        // A generous budget is still served exactly.
        let ok = try c.call(.checkDrift, CheckDriftRequest(source: "s").encode(), body: body, codec: .zstd,
                            deadlineMs: 60_000)
        #expect(ok.header.status == .ok)
        #expect(try CheckDriftResponse.decode(ok.metadata).approximate == false)
    }
}
