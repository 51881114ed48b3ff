import CEpoll
import Glibc

/// Small wrappers over the socket calls `FrameServer` needs, with the Glibc import quirks
/// (enum-typed and `Int`-typed constants) resolved in one place.
enum SocketSupport {
    static let sockStream = Int32(SOCK_STREAM.rawValue)
    static let sockNonBlock = Int32(SOCK_NONBLOCK.rawValue)
    static let sockCloexec = Int32(SOCK_CLOEXEC.rawValue)
    static let msgNoSignal = Int32(MSG_NOSIGNAL)
    static let ipprotoTCP = Int32(IPPROTO_TCP)

    /// Parses a dotted IPv4 address.
    static func ipv4(_ host: String) throws(SocketError) -> in_addr {
        var addr = in_addr()
        let ok = host.withCString { inet_pton(AF_INET, $0, &addr) }
        guard ok == 1 else { throw SocketError(errno: EINVAL, operation: "parse IPv4 address '\(host)'") }
        return addr
    }

    /// A non-blocking, close-on-exec TCP socket bound to `host:port` and listening. Returns the fd and the bound
    /// port (the ephemeral one when `port` is 0).
    static func listen(host: String, port: UInt16, backlog: Int32) throws(SocketError) -> (fd: Int32, port: UInt16) {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr = try ipv4(host)
        let fd = try SocketError.check(socket(AF_INET, sockStream | sockNonBlock | sockCloexec, 0), "socket")
        do {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt SO_REUSEADDR")
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try SocketError.check(rc, "bind \(host):\(port)")
            try SocketError.check(Glibc.listen(fd, backlog), "listen")
            return (fd, try localPort(fd))
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// The local port of a bound socket.
    static func localPort(_ fd: Int32) throws(SocketError) -> UInt16 {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        try SocketError.check(rc, "getsockname")
        return UInt16(bigEndian: addr.sin_port)
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32,
                          _ operation: @autoclosure () -> String) throws(SocketError) {
        var v = value
        try SocketError.check(setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)), operation())
    }

    /// Monotonic clock in nanoseconds.
    static func nowNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
