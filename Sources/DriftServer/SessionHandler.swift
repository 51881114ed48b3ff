import DriftTransport
import DriftWire

/// Per-frame session logic; runs on the transport's loop thread and never computes: HELLO first (the transport
/// enforces the pre-handshake limits and the HELLO timer until `markEstablished()`), PING/PONG, CANCEL, GOAWAY,
/// and REQUESTs handed to `ServerCore.accept`.
struct SessionHandler: FrameHandler {
    let core: ServerCore

    func handle(_ frame: Frame, from connection: ConnectionHandle) {
        let h = frame.header
        guard let session = core.session(connection) else { return handshake(frame, connection) }
        switch h.type {
        case .ping:
            guard h.streamID == 0, let ping = try? Ping.decode(frame.metadata) else {
                return core.goAway(session, .invalidArgument, "PING must be on stream 0 with a Ping message")
            }
            connection.send(Frame(header: FrameHeader(type: .pong), metadata: ping.pong.encode()))
        case .pong:
            break
        case .cancel:
            guard h.streamID != 0 else { return core.goAway(session, .invalidArgument, "CANCEL on stream 0") }
            core.cancel(streamID: h.streamID, on: session)
        case .request:
            guard h.streamID != 0 else { return core.goAway(session, .invalidArgument, "REQUEST on stream 0") }
            core.accept(frame, on: session)
        case .hello:
            core.goAway(session, .invalidArgument, "HELLO after the handshake")
        case .goAway:
            // The client is leaving: its answers in flight are not wanted any more.
            connection.close()
        case .helloAck, .response:
            core.goAway(session, .invalidArgument, "unexpected \(h.type) from a client")
        }
    }

    /// The first frame of a connection (the transport's pre-handshake limits already bound its size).
    private func handshake(_ frame: Frame, _ connection: ConnectionHandle) {
        let h = frame.header
        guard h.type == .hello, h.streamID == 0, frame.body.isEmpty else {
            return refuse(connection, .invalidArgument,
                          "the first frame must be HELLO on stream 0 (got \(h.type) on stream \(h.streamID))")
        }
        let hello: Hello
        do { hello = try Hello.decode(frame.metadata) } catch {
            return refuse(connection, .invalidArgument, "malformed HELLO: \(error)")
        }
        if core.draining.load(ordering: .acquiring) {
            let ack = HelloAck(status: .unavailable, message: "driftd is shutting down")
            connection.send(Frame(header: FrameHeader(type: .helloAck, status: ack.status), metadata: ack.encode()))
            return connection.close()
        }
        let (ack, accepted) = core.negotiator.respond(to: hello)
        connection.send(Frame(header: FrameHeader(type: .helloAck, status: ack.status), metadata: ack.encode()))
        if accepted {
            core.open(connection)
            connection.markEstablished()
        } else {
            if ack.status == .unauthenticated { core.stats.authFailures.add(1, ordering: .relaxed) }
            connection.close()
        }
    }

    /// The transport closed the connection: forget its session, so `connections` counts open sessions only.
    func connectionClosed(_ connection: ConnectionHandle) {
        core.closed(connection)
    }

    private func refuse(_ connection: ConnectionHandle, _ status: WireStatus, _ message: String) {
        let g = GoAway(status: status, message: message, lastStreamID: 0)
        connection.send(Frame(header: FrameHeader(type: .goAway, status: status), metadata: g.encode()))
        connection.close()
    }
}
