import CEpoll
import Glibc

/// The single epoll thread of a `FrameServer` or an `HTTPServer`: accepts, reads and hands the bytes to the
/// connection's `LoopSession` (the `LoopDriver` decides what they mean), writes queued bytes, runs one deadline per
/// connection, closes. Level-triggered; EPOLLOUT is armed only while a write hit EAGAIN.
///
/// Everything here is touched only by the loop thread, except `mailbox` (which is thread-safe); hence
/// `@unchecked Sendable`, needed only to hand the object to the new thread.
final class EventLoop: @unchecked Sendable {
    private let epollFD: Int32
    /// The listener; -1 once `stopAccepting` closed it.
    private var listenFD: Int32
    private let mailbox: Mailbox
    private let driver: any LoopDriver
    private let settings: Settings

    /// What the loop itself needs to know (the rest belongs to the driver).
    struct Settings {
        var maxConnections: Int
        var closeLingerMilliseconds: Int
    }

    private var connections: [Int32: Connection] = [:]
    private var byID: [UInt64: Connection] = [:]
    private var closing: [UInt64: Connection] = [:]
    /// Connections with a session deadline.
    private var timed: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 1
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var events: [epoll_event]

    private static let readSize = 64 << 10
    /// Reads per readiness event before other connections get a turn.
    private static let readsPerEvent = 4
    /// Accepts per readiness event of the listener.
    private static let acceptsPerEvent = 64

    init(listenFD: Int32, mailbox: Mailbox, driver: any LoopDriver, settings: Settings) throws(SocketError) {
        let ep = try SocketError.check(epoll_create1(Int32(EPOLL_CLOEXEC)), "epoll_create1")
        self.epollFD = ep
        self.listenFD = listenFD
        self.mailbox = mailbox
        self.driver = driver
        self.settings = settings
        self.readBuffer = .allocate(byteCount: EventLoop.readSize, alignment: 16)
        self.events = Array(repeating: epoll_event(), count: 256)
        do {
            try control(EPOLL_CTL_ADD, listenFD, EPOLLIN.rawValue)
            try control(EPOLL_CTL_ADD, mailbox.eventFD, EPOLLIN.rawValue)
        } catch {
            Glibc.close(ep)
            readBuffer.deallocate()
            throw error
        }
    }

    deinit { readBuffer.deallocate() }

    /// Runs until the mailbox asks to stop, then closes every socket (listener included) and the epoll fd.
    func run() {
        while true {
            let work = mailbox.takeWork()
            apply(work)  // also on stop: answers queued just before it get their chance to be written
            if work.stop { break }
            let n = events.withUnsafeMutableBufferPointer {
                epoll_wait(epollFD, $0.baseAddress, Int32($0.count), waitTimeout())
            }
            mailbox.loopDidWake()
            if n < 0 {
                if errno == EINTR { continue }
                break  // EBADF/EINVAL cannot happen with our own fds; leave rather than spin
            }
            for i in 0..<Int(n) {
                let fd = events[i].data.fd
                let flags = events[i].events
                if fd == listenFD {
                    acceptConnections()
                } else if fd == mailbox.eventFD {
                    mailbox.acknowledgeWake()
                } else if let conn = connections[fd] {
                    service(conn, flags)
                }
            }
            expireClosing()
            expireDeadlines()
        }
        shutdownAll()
    }

    // MARK: Mailbox work

