import DriftWire

/// Loop-thread state of one accepted socket: its decoder, its write buffer and where it is in closing.
///
///     open ──(WireError / close() / peer gone)──► closing: flush, shutdown(SHUT_WR), discard input until EOF
///       │                                            │ or the linger deadline
///       └──────────── abort (error, overflow, stop) ─┴──► closed (fd closed, unregistered)
final class Connection {
    let id: UInt64
    let fd: Int32
    var decoder: FrameDecoder
    /// Bytes to write; `outOffset` of them are already written.
    var out: [UInt8] = []
    var outOffset = 0
    /// EPOLLOUT is in the interest set (armed only after EAGAIN).
    var writeArmed = false
    /// Set when closing began: the monotonic time (ns) after which the socket is closed regardless.
    var closeDeadline: UInt64?
    /// `shutdown(SHUT_WR)` was issued after the last byte was written.
    var writeShutDown = false
    /// In the handshake phase: the monotonic time (ns) by which the handler must have established the connection.
    var handshakeDeadline: UInt64?

    init(id: UInt64, fd: Int32, limits: FrameLimits, handshakeDeadline: UInt64? = nil) {
        self.id = id
        self.fd = fd
        self.decoder = FrameDecoder(limits: limits)
        self.handshakeDeadline = handshakeDeadline
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
