import Dispatch
import DriftTransport
import DriftWire
import Foundation
import Testing

/// A body that identifies its stream: `n` bytes derived from `stream`.
private func body(for stream: UInt32, count n: Int = 64) -> [UInt8] {
    (0..<n).map { UInt8(truncatingIfNeeded: Int(stream) &* 31 &+ $0) }
}

private func expectPong(_ frame: Frame, stream: UInt32, body expected: [UInt8]) {
    #expect(frame.header.type == .pong)
    #expect(frame.header.streamID == stream)
    #expect(frame.body == expected)
}

/// Runs `body(i)` for i in 0..<count on `count` separate threads and rethrows the first error.
private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
    let group = DispatchGroup()
    let errors = NSLock()
    nonisolated(unsafe) var firstError: (any Error)?
    for i in 0..<count {
        group.enter()
        let t = Thread {
            defer { group.leave() }
            do { try body(i) } catch {
                errors.lock(); if firstError == nil { firstError = error }; errors.unlock()
            }
        }
        t.start()
    }
    #expect(group.wait(timeout: .now() + 15) == .success)
    if let e = firstError { throw e }
}

@Suite("FrameServer", .serialized)
struct FrameServerTests {
    @Test("1 client x 1000 PING/PONG round trips")
    func singleClientRoundTrips() throws {
        let server = try FrameServer(handler: EchoHandler())
        defer { server.stop() }
        #expect(server.port != 0)
        let client = try TestClient(port: server.port)
        for i in 1...1000 {
            let stream = UInt32(i)
            expectPong(try client.roundTrip(stream: stream, body: body(for: stream, count: i % 100)),
                       stream: stream, body: body(for: stream, count: i % 100))
        }
    }

    @Test("32 concurrent clients x 100 round trips")
    func concurrentClients() throws {
        let server = try FrameServer(handler: EchoHandler())
        defer { server.stop() }
        let port = server.port
        try onThreads(32) { c in
            let client = try TestClient(port: port)
            for i in 1...100 {
                let stream = UInt32(c * 1000 + i)
                let reply = try client.roundTrip(stream: stream, body: body(for: stream))
                guard reply.header.type == .pong, reply.header.streamID == stream, reply.body == body(for: stream) else {
                    throw TestClient.Failure.system("wrong reply on stream \(stream)", 0)
                }
            }
        }
    }

    @Test("replies sent later from other threads, out of order, arrive intact")
    func repliesFromOtherThreads() throws {
        let batch = 50
        let server = try FrameServer(handler: ReversingHandler(batch: batch))
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        for s in 1...UInt32(batch) {
            try client.send(Frame(header: FrameHeader(type: .ping, streamID: s), body: body(for: s, count: 3000)))
        }
        for s in (1...UInt32(batch)).reversed() {
            expectPong(try client.receive(), stream: s, body: body(for: s, count: 3000))
        }

        let delayed = try FrameServer(handler: DelayedHandler())
        defer { delayed.stop() }
        let port = delayed.port
        try onThreads(4) { c in
            let client = try TestClient(port: port)
            let streams = (1...100).map { UInt32(c * 1000 + $0) }
            for s in streams {
                try client.send(Frame(header: FrameHeader(type: .ping, streamID: s), body: body(for: s)))
            }
            var seen = Set<UInt32>()
            for _ in streams {
                let f = try client.receive()
                guard f.header.type == .pong, f.body == body(for: f.header.streamID) else {
                    throw TestClient.Failure.system("corrupt reply", 0)
                }
                seen.insert(f.header.streamID)
            }
            guard seen == Set(streams) else { throw TestClient.Failure.system("missing replies", 0) }
        }
    }

