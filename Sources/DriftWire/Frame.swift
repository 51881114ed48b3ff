/// One whole frame: header, metadata (protobuf wire format) and body (still encoded with `header.codec`).
///
///     +----------------+--------------------+---------+------------------+
///     | header (40 B)  | metadata (meta_len)| 0-pad   | body (body_len)  |
///     +----------------+--------------------+---------+------------------+
///     0                40                   40 + meta_len rounded up to 8
///
/// The initializer keeps the header's `metadataLength` and `bodyLength` equal to the arrays, and for codec none
/// also `bodyRawLength`; for zstd the caller sets `header.bodyRawLength` to the decoded size.
public struct Frame: Sendable, Equatable {
    public private(set) var header: FrameHeader
    public private(set) var metadata: [UInt8]
    public private(set) var body: [UInt8]

    /// - Precondition: each array is shorter than 4 GiB (larger frames cannot be expressed on the wire).
    public init(header: FrameHeader, metadata: [UInt8] = [], body: [UInt8] = []) {
        precondition(metadata.count <= Int(UInt32.max) && body.count <= Int(UInt32.max), "frame part over 4 GiB")
        var h = header
        h.metadataLength = UInt32(metadata.count)
        h.bodyLength = UInt32(body.count)
        if h.codec == .none { h.bodyRawLength = h.bodyLength }
        self.header = h
        self.metadata = metadata
        self.body = body
    }

    /// Built by the decoder from already validated parts.
    init(validated header: FrameHeader, metadata: [UInt8], body: [UInt8]) {
        self.header = header
        self.metadata = metadata
        self.body = body
    }

    /// Appends the exact wire bytes: header, metadata, zero padding to a multiple of 8, body.
    public func encode(into buffer: inout WireBuffer) {
        header.encode(into: &buffer)
        buffer.writeBytes(metadata)
        buffer.writeZeros(header.paddedMetadataLength - metadata.count)
        buffer.writeBytes(body)
    }

    /// The exact wire bytes.
    public func encode() -> [UInt8] {
        var b = WireBuffer(capacity: header.frameLength)
        encode(into: &b)
        return b.readableBytesArray
    }
}
