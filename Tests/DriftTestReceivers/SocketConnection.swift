#if canImport(Glibc)
import Glibc
#endif

/// Blocking buffered I/O on one accepted connection (10 s receive timeout), owned by its handler thread; the
/// ``LoopbackListener`` closes the descriptor when the handler returns. Plain text until ``startTLS(_:)``, TLS
/// after it.
public final class SocketConnection {
    public let fd: Int32
    private var buffer: [UInt8] = []
    private var tls: TLSStream?

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

    /// The negotiated TLS version (e.g. `TLSv1.3`) after ``startTLS(_:)``; nil while plain text.
    public var tlsVersion: String? { tls?.version }

    /// Runs the server side of a TLS handshake on the connection (STARTTLS, or HTTPS from the first byte); true
    /// when it succeeded and reads and writes are now encrypted. Plain-text bytes the client sent ahead of the
    /// handshake are discarded (RFC 3207: nothing pipelined before STARTTLS may be acted on).
    public func startTLS(_ context: TLSServerContext) -> Bool {
        buffer.removeAll()
        guard tls == nil, let stream = TLSStream(context: context, fd: fd) else { return false }
        tls = stream
        return true
    }

    /// Ends the TLS session, if any (close_notify); the listener calls it before closing the descriptor.
    func endTLS() {
        tls?.shutdown()
        tls = nil
    }

    public func write(_ text: String) {
        let bytes = Array(text.utf8)
        if let tls {
            _ = tls.write(bytes)
            return
        }
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            off += n
        }
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        if let tls {
            let n = chunk.withUnsafeMutableBytes { tls.read(into: $0) }
            guard n > 0 else { return false }
            buffer += chunk[0..<n]
            return true
        }
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
