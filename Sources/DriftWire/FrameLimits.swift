/// Size limits a receiver enforces, checked from the 40-byte header alone before any byte of metadata or body is
/// buffered for the frame. Every violation is a connection error with RESOURCE_EXHAUSTED.
///
///     meta_len      <= maxMetadata     (default 64 KiB)
///     body_len      <= maxFrameBody    (default 16 MiB)
///     body_raw_len  <= maxDecoded      (default 64 MiB; the decompressor must also cap its output at this)
public struct FrameLimits: Sendable, Equatable {
    public var maxMetadata: Int
    public var maxFrameBody: Int
    public var maxDecoded: Int

    public init(maxMetadata: Int = 64 << 10, maxFrameBody: Int = 16 << 20, maxDecoded: Int = 64 << 20) {
        self.maxMetadata = maxMetadata
        self.maxFrameBody = maxFrameBody
        self.maxDecoded = maxDecoded
    }

    public static let `default` = FrameLimits()

    /// Throws a connection-level RESOURCE_EXHAUSTED when a declared length is over its limit.
    public func check(metadataLength: UInt32, bodyLength: UInt32, bodyRawLength: UInt32) throws(WireError) {
        if Int(metadataLength) > maxMetadata {
            throw .fatal(.resourceExhausted, .metadataTooLarge, "meta_len \(metadataLength) over the limit of \(maxMetadata)")
        }
        if Int(bodyLength) > maxFrameBody {
            throw .fatal(.resourceExhausted, .bodyTooLarge, "body_len \(bodyLength) over the limit of \(maxFrameBody)")
        }
        if Int(bodyRawLength) > maxDecoded {
            throw .fatal(.resourceExhausted, .decodedTooLarge, "body_raw_len \(bodyRawLength) over the limit of \(maxDecoded)")
        }
    }

    public func check(_ header: FrameHeader) throws(WireError) {
        try check(metadataLength: header.metadataLength, bodyLength: header.bodyLength, bodyRawLength: header.bodyRawLength)
    }
}
