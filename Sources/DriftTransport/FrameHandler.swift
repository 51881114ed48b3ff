import DriftWire

/// Receives every frame a `FrameServer` decodes.
///
/// `handle` runs on the server's single event-loop thread, in the order frames arrive on each connection.
/// It must not block: long work belongs on another queue, which replies later through `connection.send`.
public protocol FrameHandler: Sendable {
    func handle(_ frame: Frame, from connection: ConnectionHandle)

    /// Called exactly once for every accepted connection, when the loop closes it for any reason (peer close,
    /// error, end of a graceful close, queue overflow, `ConnectionHandle.close()`, `FrameServer.stop()`).
    ///
    /// Runs on the loop thread after the socket is closed; no `handle` call for this connection follows, and
    /// `connection.send` returns false. Like `handle`, it must not block. The default does nothing.
    func connectionClosed(_ connection: ConnectionHandle)
}

extension FrameHandler {
    public func connectionClosed(_ connection: ConnectionHandle) {}
}
