import DriftFakeServer
import DriftClient
import DriftServer
import DriftWire
import Dispatch
import Foundation
import Synchronization
import Testing

extension DriftClientTests {
    @Test("NOT_FOUND and FAILED_PRECONDITION become errors with the server's message")
    func serverStatuses() throws {
        let fx = try ServerFixture()
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }

        let missing = try #require(caught { try client.getSource("nope") })
        #expect(missing.status == .notFound)
        #expect(missing.origin == .server)
        #expect(missing.message == "no source named nope")
        #expect(missing.fieldPath == "name")
        #expect(missing.description == "NOT_FOUND: no source named nope (field: name)")
        #expect(!missing.retryable)

        let unknownSource = try #require(caught { try client.checkDrift(source: "nope", block: try block(rows: 50, seed: 1)) })
        #expect(unknownSource.status == .notFound)

        #expect(try client.createSource(SourceSpec(name: "fresh", features: features)))
        let noBaseline = try #require(caught { try client.checkDrift(source: "fresh", block: try block(rows: 50, seed: 1)) })
        #expect(noBaseline.status == .failedPrecondition)
        #expect(noBaseline.message == "source fresh has no baseline yet")
        #expect(noBaseline.description == "FAILED_PRECONDITION: source fresh has no baseline yet")
    }

    @Test("connection refused reads well")
    func connectionRefused() throws {
        let port = unusedPort()
        let error = try #require(caught { try DriftClient(configuration: DriftClientConfiguration(port: port)) })
        #expect(error.status == .unavailable)
        #expect(error.origin == .connection)
        #expect(error.message == "cannot connect to driftd at 127.0.0.1:\(port): connection refused (is driftd running?)")
        #expect(error.description == error.message)
    }

    @Test("frames over the announced limits fail locally with RESOURCE_EXHAUSTED naming the limit; nothing is sent")
    func localLimits() throws {
        let fx = try ServerFixture(limits: FrameLimits(maxMetadata: 512, maxFrameBody: 2048, maxDecoded: 1 << 20))
        defer { fx.close() }
        let client = try fx.client()
        defer { client.close() }
        #expect(client.limits.maxFrameBody == 2048)
        #expect(try client.createSource(SourceSpec(name: "s", features: features)))
        let sent = client.statistics.requestsSent

        let big = try block(rows: 5000, seed: 1)
        #expect(big.bytes.count > 2048)
        let body = try #require(caught { try client.checkDrift(source: "s", block: big) })
        #expect(body.status == .resourceExhausted)
        #expect(body.origin == .local)
        #expect(body.message.contains("max_frame_body limit of 2048 bytes"))
        #expect(!body.retryable)

        let meta = try #require(caught { try client.getSource(String(repeating: "n", count: 600)) })
        #expect(meta.status == .resourceExhausted)
        #expect(meta.message.contains("max_meta limit of 512 bytes"))
        #expect(client.statistics.requestsSent == sent)
        // The connection is still fine.
        #expect(try client.getSource("s").source.name == "s")
    }

    @Test("a response that does not come in budget + grace fails DEADLINE_EXCEEDED locally and is cancelled")
    func localTimeout() throws {
        let cancelled = Mutex<(request: UInt32, cancel: UInt32)?>(nil)
        let fake = try FakeServer { c, _ in
            guard let request = c.receiveRequest() else { return }
            // Never answer; wait for the CANCEL.
            while let f = c.receive() {
                if f.header.type == .cancel {
                    cancelled.withLock { $0 = (request.header.streamID, f.header.streamID) }
                    break
                }
            }
            _ = c.receive()
        }
        defer { fake.stop() }
        var config = DriftClientConfiguration(port: fake.port)
        config.responseGraceMs = 100
        let client = try DriftClient(configuration: config)
        defer { client.close() }

        let error = try #require(caught { try client.call(method: .serverStats, metadata: [], budgetMs: 50) })
        #expect(error.status == .deadlineExceeded)
        #expect(error.origin == .local)
        #expect(error.message.contains("the 50 ms budget + 100 ms grace"))
        #expect(eventually { cancelled.withLock { $0 } != nil })
        let ids = try #require(cancelled.withLock { $0 })
        #expect(ids.request == ids.cancel)
        #expect(client.statistics.localTimeouts == 1)
    }

    @Test("handshake refusals: a refused token and a version mismatch are typed errors")
    func handshakeErrors() throws {
        let refusing = try FakeServer(ack: HelloAck(status: .unauthenticated, message: "missing or invalid auth token")) { _, _ in }
        defer { refusing.stop() }
        let auth = try #require(caught {
            try DriftClient(configuration: DriftClientConfiguration(port: refusing.port, token: "wrong"))
        })
        #expect(auth.status == .unauthenticated)
        #expect(auth.message.contains("refused the auth token"))
        #expect(!auth.retryable)

        let newer = try FakeServer(ack: HelloAck(status: .unimplemented, message: "no common wire version")) { _, _ in }
        defer { newer.stop() }
        let version = try #require(caught { try DriftClient(configuration: DriftClientConfiguration(port: newer.port)) })
        #expect(version.status == .unimplemented)
        #expect(version.message.contains("wire version mismatch"))
    }
}
