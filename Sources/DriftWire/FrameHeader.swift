/// The fixed 40-byte header that starts every frame (wire version 1). All integers are little-endian.
///
///      0       1       2       3       4       5       6       7
///     +-------+-------+-------+-------+-------+-------+-------+-------+
///   0 | 0xDF  | 0x7A  |version| type  |     flags     | codec |status |
///     +-------+-------+-------+-------+-------+-------+-------+-------+
///   8 |           stream_id           |   method_id   |method_version |
///     +-------+-------+-------+-------+-------+-------+-------+-------+
///  16 |          deadline_ms          |           meta_len            |
///     +-------+-------+-------+-------+-------+-------+-------+-------+
///  24 |           body_len            |         body_raw_len          |
///     +-------+-------+-------+-------+-------+-------+-------+-------+
///  32 |        reserved (= 0)         |  header_crc32c (bytes 0..35)  |
///     +-------+-------+-------+-------+-------+-------+-------+-------+
///
/// The header is followed by `meta_len` metadata bytes, zero padding up to the next multiple of 8, then
/// `body_len` body bytes; so the body starts 8-byte aligned relative to the frame start.
///
/// `metadataLength`, `bodyLength` and `bodyRawLength` are the header's own fields; `Frame` keeps them equal to
/// its byte arrays.
public struct FrameHeader: Sendable, Equatable, Hashable {
    /// Bytes in a header.
    public static let size = 40
    /// The first two bytes of every frame.
    public static let magic: (UInt8, UInt8) = (0xDF, 0x7A)
    /// The only wire version this implementation speaks.
    public static let currentVersion: UInt8 = 1

    public var wireVersion: UInt8
    public var type: FrameType
    public var flags: FrameFlags
    public var codec: BodyCodec
    /// Meaningful on RESPONSE, HELLO_ACK and GOAWAY; `.ok` elsewhere.
    public var status: WireStatus
    /// Client-chosen, non-zero for requests; 0 for connection-level frames.
    public var streamID: UInt32
    public var methodID: UInt16
    public var methodVersion: UInt16
    /// Relative budget in milliseconds at send time; 0 means "server default" (never infinite).
    public var deadlineMs: UInt32
    public var metadataLength: UInt32
    public var bodyLength: UInt32
    /// Declared decoded body length; equals `bodyLength` when `codec == .none`. Advisory only.
    public var bodyRawLength: UInt32

    public init(type: FrameType, flags: FrameFlags = [], codec: BodyCodec = .none, status: WireStatus = .ok,
                streamID: UInt32 = 0, methodID: UInt16 = 0, methodVersion: UInt16 = 0, deadlineMs: UInt32 = 0,
                metadataLength: UInt32 = 0, bodyLength: UInt32 = 0, bodyRawLength: UInt32 = 0,
                wireVersion: UInt8 = FrameHeader.currentVersion) {
        self.wireVersion = wireVersion
        self.type = type
        self.flags = flags
        self.codec = codec
        self.status = status
        self.streamID = streamID
        self.methodID = methodID
        self.methodVersion = methodVersion
        self.deadlineMs = deadlineMs
        self.metadataLength = metadataLength
        self.bodyLength = bodyLength
        self.bodyRawLength = bodyRawLength
    }

    /// `metadataLength` rounded up to a multiple of 8: the bytes the metadata occupies on the wire.
    public var paddedMetadataLength: Int { FrameHeader.padded(Int(metadataLength)) }

    /// Bytes of the whole frame: header, padded metadata, body.
    public var frameLength: Int { FrameHeader.size + paddedMetadataLength + Int(bodyLength) }

    /// `n` rounded up to a multiple of 8.
    public static func padded(_ n: Int) -> Int { (n + 7) & ~7 }

    // MARK: - Encoding

