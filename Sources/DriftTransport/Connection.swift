/// Loop-thread state of one accepted socket: its protocol session, its write buffer and where it is in closing.
///
///     open ──(protocol error / close() / peer gone)──► closing: flush, shutdown(SHUT_WR), discard input until EOF
///       │                                                 │ or the linger deadline
///       └──────────── abort (error, overflow, stop) ──────┴──► closed (fd closed, unregistered)
final class Connection {
    let id: UInt64
    let fd: Int32
    /// The protocol (frames, HTTP); set right after accept.
    var session: (any LoopSession)!
    /// Bytes to write; `outOffset` of them are already written.
    var out: [UInt8] = []
    var outOffset = 0
    /// EPOLLOUT is in the interest set (armed only after EAGAIN).
    var writeArmed = false
    /// Set when closing began: the monotonic time (ns) after which the socket is closed regardless.
    var closeDeadline: UInt64?
    /// `shutdown(SHUT_WR)` was issued after the last byte was written.
    var writeShutDown = false
    /// The session's deadline (monotonic ns): the frame layer's handshake phase, HTTP's request timeout.
    var deadline: UInt64?

    init(id: UInt64, fd: Int32) {
        self.id = id
        self.fd = fd
    }

    var isClosing: Bool { closeDeadline != nil }
    var pendingWrite: Int { out.count - outOffset }

    /// Appends bytes to write, first dropping the written prefix when it is the larger part of the buffer.
    func enqueue(_ bytes: [UInt8]) {
        if outOffset > 0 && outOffset >= out.count - outOffset {
            out.removeFirst(outOffset)
            outOffset = 0
        }
        out.append(contentsOf: bytes)
    }

    /// Marks everything written; keeps a modest buffer for reuse and frees a large one.
    func resetWriteBuffer() {
        if out.capacity > 1 << 20 { out = [] } else { out.removeAll(keepingCapacity: true) }
        outOffset = 0
    }
}