    @Test("an HTTP request gets GOAWAY INVALID_ARGUMENT; a well-behaved client keeps working")
    func garbageGetsGoAway() throws {
        let server = try FrameServer(handler: EchoHandler())
        defer { server.stop() }
        let good = try TestClient(port: server.port)
        expectPong(try good.roundTrip(stream: 1), stream: 1, body: [])

        let bad = try TestClient(port: server.port)
        try bad.sendRaw(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n".utf8))
        let goAway = try bad.receive()
        #expect(goAway.header.type == .goAway)
        #expect(goAway.header.status == .invalidArgument)
        #expect(try bad.receiveOutcome() == .closed)
        expectPong(try good.roundTrip(stream: 2), stream: 2, body: [])

        // Lots of garbage the server never reads: the GOAWAY must still arrive (no RST destroying it).
        let flood = try TestClient(port: server.port)
        try flood.sendRaw([UInt8](repeating: 0x47, count: 300 << 10))
        let second = try flood.receive()
        #expect(second.header.type == .goAway)
        #expect(second.header.status == .invalidArgument)
        for s in UInt32(3)...100 { expectPong(try good.roundTrip(stream: s), stream: s, body: []) }
    }

    @Test("half a header then a stall does not block other clients")
    func stalledClient() throws {
        let server = try FrameServer(handler: EchoHandler())
        defer { server.stop() }
        let staller = try TestClient(port: server.port)
        let header = FrameHeader(type: .ping, streamID: 9).encode()
        try staller.sendRaw(Array(header[0..<20]))
        let good = try TestClient(port: server.port)
        for s in UInt32(1)...200 { expectPong(try good.roundTrip(stream: s), stream: s, body: []) }
        // The staller can still finish its frame and be answered.
        try staller.sendRaw(Array(header[20...]))
        expectPong(try staller.receive(), stream: 9, body: [])
    }

    @Test("a client that disconnects mid-frame does not disturb the server")
    func disconnectMidFrame() throws {
        let server = try FrameServer(handler: EchoHandler())
        defer { server.stop() }
        for _ in 0..<20 {
            let c = try TestClient(port: server.port)
            let bytes = Frame(header: FrameHeader(type: .ping, streamID: 3), body: body(for: 3, count: 500)).encode()
            try c.sendRaw(Array(bytes[0..<200]))
        }  // each client is closed here, mid-body
        let good = try TestClient(port: server.port)
        for s in UInt32(1)...50 { expectPong(try good.roundTrip(stream: s), stream: s, body: []) }
    }

    @Test("a body over maxFrameBody gets GOAWAY RESOURCE_EXHAUSTED before any body byte is sent")
    func oversizedBody() throws {
        let limits = FrameLimits(maxFrameBody: 1024)
        let server = try FrameServer(configuration: FrameServerConfiguration(limits: limits), handler: EchoHandler())
        defer { server.stop() }
        let good = try TestClient(port: server.port)
        let big = try TestClient(port: server.port)
        // Header only: the declared 1 MiB body is never sent, so an answer proves the server did not wait for it.
        try big.sendRaw(FrameHeader(type: .request, streamID: 1, bodyLength: 1 << 20, bodyRawLength: 1 << 20).encode())
        let f = try big.receive()
        #expect(f.header.type == .goAway)
        #expect(f.header.status == .resourceExhausted)
        #expect(try big.receiveOutcome() == .closed)
        expectPong(try good.roundTrip(stream: 5, body: body(for: 5, count: 1024)), stream: 5, body: body(for: 5, count: 1024))
    }

    @Test("a request-level error is answered on its stream and the connection stays open")
    func requestLevelError() throws {
        let server = try FrameServer(handler: EchoHandler())
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        // codec none with body_raw_len != body_len: request-level INVALID_ARGUMENT, frame skipped.
        try client.sendRaw(FrameHeader(type: .request, streamID: 7, bodyLength: 4, bodyRawLength: 9).encode() + [1, 2, 3, 4])
        let f = try client.receive()
        #expect(f.header.type == .response)
        #expect(f.header.streamID == 7)
        #expect(f.header.status == .invalidArgument)
        expectPong(try client.roundTrip(stream: 8), stream: 8, body: [])
    }

    @Test("ConnectionHandle.close() writes what is queued, then closes; other connections stay open")
    func handlerCloses() throws {
        let server = try FrameServer(handler: EchoHandler())
        defer { server.stop() }
        let other = try TestClient(port: server.port)
        let client = try TestClient(port: server.port)
        expectPong(try client.roundTrip(stream: 1), stream: 1, body: [])
        expectPong(try client.roundTrip(stream: EchoHandler.closeStream, body: [1, 2, 3]),
                   stream: EchoHandler.closeStream, body: [1, 2, 3])
        #expect(try client.receiveOutcome() == .closed)
        expectPong(try other.roundTrip(stream: 2), stream: 2, body: [])
    }

    @Test("connections beyond maxConnections are closed at once")
    func connectionLimit() throws {
        let server = try FrameServer(configuration: FrameServerConfiguration(maxConnections: 2), handler: EchoHandler())
        defer { server.stop() }
        let a = try TestClient(port: server.port)
        let b = try TestClient(port: server.port)
        expectPong(try a.roundTrip(stream: 1), stream: 1, body: [])
        expectPong(try b.roundTrip(stream: 1), stream: 1, body: [])
        let c = try TestClient(port: server.port)
        try? c.send(Frame(header: FrameHeader(type: .ping, streamID: 1)))
        #expect(try c.receiveOutcome() == .closed)
        expectPong(try a.roundTrip(stream: 2), stream: 2, body: [])
    }

    @Test("a client that does not read is closed when its queue is over maxQueuedOutboundBytes")
    func slowReaderIsClosed() throws {
        let config = FrameServerConfiguration(maxQueuedOutboundBytes: 256 << 10)
        let server = try FrameServer(configuration: config, handler: EchoHandler(padding: 16 << 10))
        defer { server.stop() }
        let reader = try TestClient(port: server.port)
        let lazy = try TestClient(port: server.port)
        var sendFailed = false
        let start = Date()
        for s in UInt32(1)...20_000 {
            do { try lazy.send(Frame(header: FrameHeader(type: .ping, streamID: s))) } catch { sendFailed = true; break }
            if s % 100 == 0 {
                if Date().timeIntervalSince(start) > 8 { break }
                usleep(1000)
            }
        }
        #expect(sendFailed, "the server never closed a connection that does not read")
        expectPong(try reader.roundTrip(stream: 1), stream: 1, body: [UInt8](repeating: 0xAB, count: 16 << 10))
    }

    @Test("stop() with connected clients returns promptly; the port is closed afterwards")
    func stopWithClients() throws {
        let server = try FrameServer(handler: EchoHandler())
        let port = server.port
        let clients = try (0..<10).map { _ in try TestClient(port: port) }
        for (i, c) in clients.enumerated() { expectPong(try c.roundTrip(stream: UInt32(i + 1)), stream: UInt32(i + 1), body: []) }
        let start = Date()
        server.stop()
        #expect(Date().timeIntervalSince(start) < 2)
        server.stop()  // idempotent
        for c in clients {
            switch try c.receiveOutcome() {
            case .frame(let f): #expect(f.header.type == .goAway && f.header.status == .unavailable)
            case .closed: break
            case .timedOut: Issue.record("client not closed by stop()")
            }
        }
        #expect(portIsClosed(port))
    }

    @Test("deinit stops the server")
    func deinitStops() throws {
        var server: FrameServer? = try FrameServer(handler: EchoHandler())
        let port = server!.port
        let client = try TestClient(port: port)
        expectPong(try client.roundTrip(stream: 1), stream: 1, body: [])
        server = nil
        #expect(portIsClosed(port))
        _ = server
    }

    @Test("bad addresses throw SocketError")
    func badAddress() throws {
        #expect(throws: SocketError.self) {
            try FrameServer(configuration: FrameServerConfiguration(host: "not-an-ip"), handler: EchoHandler())
        }
        let server = try FrameServer(handler: EchoHandler())
        defer { server.stop() }
        do {
            _ = try FrameServer(configuration: FrameServerConfiguration(port: server.port), handler: EchoHandler())
            Issue.record("binding a taken port succeeded")
        } catch {
            #expect(error.errno == EADDRINUSE)
            #expect(error.description.contains("bind"))
        }
    }
}
