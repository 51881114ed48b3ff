import DriftWire

/// A reference to one server connection, cheap to copy and usable from any thread.
///
/// Sending encodes the frame on the caller's thread and queues the bytes; the event loop writes them.
/// Once the connection is closed, `send` returns false and `close` does nothing.
public struct ConnectionHandle: Sendable, Hashable, CustomStringConvertible {
    /// Unique for the lifetime of the server (never reused, unlike file descriptors).
    public let id: UInt64
    let mailbox: Mailbox

    init(id: UInt64, mailbox: Mailbox) {
        self.id = id
        self.mailbox = mailbox
    }

    /// Queues `frame` for this connection.
    ///
    /// - Returns: false when the frame was not queued: the connection is closed, the server stopped, the frame
    ///   is over the server's `FrameLimits`, or it would take the queued bytes over `maxQueuedOutboundBytes`
    ///   (the connection is then closed: its peer is not reading).
    @discardableResult
    public func send(_ frame: Frame) -> Bool {
        mailbox.send(frame, to: id)
    }

    /// Closes the connection after the frames queued so far are written (bounded by the server's
    /// `closeLingerMilliseconds`). `send` returns false from now on.
    public func close() {
        mailbox.requestClose(id, graceful: true)
    }

    /// Ends the connection's handshake phase (see `FrameServerConfiguration.handshakeTimeoutMilliseconds`): the
    /// timer stops and frames after the current one are checked against the full limits. Call it from
    /// `FrameHandler.handle` when the handshake frame is accepted; it takes effect before the next frame is decoded.
    public func markEstablished() {
        mailbox.markEstablished(id)
    }

    public static func == (a: ConnectionHandle, b: ConnectionHandle) -> Bool {
        a.id == b.id && a.mailbox === b.mailbox
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(ObjectIdentifier(mailbox))
    }

    public var description: String { "connection #\(id)" }
}
