/// The `flags` field (header offsets 4–5, little-endian UInt16).
///
///     bit 0  END_STREAM                (reserved for streaming methods)
///     bit 1  IDEMPOTENCY_KEY_PRESENT   (the key is in the metadata)
///     bits 2 ... 15 must be 0; a set unknown bit is a connection-level protocol error
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let endStream = FrameFlags(rawValue: 1 << 0)
    public static let idempotencyKeyPresent = FrameFlags(rawValue: 1 << 1)

    /// Every bit this wire version defines.
    public static let known: FrameFlags = [.endStream, .idempotencyKeyPresent]

    /// True when no undefined bit is set.
    public var isValid: Bool { rawValue & ~FrameFlags.known.rawValue == 0 }
}
