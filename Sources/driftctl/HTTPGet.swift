#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 GET over one TCP connection (`Connection: close`, read to EOF), for `driftctl top`.
enum HTTPGet {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The status and body of `GET path` at `host:port` (IPv4), waiting at most `timeoutMs` per read.
    static func fetch(host: String, port: UInt16, path: String, timeoutMs: Int = 5000) throws(Failure) -> (status: Int, body: String) {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { throw Failure(description: "'\(host)' is not an IPv4 address") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutMs / 1000, tv_usec: (timeoutMs % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            throw Failure(description: "cannot connect to driftd's HTTP endpoint at \(host):\(port): "
                + "\(String(cString: strerror(errno))) (is driftd running with --http-port?)")
        }
        var request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nUser-Agent: driftctl\r\n\r\n"
        let sent = request.withUTF8 { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.utf8.count else { throw Failure(description: "cannot send to \(host):\(port)") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw Failure(description: "reading from \(host):\(port): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= 64 << 20 else { throw Failure(description: "the answer from \(host):\(port) is over 64 MiB") }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n"), text.hasPrefix("HTTP/1.") else {
            throw Failure(description: "\(host):\(port) did not answer HTTP")
        }
        let statusLine = text[..<split.lowerBound].prefix { $0 != "\r" }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "bad HTTP status line '\(statusLine)'") }
        return (status, String(text[split.upperBound...]))
    }
}
