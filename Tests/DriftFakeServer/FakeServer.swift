import DriftWire
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A raw imitation of driftd on 127.0.0.1:0, for behaviour the real server cannot be made to show on demand (a
/// server that never answers, GOAWAY with a chosen last_stream_id, a refused handshake, answers held back and
/// reordered). Every accepted connection gets its own thread: it reads the HELLO, answers with `ack`, and (when
/// the ack is OK) runs `script` with the connection and its 0-based index; the connection is closed after.
public final class FakeServer: Sendable {
    public let port: UInt16
    private let listenFD: Int32
    /// Connections accepted so far.
    public let accepted = Atomic<Int>(0)

    /// An OK HELLO_ACK announcing `limits`.
    public static func okAck(_ limits: ConnectionLimits = ConnectionLimits(), keepaliveMs: UInt64 = 0) -> HelloAck {
        HelloAck(status: .ok, chosenVersion: 1, limits: limits, keepaliveMinIntervalMs: keepaliveMs,
                 methods: MethodID.descriptors)
    }

    public init(ack: HelloAck = FakeServer.okAck(), script: @escaping @Sendable (FakeConnection, Int) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FakeServerError("socket: errno \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw FakeServerError("bind/listen: errno \(errno)")
        }
        listenFD = fd
        port = localPort(fd)
        let thread = Thread { [self, listenFD = fd] in
            while true {
                let conn = accept(listenFD, nil, nil)
                guard conn >= 0 else { return }  // the listener was shut down
                let index = self.accepted.add(1, ordering: .relaxed).oldValue
                let worker = Thread {
                    let c = FakeConnection(fd: conn)
                    defer { c.close() }
                    guard let hello = c.receive(), hello.header.type == .hello else { return }
                    c.send(Frame(header: FrameHeader(type: .helloAck, status: ack.status), metadata: ack.encode()))
                    if ack.status == .ok { script(c, index) }
                }
                worker.start()
            }
        }
        thread.start()
    }

    /// Stops accepting (open connections end with their scripts).
    public func stop() {
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
    }
}

public struct FakeServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One connection of a `FakeServer`: blocking frame I/O with a 10 s receive timeout.
public final class FakeConnection: @unchecked Sendable {
    public let fd: Int32
    private var decoder = FrameDecoder()

    public init(fd: Int32) {
        self.fd = fd
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next frame; nil at EOF, on a timeout or a decoding error.
    public func receive() -> Frame? {
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            do {
                if let f = try decoder.next() { return f }
            } catch {
                return nil
            }
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            decoder.append(buf[0..<n])
        }
    }

    /// The next REQUEST (skipping PINGs, which are answered, and other frames); nil at EOF or timeout.
    public func receiveRequest() -> Frame? {
        while let f = receive() {
            switch f.header.type {
            case .request: return f
            case .ping:
                if let p = try? Ping.decode(f.metadata) { send(Frame(header: FrameHeader(type: .pong), metadata: p.pong.encode())) }
            default: continue
            }
        }
        return nil
    }

    public func send(_ frame: Frame) {
        let bytes = frame.encode()
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            off += n
        }
    }

    /// An OK RESPONSE to `request` carrying `metadata`.
    public func respond(to request: Frame, metadata: [UInt8], status: WireStatus = .ok) {
        let h = FrameHeader(type: .response, flags: .endStream, status: status, streamID: request.header.streamID,
                            methodID: request.header.methodID, methodVersion: request.header.methodVersion)
        send(Frame(header: h, metadata: metadata))
    }

    public func goAway(lastStreamID: UInt32, status: WireStatus = .unavailable, message: String = "draining",
                retryAfterMs: UInt64 = 0) {
        let g = GoAway(status: status, message: message, lastStreamID: lastStreamID, retryAfterMs: retryAfterMs)
        send(Frame(header: FrameHeader(type: .goAway, status: status), metadata: g.encode()))
    }

    public func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }
}

public func localPort(_ fd: Int32) -> UInt16 {
    var addr = sockaddr_in()
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return UInt16(bigEndian: addr.sin_port)
}

/// A loopback port nobody listens on: bound, then closed.
public func unusedPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    let port = localPort(fd)
    close(fd)
    return port
}

/// Waits (up to `seconds`) until `condition` holds; true if it did. For waiting on events, never for asserting
/// how long something took.
public func eventually(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}
