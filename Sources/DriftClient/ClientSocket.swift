import Glibc

/// The blocking TCP socket of one connection, with the Glibc quirks resolved in one place.
///
/// Connecting is non-blocking with `poll` for the timeout, then the socket is switched to blocking with
/// TCP_NODELAY (requests are small and latency-bound). Writes pass MSG_NOSIGNAL, so a closed peer gives EPIPE
/// instead of killing the process with SIGPIPE.
struct ClientSocket: Sendable {
    let fd: Int32

    /// Resolves `host`, then tries its addresses in order until one accepts within the remaining time.
    /// - Throws: UNAVAILABLE (origin connection) with a readable message, e.g. `cannot connect to driftd at
    ///   127.0.0.1:7400: connection refused (is driftd running?)`.
    static func connect(host: String, port: UInt16, endpoint: String, timeoutMs: UInt32) throws(DriftClientError) -> ClientSocket {
        let deadline = MonotonicClock.deadline(afterMilliseconds: UInt64(timeoutMs))
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let reason = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw DriftClientError(status: .unavailable,
                                   message: "cannot connect to driftd at \(endpoint): cannot resolve '\(host)': \(reason.lowercasedFirst)",
                                   origin: .connection)
        }
        defer { freeaddrinfo(list) }
        var lastErrno: Int32 = ECONNREFUSED
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            switch attempt(info.pointee, deadline: deadline) {
            case .success(let fd): return ClientSocket(fd: fd)
            case .failure(let failure): lastErrno = failure.code
            }
            if MonotonicClock.nanoseconds() >= deadline { lastErrno = ETIMEDOUT; break }
        }
        throw DriftClientError(status: .unavailable,
                               message: "cannot connect to driftd at \(endpoint): \(describe(errno: lastErrno, timeoutMs: timeoutMs))",
                               origin: .connection)
    }

    private struct Errno: Error { var code: Int32 }

    private static func attempt(_ info: addrinfo, deadline: UInt64) -> Result<Int32, Errno> {
        let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return .failure(Errno(code: errno)) }
        var rc = Glibc.connect(fd, info.ai_addr, info.ai_addrlen)
        if rc != 0 && errno == EINPROGRESS {
            while true {
                let now = MonotonicClock.nanoseconds()
                guard now < deadline else { Glibc.close(fd); return .failure(Errno(code: ETIMEDOUT)) }
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let n = poll(&pfd, 1, Int32(clamping: (deadline - now + 999_999) / 1_000_000))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { continue }  // timeout: the loop checks the deadline
                var soError: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
                rc = soError == 0 ? 0 : -1
                if soError != 0 { errno = soError }
                break
            }
        }
        guard rc == 0 else {
            let code = errno
            Glibc.close(fd)
            return .failure(Errno(code: code))
        }
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags & ~Int32(O_NONBLOCK))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return .success(fd)
    }

    /// A lower-case reason for a failed connect, with the hint a user needs.
    static func describe(errno code: Int32, timeoutMs: UInt32) -> String {
        switch code {
        case ECONNREFUSED: "connection refused (is driftd running?)"
        case ETIMEDOUT: "no answer within \(timeoutMs) ms (is the address right and reachable?)"
        case EHOSTUNREACH: "host unreachable"
        case ENETUNREACH: "network unreachable"
        case EADDRNOTAVAIL: "address not available"
        default: describe(errno: code)
        }
    }

    /// strerror, lower-cased first letter ("broken pipe").
    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code)).lowercasedFirst
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    /// - Returns: nil on success, else the errno.
    func sendAll(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }

    func sendAll(_ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { sendAll($0) }
    }

    /// Waits up to `timeoutMs` (−1 = forever) for input. True when readable (or at EOF / error).
    func waitReadable(timeoutMs: Int32) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let n = poll(&pfd, 1, timeoutMs)
        return n > 0
    }

    /// One `recv` into `buffer`: > 0 bytes read, 0 at EOF, < 0 on error (`errno` set; EINTR/EAGAIN are not errors).
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        Glibc.recv(fd, buffer.baseAddress, buffer.count, 0)
    }

    /// Stops both directions: a blocked `recv`/`send` on another thread returns at once. The descriptor stays open.
    func shutdown() { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    func close() { _ = Glibc.close(fd) }
}

extension String {
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
