import Dispatch
import DriftTransport
import DriftWire
import Glibc
import Synchronization

/// PING → PONG on the same stream with the same body, inline on the loop thread. A PING on stream
/// `closeStream` is answered, then the connection is closed (and a second PONG is refused).
struct EchoHandler: FrameHandler {
    static let closeStream: UInt32 = 0xC105E
    /// Bytes of extra body added to every PONG (to fill a reader's queue in the overflow test).
    var padding = 0

    func handle(_ frame: Frame, from connection: ConnectionHandle) {
        guard frame.header.type == .ping else { return }
        let body = padding == 0 ? frame.body : frame.body + [UInt8](repeating: 0xAB, count: padding)
        connection.send(Frame(header: FrameHeader(type: .pong, streamID: frame.header.streamID), body: body))
        if frame.header.streamID == EchoHandler.closeStream {
            connection.close()
            precondition(!connection.send(Frame(header: FrameHeader(type: .pong))), "send after close() accepted")
        }
    }
}

/// Collects `batch` PINGs per connection, then answers them from a Dispatch queue in reverse order.
final class ReversingHandler: FrameHandler {
    let batch: Int
    private let pending = Mutex<[UInt64: [Frame]]>([:])

    init(batch: Int) { self.batch = batch }

    func handle(_ frame: Frame, from connection: ConnectionHandle) {
        let ready: [Frame]? = pending.withLock { p in
            p[connection.id, default: []].append(frame)
            guard p[connection.id]!.count == batch else { return nil }
            return p.removeValue(forKey: connection.id)
        }
        guard let frames = ready else { return }
        DispatchQueue.global().async {
            for f in frames.reversed() {
                connection.send(Frame(header: FrameHeader(type: .pong, streamID: f.header.streamID), body: f.body))
            }
        }
    }
}

/// Answers every PING from a Dispatch queue after a delay that depends on the stream id (0–9 ms).
struct DelayedHandler: FrameHandler {
    func handle(_ frame: Frame, from connection: ConnectionHandle) {
        let delay = DispatchTimeInterval.milliseconds(Int(frame.header.streamID % 10))
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
            connection.send(Frame(header: FrameHeader(type: .pong, streamID: frame.header.streamID), body: frame.body))
        }
    }
}

/// `EchoHandler` that also records every connection it saw a frame from and every `connectionClosed` call.
final class CloseCountingHandler: FrameHandler {
    private let echo: EchoHandler
    private let state = Mutex<(seen: Set<UInt64>, closed: [UInt64: Int], sendAccepted: Int)>(([], [:], 0))

    init(padding: Int = 0) { echo = EchoHandler(padding: padding) }

    func handle(_ frame: Frame, from connection: ConnectionHandle) {
        _ = state.withLock { $0.seen.insert(connection.id) }
        echo.handle(frame, from: connection)
    }

    func connectionClosed(_ connection: ConnectionHandle) {
        // The connection is already gone: a send must be refused.
        let accepted = connection.send(Frame(header: FrameHeader(type: .pong)))
        state.withLock {
            $0.closed[connection.id, default: 0] += 1
            if accepted { $0.sendAccepted += 1 }
        }
    }

    var seen: Set<UInt64> { state.withLock { $0.seen } }
    /// Close calls per connection id.
    var closed: [UInt64: Int] { state.withLock { $0.closed } }
    var totalCloses: Int { state.withLock { $0.closed.values.reduce(0, +) } }
    var sendsAcceptedAfterClose: Int { state.withLock { $0.sendAccepted } }

    /// Polls until `totalCloses` reaches `count` or `seconds` pass; true when it did.
    func waitForCloses(_ count: Int, seconds: Double = 5) -> Bool {
        let deadline = DispatchTime.now() + seconds
        while totalCloses < count {
            if DispatchTime.now() >= deadline { return false }
            usleep(2000)
        }
        return true
    }
}
