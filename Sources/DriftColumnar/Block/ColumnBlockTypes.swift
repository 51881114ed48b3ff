#if _endian(big)
#error("the columnar block codec reads little-endian values in place; big-endian hosts are not supported")
#endif

/// `ColumnType` of `proto/driftd.proto`: how the `values` bytes of a column are typed.
public enum ColumnType: UInt8, Sendable, Equatable, Hashable, CaseIterable {
    case float32 = 1
    case float64 = 2
    case int64 = 3
    /// One byte per row, 0 or 1.
    case bool = 4
    /// `UInt32` codes into the column's dictionary; `UInt32.max` is null.
    case categorical = 5
    /// Milliseconds since the Unix epoch, `Int64`.
    case timestampMs = 6

    /// Bytes per row in `values`.
    public var width: Int {
        switch self {
        case .float32, .categorical: 4
        case .float64, .int64, .timestampMs: 8
        case .bool: 1
        }
    }

    public var name: String {
        switch self {
        case .float32: "FLOAT32"
        case .float64: "FLOAT64"
        case .int64: "INT64"
        case .bool: "BOOL"
        case .categorical: "CATEGORICAL"
        case .timestampMs: "TIMESTAMP_MS"
        }
    }
}

/// `ValueEncoding` of `proto/driftd.proto`.
public enum ValueEncoding: UInt8, Sendable, Equatable, Hashable, CaseIterable {
    /// `row_count × width` little-endian values, back to back.
    case plain = 0
    /// FLOAT32/FLOAT64 only, as Parquet's BYTE_STREAM_SPLIT: `width` planes of `row_count` bytes each; plane k holds
    /// byte k (little-endian order) of every value. Compresses better (exponent bytes line up), costs one
    /// transposition on each side.
    case byteStreamSplit = 1
}

/// Limits a decoder enforces before it allocates anything. Exceeding one is RESOURCE_EXHAUSTED.
public struct BlockLimits: Sendable, Equatable {
    public var maxColumns: Int
    public var maxRows: Int
    /// Column names are 1 ... `maxNameBytes` bytes of UTF-8.
    public var maxNameBytes: Int
    /// Entries of one CATEGORICAL column's dictionary.
    public var maxDictionaryEntries: Int

    public init(maxColumns: Int = 4096, maxRows: Int = 100_000_000, maxNameBytes: Int = 256,
                maxDictionaryEntries: Int = 1_000_000) {
        self.maxColumns = maxColumns
        self.maxRows = maxRows
        self.maxNameBytes = maxNameBytes
        self.maxDictionaryEntries = maxDictionaryEntries
    }

    public static let `default` = BlockLimits()
}

/// Field numbers of `ColumnBlock` and `Column` (`proto/driftd.proto`).
enum BlockField {
    static let rowCount = 1, columns = 2, timestamp = 3
}

enum ColumnField {
    static let name = 1, type = 2, encoding = 3, values = 4, validity = 5, dictionary = 6
    /// Encoder-only filler placed before `values` so PLAIN values start 8-byte aligned in the block; decoders skip it.
    static let padding = 15
}
