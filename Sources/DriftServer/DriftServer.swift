import DriftTransport
import DriftWire
import Synchronization

/// The driftd server core: a `FrameServer` whose handler runs the session (HELLO first, PING/PONG on the loop
/// thread) and hands every REQUEST to a bounded worker pool that answers through `ConnectionHandle.send`.
public final class DriftServer: Sendable {
    public let configuration: DriftServerConfiguration
    private let core: ServerCore
    private let transport: FrameServer
    private let stopped = Atomic<Bool>(false)

    /// The port actually bound.
    public var port: UInt16 { transport.port }

    /// Opens (or creates) the store, binds and starts serving.
    /// - Throws: the store's error when it cannot be opened, `SocketError` when the address cannot be bound.
    public init(configuration: DriftServerConfiguration) throws {
        self.configuration = configuration
        let core = try ServerCore(configuration: configuration)
        self.core = core
        do {
            transport = try FrameServer(
                configuration: FrameServerConfiguration(host: configuration.host, port: configuration.port,
                                                        limits: configuration.limits),
                handler: SessionHandler(core: core))
        } catch {
            core.pool.stop()
            throw error
        }
    }

    /// Stops accepting and closes every connection, then lets the queued requests finish and joins the workers.
    /// Idempotent.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        transport.stop()
        core.pool.stop()
    }

    deinit { stop() }
}

/// Per-frame session logic; runs on the transport's loop thread and never computes.
struct SessionHandler: FrameHandler {
    let core: ServerCore

    func handle(_ frame: Frame, from connection: ConnectionHandle) {
        let h = frame.header
        let open = core.sessions.withLock { $0.contains(connection.id) }
        guard open else {
            guard h.type == .hello, h.streamID == 0, frame.body.isEmpty,
                  frame.metadata.count <= Hello.maxMetadataBytes else {
                let status: WireStatus = h.type == .hello && (frame.metadata.count > Hello.maxMetadataBytes
                    || !frame.body.isEmpty) ? .resourceExhausted : .invalidArgument
                goAway(connection, status, "the first frame must be HELLO on stream 0 (got \(h.type) on stream \(h.streamID))")
                return
            }
            let hello: Hello
            do { hello = try Hello.decode(frame.metadata) } catch {
                goAway(connection, .invalidArgument, "malformed HELLO: \(error)")
                return
            }
            let (ack, accepted) = core.negotiator.respond(to: hello)
            connection.send(Frame(header: FrameHeader(type: .helloAck, status: ack.status), metadata: ack.encode()))
            if accepted {
                core.sessions.withLock { _ = $0.insert(connection.id) }
            } else {
                connection.close()
            }
            return
        }
        switch h.type {
        case .ping:
            guard h.streamID == 0, let ping = try? Ping.decode(frame.metadata) else {
                return goAway(connection, .invalidArgument, "PING must be on stream 0 with a Ping message")
            }
            connection.send(Frame(header: FrameHeader(type: .pong), metadata: ping.pong.encode()))
        case .pong, .cancel:
            break  // CANCEL: best effort not implemented; the request completes normally
        case .request:
            guard h.streamID != 0 else { return goAway(connection, .invalidArgument, "REQUEST on stream 0") }
            core.accept(frame, from: connection)
        case .hello:
            goAway(connection, .invalidArgument, "HELLO after the handshake")
        case .helloAck, .response, .goAway:
            if h.type != .goAway {
                return goAway(connection, .invalidArgument, "unexpected \(h.type) from a client")
            }
            core.sessions.withLock { _ = $0.remove(connection.id) }
            connection.close()
        }
    }

    /// The transport closed the connection: forget its session, so `connections` counts open sessions only.
    func connectionClosed(_ connection: ConnectionHandle) {
        core.sessions.withLock { _ = $0.remove(connection.id) }
    }

    private func goAway(_ connection: ConnectionHandle, _ status: WireStatus, _ message: String) {
        let g = GoAway(status: status, message: message, lastStreamID: 0)
        connection.send(Frame(header: FrameHeader(type: .goAway, status: status), metadata: g.encode()))
        core.sessions.withLock { _ = $0.remove(connection.id) }
        connection.close()
    }
}