    /// Appends the 40 header bytes, computing the CRC.
    public func encode(into buffer: inout WireBuffer) {
        let start = buffer.writerIndex
        buffer.writeInteger(FrameHeader.magic.0)
        buffer.writeInteger(FrameHeader.magic.1)
        buffer.writeInteger(wireVersion)
        buffer.writeInteger(type.rawValue)
        buffer.writeInteger(flags.rawValue)
        buffer.writeInteger(codec.rawValue)
        buffer.writeInteger(status.rawValue)
        buffer.writeInteger(streamID)
        buffer.writeInteger(methodID)
        buffer.writeInteger(methodVersion)
        buffer.writeInteger(deadlineMs)
        buffer.writeInteger(metadataLength)
        buffer.writeInteger(bodyLength)
        buffer.writeInteger(bodyRawLength)
        buffer.writeInteger(UInt32(0))
        let crc = buffer.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[(start - buffer.readerIndex)...].prefix(36)))
        }
        buffer.writeInteger(crc)
    }

    /// The 40 header bytes.
    public func encode() -> [UInt8] {
        var b = WireBuffer(capacity: FrameHeader.size)
        encode(into: &b)
        return b.readableBytesArray
    }

    // MARK: - Decoding

    /// Decodes and validates the first 40 bytes of `bytes`.
    ///
    /// Checks, in this order: magic, CRC, version, reserved, frame type, flags, status (all connection errors,
    /// INVALID_ARGUMENT), then codec (request-level UNIMPLEMENTED) and, for codec none, body_raw_len == body_len
    /// (request-level INVALID_ARGUMENT). Lengths are checked against limits by `FrameDecoder`, not here.
    /// Fewer than 40 bytes throw `truncated` (request-level: nothing was consumed).
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> FrameHeader {
        guard bytes.count >= size else {
            throw .malformed(.truncated, "frame header needs \(size) bytes, got \(bytes.count)")
        }
        func u8(_ o: Int) -> UInt8 { bytes[o] }
        func u16(_ o: Int) -> UInt16 { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self)) }
        func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }

        guard u8(0) == magic.0, u8(1) == magic.1 else {
            throw .fatal(.invalidArgument, .badMagic, "bad magic \(hex(u8(0))) \(hex(u8(1))): not a driftd frame")
        }
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<36]))
        guard crc == u32(36) else {
            throw .fatal(.invalidArgument, .headerChecksum,
                         "header CRC32C mismatch: computed \(hex(crc)), header says \(hex(u32(36)))")
        }
        guard u8(2) == currentVersion else {
            throw .fatal(.invalidArgument, .badVersion, "wire version \(u8(2)) unsupported (speaks \(currentVersion))")
        }
        guard u32(32) == 0 else {
            throw .fatal(.invalidArgument, .badReserved, "reserved field is \(hex(u32(32))), must be 0")
        }
        guard let type = FrameType(rawValue: u8(3)) else {
            throw .fatal(.invalidArgument, .badFrameType, "unknown frame type \(u8(3))")
        }
        let flags = FrameFlags(rawValue: u16(4))
        guard flags.isValid else {
            throw .fatal(.invalidArgument, .badFlags, "unknown flag bits \(hex(flags.rawValue & ~FrameFlags.known.rawValue))")
        }
        guard let status = WireStatus(rawValue: u8(7)) else {
            throw .fatal(.invalidArgument, .badStatus, "status \(u8(7)) is not a status code (0...16)")
        }
        let streamID = u32(8)
        guard let codec = BodyCodec(rawValue: u8(6)) else {
            throw WireError(.unimplemented, .unsupportedCodec, "body codec \(u8(6)) not supported", streamID: streamID,
                            methodID: u16(12), methodVersion: u16(14))
        }
        let header = FrameHeader(
            type: type, flags: flags, codec: codec, status: status, streamID: streamID,
            methodID: u16(12), methodVersion: u16(14), deadlineMs: u32(16),
            metadataLength: u32(20), bodyLength: u32(24), bodyRawLength: u32(28), wireVersion: u8(2))
        if codec == .none && header.bodyRawLength != header.bodyLength {
            throw WireError(.invalidArgument, .lengthMismatch,
                            "codec none but body_raw_len \(header.bodyRawLength) != body_len \(header.bodyLength)",
                            streamID: streamID, methodID: header.methodID, methodVersion: header.methodVersion)
        }
        return header
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> FrameHeader {
        try bytes.withUnsafeBytes { raw in Result { () throws(WireError) in try decode(raw) } }.get()
    }

    public static func decode(_ bytes: ArraySlice<UInt8>) throws(WireError) -> FrameHeader {
        try bytes.withUnsafeBytes { raw in Result { () throws(WireError) in try decode(raw) } }.get()
    }
}

func hex<T: FixedWidthInteger>(_ v: T) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: Swift.max(0, MemoryLayout<T>.size * 2 - s.count)) + s
}
