#if canImport(Glibc)
import Glibc
#endif

/// Blocking buffered I/O on one accepted connection (10 s receive timeout), owned by its handler thread; the
/// ``LoopbackListener`` closes the descriptor when the handler returns.
public final class SocketConnection {
    public let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The bytes up to (without) the next CRLF (or LF); nil at EOF, on an error or a timeout.
    public func readLine(limit: Int = 1 << 20) -> String? {
        while true {
            if let lf = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<lf])
                buffer.removeSubrange(...lf)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if buffer.count > limit || !fill() { return nil }
        }
    }

    /// Exactly `count` bytes; nil when the connection ends first.
    public func read(count: Int) -> [UInt8]? {
        while buffer.count < count { if !fill() { return nil } }
        let out = Array(buffer[..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Blocks until the peer closes the connection or ``LoopbackListener/stop()`` shuts it down.
    public func waitForClose() {
        while fill() { buffer.removeAll() }
    }

    public func write(_ text: String) {
        let bytes = Array(text.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            off += n
        }
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer += chunk[0..<n]
                return true
            }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }
}
