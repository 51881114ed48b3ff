import DriftTransport
import DriftWire
import Foundation
import Testing

/// `FrameHandler.connectionClosed` fires exactly once per accepted connection, whatever closed it.
/// Longer than a frame header, so the decoder sees the bad magic at once.
private let httpRequest = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n".utf8)

@Suite("FrameHandler.connectionClosed", .serialized)
struct ConnectionClosedTests {
    /// Every id seen was closed exactly once, and nothing else was reported.
    private func expectEachClosedOnce(_ handler: CloseCountingHandler, _ ids: Set<UInt64>) {
        let closed = handler.closed
        #expect(Set(closed.keys) == ids)
        #expect(closed.values.allSatisfy { $0 == 1 }, "a connection was reported closed more than once: \(closed)")
        #expect(handler.sendsAcceptedAfterClose == 0)
    }

    @Test("peer close")
    func peerClose() throws {
        let handler = CloseCountingHandler()
        let server = try FrameServer(handler: handler)
        defer { server.stop() }
        let keep = try TestClient(port: server.port)
        #expect(try keep.roundTrip(stream: 1).header.type == .pong)
        let keptID = try #require(handler.seen.first)
        do {
            let clients = try (0..<3).map { _ in try TestClient(port: server.port) }
            for (i, c) in clients.enumerated() { #expect(try c.roundTrip(stream: UInt32(i + 2)).header.type == .pong) }
        }  // the three clients close here
        #expect(handler.waitForCloses(3), "closes seen: \(handler.closed)")
        var peers = handler.seen
        peers.remove(keptID)
        #expect(peers.count == 3)
        usleep(50_000)  // nothing more may arrive
        expectEachClosedOnce(handler, peers)
        #expect(try keep.roundTrip(stream: 9).header.type == .pong)

        // A half-close (FIN) by the peer also ends the connection.
        keep.shutdownWrite()
        #expect(handler.waitForCloses(4))
        expectEachClosedOnce(handler, handler.seen)
        server.stop()
        expectEachClosedOnce(handler, handler.seen)  // stop() does not report them again
    }

    @Test("server-initiated GOAWAY close, by peer EOF and by linger end")
    func goAwayClose() throws {
        let handler = CloseCountingHandler()
        let config = FrameServerConfiguration(closeLingerMilliseconds: 200)
        let server = try FrameServer(configuration: config, handler: handler)
        defer { server.stop() }
        // The peer reads the GOAWAY, then closes.
        do {
            let bad = try TestClient(port: server.port)
            try bad.sendRaw(httpRequest)
            #expect(try bad.receive().header.type == .goAway)
            #expect(try bad.receiveOutcome() == .closed)
        }
        #expect(handler.waitForCloses(1))
        // The peer never closes: the linger deadline ends the connection.
        let stubborn = try TestClient(port: server.port)
        try stubborn.sendRaw(httpRequest)
        #expect(try stubborn.receive().header.type == .goAway)
        #expect(handler.waitForCloses(2), "the linger deadline did not close the connection")
        usleep(50_000)
        #expect(handler.totalCloses == 2)
        #expect(handler.closed.values.allSatisfy { $0 == 1 })
        #expect(handler.sendsAcceptedAfterClose == 0)
        server.stop()
        #expect(handler.totalCloses == 2)
        _ = stubborn
    }

    @Test("ConnectionHandle.close()")
    func handleClose() throws {
        let handler = CloseCountingHandler()
        let server = try FrameServer(handler: handler)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        #expect(try client.roundTrip(stream: EchoHandler.closeStream).header.type == .pong)
        #expect(try client.receiveOutcome() == .closed)
        #expect(handler.waitForCloses(1))
        usleep(50_000)
        expectEachClosedOnce(handler, handler.seen)
        server.stop()
        expectEachClosedOnce(handler, handler.seen)
        _ = client
    }

    @Test("queue overflow")
    func overflowClose() throws {
        let handler = CloseCountingHandler(padding: 16 << 10)
        let server = try FrameServer(configuration: FrameServerConfiguration(maxQueuedOutboundBytes: 256 << 10),
                                     handler: handler)
        defer { server.stop() }
        let lazy = try TestClient(port: server.port)
        let start = Date()
        for s in UInt32(1)...20_000 {
            if (try? lazy.send(Frame(header: FrameHeader(type: .ping, streamID: s)))) == nil { break }
            if handler.totalCloses > 0 || Date().timeIntervalSince(start) > 8 { break }
            if s % 100 == 0 { usleep(1000) }
        }
        #expect(handler.waitForCloses(1), "the non-reading connection was not closed")
        server.stop()
        expectEachClosedOnce(handler, handler.seen)
    }

    @Test("FrameServer.stop() reports every open connection, before it returns")
    func stopCloses() throws {
        let handler = CloseCountingHandler()
        let server = try FrameServer(handler: handler)
        let clients = try (0..<5).map { _ in try TestClient(port: server.port) }
        for (i, c) in clients.enumerated() { #expect(try c.roundTrip(stream: UInt32(i + 1)).header.type == .pong) }
        #expect(handler.totalCloses == 0)
        server.stop()
        #expect(handler.seen.count == 5)
        expectEachClosedOnce(handler, handler.seen)
        server.stop()
        expectEachClosedOnce(handler, handler.seen)
        _ = clients
    }

    @Test("a handler without connectionClosed still compiles and works (default no-op)")
    func defaultNoOp() throws {
        let server = try FrameServer(handler: EchoHandler())
        let client = try TestClient(port: server.port)
        #expect(try client.roundTrip(stream: 1).header.type == .pong)
        server.stop()
    }
}
