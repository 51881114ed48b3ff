import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1:0 that hands every accepted connection to `handler` on a thread of its own.
/// ``stop()`` shuts the listener down and every open connection (so handlers blocked in a read return).
///
/// Only the accept thread closes the listening descriptor, when it exits: were ``stop()`` to close it, a thread
/// not yet (or no longer) inside `accept` could call it on the same number reused by another test's listener
/// and steal that listener's connections.
public final class LoopbackListener: Sendable {
    public let port: UInt16
    private let listenFD: Int32
    private let open = Mutex<Set<Int32>>([])
    private let stopped = Atomic<Bool>(false)

    public init(handler: @escaping @Sendable (SocketConnection) -> Void) throws(TestReceiverError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestReceiverError("socket: errno \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 32) == 0 else {
            close(fd)
            throw TestReceiverError("bind/listen: errno \(errno)")
        }
        listenFD = fd
        var local = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = UInt16(bigEndian: local.sin_port)
        let thread = Thread { [self] in
            defer { Glibc.close(fd) }
            while true {
                let conn = accept(fd, nil, nil)
                if conn < 0 {
                    if errno == EINTR && !stopped.load(ordering: .acquiring) { continue }
                    return  // the listener was shut down
                }
                let admitted = open.withLock { set -> Bool in
                    if stopped.load(ordering: .acquiring) { return false }
                    set.insert(conn)
                    return true
                }
                guard admitted else {
                    Glibc.close(conn)
                    return
                }
                let worker = Thread { [self] in
                    let connection = SocketConnection(fd: conn)
                    handler(connection)
                    connection.endTLS()  // close_notify while the descriptor is still this connection's
                    open.withLock { set in
                        set.remove(conn)
                        shutdown(conn, Int32(SHUT_RDWR))
                        Glibc.close(conn)
                    }
                }
                worker.start()
            }
        }
        thread.start()
    }

    /// Stops accepting (a blocked or later `accept` fails, and the accept thread closes the listener) and shuts
    /// down the open connections (idempotent).
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        open.withLock { set in for fd in set { shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    deinit { stop() }
}

/// Why a test receiver could not start.
public struct TestReceiverError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
