import DriftWire
import Glibc

/// A tiny blocking frame client for the tests: connects to 127.0.0.1, writes frames with `FrameEncoder`, reads
/// them with `FrameDecoder`. Every read has a receive timeout (SO_RCVTIMEO), so a test never hangs.
final class TestClient {
    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        case timedOut
        case closed
        var description: String {
            switch self {
            case .system(let op, let e): "\(op): \(String(cString: strerror(e))) (errno \(e))"
            case .timedOut: "timed out"
            case .closed: "connection closed by the server"
            }
        }
    }

    /// What the server did to the connection, as the client sees it.
    enum Outcome: Equatable {
        case frame(Frame)
        case closed       // EOF or reset
        case timedOut
    }

    let fd: Int32
    private var decoder = FrameDecoder()
    private let encoder = FrameEncoder()

    init(port: UInt16, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure.system("socket", errno) }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, 4)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            let e = errno
            close(fd)
            throw Failure.system("connect", e)
        }
    }

    deinit { close(fd) }

    func send(_ frame: Frame) throws {
        try sendRaw(try encoder.encode(frame))
    }

    func sendRaw(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.system("send", errno)
            }
            off += n
        }
    }

    /// The next frame; throws `.closed` on EOF/reset and `.timedOut` after the receive timeout.
    func receive() throws -> Frame {
        switch try receiveOutcome() {
        case .frame(let f): return f
        case .closed: throw Failure.closed
        case .timedOut: throw Failure.timedOut
        }
    }

    func receiveOutcome() throws -> Outcome {
        var buf = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            if let f = try decoder.next() { return .frame(f) }
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                decoder.append(buf[0..<n])
            } else if n == 0 {
                return .closed
            } else {
                let e = errno
                if e == EINTR { continue }
                if e == EAGAIN || e == EWOULDBLOCK { return .timedOut }
                if e == ECONNRESET { return .closed }
                throw Failure.system("recv", e)
            }
        }
    }

    /// One PING on `stream` and its answer.
    func roundTrip(stream: UInt32, body: [UInt8] = []) throws -> Frame {
        try send(Frame(header: FrameHeader(type: .ping, streamID: stream), body: body))
        return try receive()
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }
}

/// True when nothing listens on 127.0.0.1:`port` (connect is refused).
func portIsClosed(_ port: UInt16) -> Bool {
    do {
        _ = try TestClient(port: port, timeoutSeconds: 1)
        return false
    } catch TestClient.Failure.system(_, let e) {
        return e == ECONNREFUSED
    } catch {
        return false
    }
}
