import DriftWire

/// The frame layer on an `EventLoop`: a `FrameDecoder` per connection, the `FrameHandler` per decoded frame,
/// GOAWAY on connection errors, the handshake phase as the connection's deadline.
struct FrameDriver: LoopDriver {
    let handler: any FrameHandler
    let config: FrameServerConfiguration
    let mailbox: Mailbox

    func accepted(_ handle: ConnectionHandle) -> (session: any LoopSession, deadlineMs: Int?) {
        if let timeout = config.handshakeTimeoutMilliseconds {
            let session = FrameSession(handle: handle, driver: self, limits: config.preHandshakeLimits, handshaking: true)
            return (session, max(0, timeout))
        }
        return (FrameSession(handle: handle, driver: self, limits: config.limits, handshaking: false), nil)
    }

    var farewellOnStop: [UInt8]? { Frame(header: FrameHeader(type: .goAway, status: .unavailable)).encode() }

    func closed(_ handle: ConnectionHandle) { handler.connectionClosed(handle) }
}

final class FrameSession: LoopSession {
    let handle: ConnectionHandle
    let driver: FrameDriver
    var decoder: FrameDecoder
    var handshaking: Bool

    init(handle: ConnectionHandle, driver: FrameDriver, limits: FrameLimits, handshaking: Bool) {
        self.handle = handle
        self.driver = driver
        self.decoder = FrameDecoder(limits: limits)
        self.handshaking = handshaking
    }

    func received(_ bytes: UnsafeRawBufferPointer) -> SessionOutcome {
        decoder.append(bytes)
        var outcome = SessionOutcome()
        while true {
            do {
                guard let frame = try decoder.next() else { return outcome }
                driver.handler.handle(frame, from: handle)
                if handshaking && driver.mailbox.takeEstablished(handle.id) {
                    handshaking = false
                    outcome.deadline = .clear
                    decoder.raiseLimits(to: driver.config.limits)
                }
            } catch {
                if error.isConnectionError {
                    outcome.close = Self.goAway(error.code, message: error.description)
                    return outcome
                }
                // Request-level: the decoder skipped the frame; answer on its stream and go on.
                let detail = ErrorDetail(status: error.code, message: error.message)
                handle.send(Frame(header: FrameHeader(type: .response, flags: .endStream, status: error.code,
                                                      streamID: error.streamID ?? 0, methodID: error.methodID,
                                                      methodVersion: error.methodVersion),
                                  metadata: detail.encode()))
            }
        }
    }

    func queuedOutput() -> SessionOutcome { SessionOutcome() }

    /// The handshake phase ran out: GOAWAY DEADLINE_EXCEEDED.
    func deadlineExpired() -> SessionOutcome {
        let ms = driver.config.handshakeTimeoutMilliseconds ?? 0
        return SessionOutcome(close: Self.goAway(.deadlineExceeded, message: "no handshake within \(ms) ms of connecting"))
    }

    static func goAway(_ status: WireStatus, message: String?) -> [UInt8] {
        let meta = message.map { GoAway(status: status, message: $0, lastStreamID: 0).encode() } ?? []
        return Frame(header: FrameHeader(type: .goAway, status: status), metadata: meta).encode()
    }
}
