import DriftFakeServer
import DriftServer
import Foundation
import Synchronization
import Testing

/// `driftctl top` against an in-process driftd with its HTTP endpoint on a free port, while another thread keeps
/// sending ServerStats requests through `driftctl stats`.
@Suite("driftctl top, end to end (in-process driftd)")
struct TopCommandTests {
    @Test("plain output: one view per iteration, rates and latency quantiles from the deltas of two scrapes")
    func views() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("driftctl-top-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try DriftServer(configuration: DriftServerConfiguration(storePath: dir + "/store.sqlite", httpPort: 0))
        defer { server.stop() }
        let http = "127.0.0.1:\(try #require(server.httpPort))"
        let rpc = "127.0.0.1:\(server.port)"

        // Load: `driftctl stats` in a loop until top is done.
        let done = Atomic<Bool>(false)
        let sent = Atomic<Int>(0)
        let load = Thread {
            while !done.load(ordering: .acquiring) {
                if (try? CompareCommandTests.run(["stats", "--server", rpc]))?.status == 0 { sent.add(1, ordering: .relaxed) }
            }
        }
        load.start()
        #expect(eventually { sent.load(ordering: .relaxed) >= 1 })
        let top = try CompareCommandTests.run(["top", "--http", http, "--interval-ms", "700", "--iterations", "3"])
        done.store(true, ordering: .releasing)
        while !load.isFinished { usleep(10_000) }

        #expect(top.status == 0, "\(top.stderr)")
        let views = top.stdout.components(separatedBy: "driftd \(http)").dropFirst()
        #expect(views.count == 3, "\(top.stdout)")
        // Each view: the summary lines and a method table holding ServerStats.
        for v in views {
            #expect(v.contains("requests ") && v.contains("in flight") && v.contains("workers   "))
            #expect(v.contains("method") && v.contains("req/s") && v.contains("p99"))
        }
        // The load runs through every interval: some view has a ServerStats rate above zero and its quantiles.
        let statsRows = views.compactMap { v in v.split(separator: "\n").first { $0.hasPrefix("ServerStats") } }
        #expect(!statsRows.isEmpty, "\(top.stdout)")
        let busy = statsRows.filter { row in
            let cols = row.split(separator: " ", omittingEmptySubsequences: true)
            return cols.count >= 2 && (Double(cols[1]) ?? 0) > 0
        }
        #expect(!busy.isEmpty, "\(top.stdout)")
        #expect(busy.allSatisfy { $0.contains(" ms") }, "\(top.stdout)")
    }

    @Test("a server without an HTTP endpoint: a clear error naming the address, non-zero exit")
    func unreachable() throws {
        // A port nothing listens on: bind one, note it, close it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        close(fd)
        let r = try CompareCommandTests.run(["top", "--http", "127.0.0.1:\(port)", "--once"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("127.0.0.1:\(port)"), "\(r.stderr)")
    }
}
