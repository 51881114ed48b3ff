/// Encodes frames for a peer, refusing ones that the peer's announced limits (from HELLO_ACK) would reject.
public struct FrameEncoder: Sendable {
    public var limits: FrameLimits

    public init(limits: FrameLimits = .default) { self.limits = limits }

    /// Appends `frame`'s wire bytes to `buffer`.
    /// - Throws: request-level RESOURCE_EXHAUSTED (`frameTooLarge`) when a length is over `limits`; nothing is written.
    public func encode(_ frame: Frame, into buffer: inout WireBuffer) throws(WireError) {
        do {
            try limits.check(frame.header)
        } catch {
            throw WireError(.resourceExhausted, .frameTooLarge, "cannot send: " + error.message,
                            streamID: frame.header.streamID)
        }
        frame.encode(into: &buffer)
    }

    public func encode(_ frame: Frame) throws(WireError) -> [UInt8] {
        var b = WireBuffer(capacity: frame.header.frameLength)
        try encode(frame, into: &b)
        return b.readableBytesArray
    }
}
