import DriftWire

/// Receives every frame a `FrameServer` decodes.
///
/// `handle` runs on the server's single event-loop thread, in the order frames arrive on each connection.
/// It must not block: long work belongs on another queue, which replies later through `connection.send`.
public protocol FrameHandler: Sendable {
    func handle(_ frame: Frame, from connection: ConnectionHandle)
}
