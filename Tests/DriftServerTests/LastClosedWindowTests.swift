import DriftWire
import Foundation
import Testing

/// GetSourceStatus' last closed window against the history: a reader (the dashboard, `driftctl status`) that sees
/// a window reported as closed finds its verdicts, whether an Ingest or the monitoring timer closed it.
@Suite("GetSourceStatus: the last closed window has its verdicts")
struct LastClosedWindowTests {
    static let t0 = DashboardPagesTests.t0, hour = DashboardPagesTests.hour

    @Test("every last closed window read while windows close has its drift verdicts in QueryHistory")
    func lastClosedHasVerdicts() throws {
        let f = try Fixture { c in c.monitorIntervalMilliseconds = 10 }
        defer { f.close() }
        let rpc = try f.client()
        try DashboardPagesTests.createSource(rpc, "s")
        // Days-old windows: the timer closes each soon after its rows arrive, while this test reads the status.
        var seen = Set<Int64>()
        for w in 0..<5 {
            try DashboardPagesTests.ingest(rpc, "s", window: w, shift: 0.4 * Double(w), seed: 80 + UInt64(w))
            let start = Self.t0 + Int64(w) * Self.hour
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let r = try rpc.call(.getSourceStatus, GetSourceStatusRequest(source: "s").encode())
                try DashboardPagesTests.require(r, "status")
                let status = try GetSourceStatusResponse.decode(r.metadata)
                if let last = status.lastClosedWindow {
                    let h = try rpc.call(.queryHistory, QueryHistoryRequest(
                        source: "s", kinds: [.drift], sinceMs: last.startMs, untilMs: last.startMs + 1).encode())
                    try DashboardPagesTests.require(h, "history")
                    let rows = try QueryHistoryResponse.decode(h.metadata).rows
                    #expect(!rows.isEmpty, "window \(last.startMs) reported closed without verdicts")
                    #expect(rows.allSatisfy { $0.window == last })
                    seen.insert(last.startMs)
                    if last.startMs >= start { break }
                }
                usleep(200)
            }
        }
        #expect(seen.contains(Self.t0 + 4 * Self.hour), "the last window closed: \(seen.sorted())")
    }
}
