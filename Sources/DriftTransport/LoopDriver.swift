/// The protocol an `EventLoop` speaks, split from the loop itself so one epoll loop can host the frame layer
/// (`FrameDriver`) or HTTP/1.1 (`HTTPDriver`).
///
/// The loop owns sockets, reads, writes, the mailbox, graceful closes and one optional deadline per connection; the
/// driver owns what bytes mean. Everything is called on the loop thread only.
protocol LoopDriver: Sendable {
    /// A connection was accepted: its protocol state, and the deadline (milliseconds from now) it starts with.
    func accepted(_ handle: ConnectionHandle) -> (session: any LoopSession, deadlineMs: Int?)
    /// Bytes written (best effort) to every open connection when the server stops, e.g. a GOAWAY.
    var farewellOnStop: [UInt8]? { get }
    /// The connection is closed (exactly once per accepted connection; its socket is already closed).
    func closed(_ handle: ConnectionHandle)
}

/// What the loop does after a session looked at input, output or its deadline.
struct SessionOutcome {
    enum Deadline { case keep, clear, set(milliseconds: Int) }
    var deadline: Deadline = .keep
    /// Non-nil: close gracefully, writing these bytes (possibly none) after what is queued.
    var close: [UInt8]? = nil

    init(deadline: Deadline = .keep, close: [UInt8]? = nil) {
        self.deadline = deadline
        self.close = close
    }
}

/// The protocol state of one connection (loop thread only).
protocol LoopSession: AnyObject {
    /// Bytes arrived: decode and dispatch what is complete.
    func received(_ bytes: UnsafeRawBufferPointer) -> SessionOutcome
    /// Bytes sent through the connection's mailbox were just queued for writing.
    func queuedOutput() -> SessionOutcome
    /// The connection's deadline passed; the outcome should close it.
    func deadlineExpired() -> SessionOutcome
}