    private func apply(_ work: Mailbox.Work) {
        if work.stopAccepting && listenFD >= 0 {
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, listenFD, nil)
            Glibc.close(listenFD)
            listenFD = -1
        }
        for (id, chunks) in work.sends {
            guard let conn = byID[id], !conn.isClosing else { continue }
            for chunk in chunks { conn.enqueue(chunk) }
            flush(conn)
            guard connections[conn.fd] === conn, !conn.isClosing else { continue }
            apply(conn.session.queuedOutput(), to: conn)
        }
        for (id, kind) in work.closes {
            guard let conn = byID[id] else { continue }
            switch kind {
            case .graceful: beginClose(conn, farewell: [])
            case .abort: closeNow(conn)
            }
        }
    }

    // MARK: Accept

    private func acceptConnections() {
        for _ in 0..<EventLoop.acceptsPerEvent {
            let fd = accept4(listenFD, nil, nil, SocketSupport.sockNonBlock | SocketSupport.sockCloexec)
            if fd < 0 {
                let e = errno
                if e == EINTR || e == ECONNABORTED { continue }
                return  // EAGAIN: done; EMFILE and the like: try again on the next event
            }
            if connections.count >= settings.maxConnections {
                Glibc.close(fd)
                continue
            }
            try? SocketSupport.setOption(fd, SocketSupport.ipprotoTCP, TCP_NODELAY, 1, "setsockopt TCP_NODELAY")
            let conn = Connection(id: nextID, fd: fd)
            nextID += 1
            do {
                try control(EPOLL_CTL_ADD, fd, EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
            } catch {
                Glibc.close(fd)
                continue
            }
            connections[fd] = conn
            byID[conn.id] = conn
            mailbox.register(conn.id)
            let (session, deadlineMs) = driver.accepted(ConnectionHandle(id: conn.id, mailbox: mailbox))
            conn.session = session
            if let ms = deadlineMs { setDeadline(conn, milliseconds: ms) }
        }
    }

    // MARK: Read and dispatch

    private func service(_ conn: Connection, _ flags: UInt32) {
        if flags & EPOLLERR.rawValue != 0 {
            closeNow(conn)
            return
        }
        if flags & EPOLLOUT.rawValue != 0 {
            flush(conn)
            if connections[conn.fd] !== conn { return }
        }
        if flags & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0 {
            readAvailable(conn)
        }
    }

    private func readAvailable(_ conn: Connection) {
        for _ in 0..<EventLoop.readsPerEvent {
            let n = Glibc.read(conn.fd, readBuffer.baseAddress, readBuffer.count)
            if n > 0 {
                if conn.isClosing { continue }  // lingering: discard what the peer still sends
                apply(conn.session.received(UnsafeRawBufferPointer(rebasing: readBuffer[0..<n])), to: conn)
                if conn.isClosing || connections[conn.fd] !== conn { return }
                if n < readBuffer.count { return }
            } else if n == 0 {
                closeNow(conn)  // peer closed (or finished lingering)
                return
            } else {
                let e = errno
                if e == EINTR { continue }
                if e != EAGAIN && e != EWOULDBLOCK { closeNow(conn) }
                return
            }
        }
    }

    /// Carries out what the session asked for.
    private func apply(_ outcome: SessionOutcome, to conn: Connection) {
        guard connections[conn.fd] === conn, !conn.isClosing else { return }
        switch outcome.deadline {
        case .keep: break
        case .clear:
            conn.deadline = nil
            timed[conn.id] = nil
        case .set(let ms): setDeadline(conn, milliseconds: ms)
        }
        if let farewell = outcome.close { beginClose(conn, farewell: farewell) }
    }

    private func setDeadline(_ conn: Connection, milliseconds: Int) {
        conn.deadline = SocketSupport.nowNanoseconds() + UInt64(max(0, milliseconds)) * 1_000_000
        timed[conn.id] = conn
    }

    // MARK: Write

    /// Writes as much of `conn.out` as the socket takes; arms EPOLLOUT on EAGAIN, disarms when drained.
    private func flush(_ conn: Connection) {
        var written = 0
        while conn.pendingWrite > 0 {
            let n = conn.out.withUnsafeBytes { raw in
                Glibc.send(conn.fd, raw.baseAddress! + conn.outOffset, conn.pendingWrite, SocketSupport.msgNoSignal)
            }
            if n > 0 {
                conn.outOffset += n
                written += n
                continue
            }
            let e = errno
            if n < 0 && e == EINTR { continue }
            if n < 0 && (e == EAGAIN || e == EWOULDBLOCK) {
                if !conn.writeArmed { setWriteInterest(conn, true) }
                break
            }
            closeNow(conn)  // EPIPE, ECONNRESET, …
            return
        }
        if written > 0 && !conn.isClosing { mailbox.wrote(written, for: conn.id) }
        if conn.pendingWrite == 0 {
            conn.resetWriteBuffer()
            if conn.writeArmed { setWriteInterest(conn, false) }
            if conn.isClosing && !conn.writeShutDown {
                conn.writeShutDown = true
                Glibc.shutdown(conn.fd, Int32(SHUT_WR))
            }
        }
    }

    private func setWriteInterest(_ conn: Connection, _ on: Bool) {
        let base = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        do {
            try control(EPOLL_CTL_MOD, conn.fd, on ? base | EPOLLOUT.rawValue : base)
            conn.writeArmed = on
        } catch {
            closeNow(conn)
        }
    }

    // MARK: Close

    /// Graceful close: stop serving, write what is queued plus `farewell` (a GOAWAY, an HTTP error response), send
    /// FIN, then discard input until the peer's EOF or the linger deadline. Closing only after the peer's EOF keeps
    /// the kernel from answering unread input with a RST that could destroy the farewell in flight.
    private func beginClose(_ conn: Connection, farewell: [UInt8]) {
        guard !conn.isClosing else { return }
        timed[conn.id] = nil
        conn.deadline = nil
        for chunk in mailbox.unregister(conn.id) { conn.enqueue(chunk) }
        if !farewell.isEmpty { conn.enqueue(farewell) }
        conn.closeDeadline = SocketSupport.nowNanoseconds() + UInt64(max(0, settings.closeLingerMilliseconds)) * 1_000_000
        closing[conn.id] = conn
        flush(conn)
    }

    /// Closes the socket at once, forgets the connection and tells the handler (the one place a registered
    /// connection ends, so the handler hears of each exactly once).
    private func closeNow(_ conn: Connection) {
        guard connections[conn.fd] === conn else { return }
        connections[conn.fd] = nil
        byID[conn.id] = nil
        closing[conn.id] = nil
        timed[conn.id] = nil
        _ = mailbox.unregister(conn.id)
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, conn.fd, nil)
        Glibc.close(conn.fd)
        conn.session = nil
        driver.closed(ConnectionHandle(id: conn.id, mailbox: mailbox))
    }

    private func expireClosing() {
        guard !closing.isEmpty else { return }
        let now = SocketSupport.nowNanoseconds()
        for conn in closing.values where conn.closeDeadline! <= now { closeNow(conn) }
    }

    /// Sessions past their deadline decide how to end (GOAWAY DEADLINE_EXCEEDED, HTTP 408, a quiet close).
    private func expireDeadlines() {
        guard !timed.isEmpty else { return }
        let now = SocketSupport.nowNanoseconds()
        for conn in Array(timed.values) where conn.deadline! <= now {
            timed[conn.id] = nil
            conn.deadline = nil
            var outcome = conn.session.deadlineExpired()
            if outcome.close == nil { outcome.close = [] }
            apply(outcome, to: conn)
        }
    }

    /// Milliseconds until the earliest linger or session deadline, or -1 (block) when there is none.
    private func waitTimeout() -> Int32 {
        let lingers = closing.values.lazy.map { $0.closeDeadline! }
        let deadlines = timed.values.lazy.map { $0.deadline! }
        guard let first = [lingers.min(), deadlines.min()].compactMap({ $0 }).min() else { return -1 }
        let now = SocketSupport.nowNanoseconds()
        if first <= now { return 0 }
        return Int32(min((first - now + 999_999) / 1_000_000, 60_000))
    }

    /// On stop: the driver's best-effort farewell (GOAWAY UNAVAILABLE) to every open connection, then every fd is
    /// closed.
    private func shutdownAll() {
        let goAway = driver.farewellOnStop ?? []
        for conn in Array(connections.values) {
            if !goAway.isEmpty && !conn.isClosing && conn.pendingWrite == 0 {
                _ = goAway.withUnsafeBytes { Glibc.send(conn.fd, $0.baseAddress, $0.count, SocketSupport.msgNoSignal) }
            }
            closeNow(conn)
        }
        if listenFD >= 0 { Glibc.close(listenFD) }
        Glibc.close(epollFD)
    }

    private func control(_ op: Int32, _ fd: Int32, _ mask: UInt32) throws(SocketError) {
        var ev = epoll_event()
        ev.events = mask
        ev.data.fd = fd
        try SocketError.check(epoll_ctl(epollFD, op, fd, &ev), "epoll_ctl")
    }
}
