import DriftColumnar
import DriftWire

/// A `ColumnBlock` (PROTOCOL §11) ready to be a request body: encoded (and compressed) once, sendable any number
/// of times, from any thread.
///
///     var e = ColumnBlockEncoder(rowCount: 3)
///     try e.addFloat64("amount", [1, 2, 3])
///     let block = try EncodedBlock(e)                 // zstd level 1
///     _ = try client.checkDrift(source: "payments", block: block)
public struct EncodedBlock: Sendable {
    /// The frame body: the block as it travels (`codec` applied).
    public let bytes: [UInt8]
    /// `.zstd` or `.none`.
    public let codec: BodyCodec
    /// The decoded `ColumnBlock` length (the header's `body_raw_len`).
    public let rawLength: Int
    public let rowCount: Int
    public let columnCount: Int

    /// The block compressed as one zstd frame.
    /// - Throws: INVALID_ARGUMENT (local) when zstd fails.
    public init(_ encoder: ColumnBlockEncoder, compressionLevel: Int32 = 1) throws(DriftClientError) {
        let raw = encoder.encode()
        do {
            bytes = try Zstd.compress(raw, level: compressionLevel)
        } catch {
            throw DriftClientError(status: .invalidArgument, message: "cannot compress the block: \(error.message)",
                                   origin: .local, retryable: false)
        }
        codec = .zstd
        rawLength = raw.count
        rowCount = encoder.rowCount
        columnCount = encoder.columnCount
    }

    /// The block without compression (codec none).
    public init(uncompressed encoder: ColumnBlockEncoder) {
        bytes = encoder.encode()
        codec = .none
        rawLength = bytes.count
        rowCount = encoder.rowCount
        columnCount = encoder.columnCount
    }

    /// A body encoded elsewhere, taken as is (`rawLength` must equal `bytes.count` for codec none; the server
    /// checks and rejects it otherwise).
    public init(bytes: [UInt8], codec: BodyCodec, rawLength: Int, rowCount: Int, columnCount: Int) {
        self.bytes = bytes
        self.codec = codec
        self.rawLength = rawLength
        self.rowCount = rowCount
        self.columnCount = columnCount
    }
}
