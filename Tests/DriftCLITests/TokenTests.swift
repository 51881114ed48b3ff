import DriftTransport
import DriftWire
import Foundation
import Testing

/// A handshake-only server that requires a token: it answers HELLO like driftd (HandshakeNegotiator) and every
/// request with UNAVAILABLE "token accepted; this test server computes nothing".
struct TokenCheckingHandler: FrameHandler {
    let negotiator: HandshakeNegotiator

    func handle(_ frame: Frame, from connection: ConnectionHandle) {
        switch frame.header.type {
        case .hello:
            guard let hello = try? Hello.decode(frame.metadata) else { return connection.close() }
            let (ack, accepted) = negotiator.respond(to: hello)
            connection.send(Frame(header: FrameHeader(type: .helloAck, status: ack.status), metadata: ack.encode()))
            if !accepted { connection.close() }
        case .request:
            let h = frame.header
            let detail = ErrorDetail(status: .unavailable, message: "token accepted; this test server computes nothing")
            connection.send(Frame(header: FrameHeader(type: .response, flags: .endStream, status: .unavailable,
                                                      streamID: h.streamID, methodID: h.methodID,
                                                      methodVersion: h.methodVersion),
                                  metadata: detail.encode()))
        default:
            break
        }
    }
}

@Suite("driftctl --token / --token-file")
struct TokenTests {
    @Test("a wrong or missing token: exit 2, 'the server refused the token'; the right one (flag or file) is accepted")
    func tokens() throws {
        let server = try FrameServer(handler: TokenCheckingHandler(negotiator: HandshakeNegotiator(
            methods: MethodID.descriptors, requiredAuthToken: "s3cret")))
        defer { server.stop() }
        let address = "127.0.0.1:\(server.port)"
        for args in [["--token", "wrong"], []] {
            let r = try CompareCommandTests.run(["stats", "--server", address] + args)
            #expect(r.status == 2 && r.stderr.contains("the server refused the token"), "\(r.stderr)")
        }
        let right = try CompareCommandTests.run(["stats", "--server", address, "--token", "s3cret"])
        #expect(right.status == 2 && right.stderr.contains("token accepted"), "\(right.stderr)")
        let file = try CompareCommandTests.temp("token.txt", "s3cret\n")
        let fromFile = try CompareCommandTests.run(["stats", "--token-file", file, "--server", address])
        #expect(fromFile.stderr.contains("token accepted"), "\(fromFile.stderr)")
        let missingFile = try CompareCommandTests.run(["stats", "--token-file", "/nonexistent/token", "--server", address])
        #expect(missingFile.status == 2 && missingFile.stderr.contains("cannot read the token file /nonexistent/token"))
    }
}
