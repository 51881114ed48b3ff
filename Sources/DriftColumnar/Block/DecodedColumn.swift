/// A validity bitmap as it arrived: `(count + 7) / 8` bytes, bit i (LSB-first) set when row i holds a value. `bytes`
/// is a view into the block's buffer (no copy); bits past `count` are ignored. The engine converts it to
/// `DriftKernels.ValidityBitmap(bytes: Array(bytes), count: count)`.
public struct ColumnValidity: Sendable, Equatable {
    public let bytes: ArraySlice<UInt8>
    public let count: Int

    @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        bytes[bytes.startIndex + row >> 3] & (1 << UInt8(row & 7)) != 0
    }

    public var nullCount: Int {
        var valid = 0
        for row in 0..<count where isValid(row) { valid += 1 }
        return count - valid
    }
}

/// One column of a `DecodedBlock`.
///
/// Values are reached through `with…Values` accessors that lend an `UnsafeBufferPointer` of the column's type (nil
/// when the column has another type). Where the bytes live:
/// - PLAIN, aligned for the type: a **view** into the block's one decompressed buffer (`isView`), no copy.
///   `ColumnBlockEncoder` pads so PLAIN values start 8-byte aligned, so blocks it wrote are always views.
/// - PLAIN, misaligned (another encoder did not pad): copied once into 64-byte-aligned storage owned by the column.
/// - BYTE_STREAM_SPLIT: un-split in one pass into 64-byte-aligned storage owned by the column.
/// Pointers are valid only inside the closure; the column (and its block buffer) stay alive while it is held.
public struct DecodedColumn: Sendable {
    public let name: String
    public let type: ColumnType
    /// The encoding on the wire (accessors always lend plain values).
    public let encoding: ValueEncoding
    public let rowCount: Int
    public let validity: ColumnValidity?
    /// CATEGORICAL only: codes index it; `UInt32.max` is null. Empty for other types.
    public let dictionary: [String]

    enum Storage: Sendable {
        /// `byteOffset` into the block buffer (aligned for the type).
        case view([UInt8], byteOffset: Int)
        case owned(AlignedBuffer)
    }
    let storage: Storage

    /// True when the values are read in place from the block buffer.
    public var isView: Bool { if case .view = storage { true } else { false } }

    /// The plain little-endian value bytes (`rowCount × type.width`).
    public func withUnsafeValueBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let n = rowCount * type.width
        switch storage {
        case .owned(let buf):
            return try body(UnsafeRawBufferPointer(start: buf.pointer, count: n))
        case .view(let bytes, let offset):
            return try bytes.withUnsafeBytes { raw in
                Result { () throws(E) -> R in try body(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)])) }
            }.get()
        }
    }

    func withValues<T, R, E: Error>(_ t: T.Type, _ body: (UnsafeBufferPointer<T>) throws(E) -> R) throws(E) -> R {
        if rowCount == 0 { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try withUnsafeValueBytes { (raw) throws(E) -> R in
            // The decoder guaranteed alignment; binding UInt8 memory to T for reading is what withMemoryRebound is for.
            try Result { () throws(E) -> R in
                try raw.withMemoryRebound(to: T.self) { (p) throws(E) -> R in try body(p) }
            }.get()
        }
    }

    public func withFloat32Values<R, E: Error>(_ body: (UnsafeBufferPointer<Float>) throws(E) -> R) throws(E) -> R? {
        type == .float32 ? try withValues(Float.self, body) : nil
    }

    public func withFloat64Values<R, E: Error>(_ body: (UnsafeBufferPointer<Double>) throws(E) -> R) throws(E) -> R? {
        type == .float64 ? try withValues(Double.self, body) : nil
    }

    /// INT64 and TIMESTAMP_MS columns.
    public func withInt64Values<R, E: Error>(_ body: (UnsafeBufferPointer<Int64>) throws(E) -> R) throws(E) -> R? {
        type == .int64 || type == .timestampMs ? try withValues(Int64.self, body) : nil
    }

    /// BOOL columns: one byte per row, 0 or 1 (checked by the decoder).
    public func withBoolValues<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R? {
        type == .bool ? try withValues(UInt8.self, body) : nil
    }

    /// CATEGORICAL codes: each `< dictionary.count` or `UInt32.max` (null), checked by the decoder.
    public func withCategoricalCodes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt32>) throws(E) -> R) throws(E) -> R? {
        type == .categorical ? try withValues(UInt32.self, body) : nil
    }
}

/// A decoded `ColumnBlock`. Owns the decompressed buffer that PLAIN columns view.
public struct DecodedBlock: Sendable {
    public let rowCount: Int
    /// `timestamp_unix_ms`, nil when absent (0).
    public let timestampUnixMs: Int64?
    public let columns: [DecodedColumn]
    /// The encoded block the views point into.
    public let buffer: [UInt8]

    public func column(named name: String) -> DecodedColumn? { columns.first { $0.name == name } }
}
