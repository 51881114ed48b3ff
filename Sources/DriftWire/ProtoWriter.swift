/// Appends protobuf wire-format values to a byte array (the building block of the message codecs).
///
///     varint 150          -> 96 01                (7 bits per byte, low group first, MSB = "more")
///     field 1, varint 150 -> 08 96 01             (key = 1 << 3 | 0)
///     sint64 -1           -> 01                   (zigzag: (n << 1) ^ (n >> 63))
///     field 2, "hi"       -> 12 02 68 69          (key = 2 << 3 | 2, length, bytes)
public struct ProtoWriter: Sendable {
    /// The encoded message so far.
    public var bytes: [UInt8] { _bytes }
    @usableFromInline var _bytes: [UInt8] = []

    /// Field numbers run 1 ... 2^29 − 1.
    public static let maxFieldNumber = (1 << 29) - 1

    public init(capacity: Int = 0) { _bytes.reserveCapacity(capacity) }

    // MARK: - Scalars without a key

    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            _bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        _bytes.append(UInt8(v))
    }

    /// `int64`/`int32` encoding: negative values take 10 bytes.
    public mutating func writeInt64(_ value: Int64) { writeVarint(UInt64(bitPattern: value)) }

    /// `sint64` (zigzag) encoding.
    public mutating func writeSInt64(_ value: Int64) { writeVarint(ProtoWriter.zigZag(value)) }

    public mutating func writeFixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { _bytes.append(contentsOf: $0) }
    }

    public mutating func writeFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { _bytes.append(contentsOf: $0) }
    }

    public mutating func writeFloat(_ value: Float) { writeFixed32(value.bitPattern) }
    public mutating func writeDouble(_ value: Double) { writeFixed64(value.bitPattern) }

    /// A varint length followed by the bytes.
    public mutating func writeLengthDelimited(_ value: some Collection<UInt8>) {
        writeVarint(UInt64(value.count))
        _bytes.append(contentsOf: value)
    }

    public mutating func writeString(_ value: String) { writeLengthDelimited(Array(value.utf8)) }

    /// A field key. - Precondition: 1 ≤ field ≤ 2^29 − 1.
    public mutating func writeKey(field: Int, wireType: ProtoWireType) {
        precondition(field >= 1 && field <= ProtoWriter.maxFieldNumber, "protobuf field number out of range")
        writeVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    // MARK: - Whole fields

    public mutating func writeVarintField(_ field: Int, _ value: UInt64) {
        writeKey(field: field, wireType: .varint); writeVarint(value)
    }

    public mutating func writeSInt64Field(_ field: Int, _ value: Int64) {
        writeKey(field: field, wireType: .varint); writeSInt64(value)
    }

    public mutating func writeBoolField(_ field: Int, _ value: Bool) { writeVarintField(field, value ? 1 : 0) }

    public mutating func writeFixed32Field(_ field: Int, _ value: UInt32) {
        writeKey(field: field, wireType: .fixed32); writeFixed32(value)
    }

    public mutating func writeFixed64Field(_ field: Int, _ value: UInt64) {
        writeKey(field: field, wireType: .fixed64); writeFixed64(value)
    }

    public mutating func writeFloatField(_ field: Int, _ value: Float) {
        writeKey(field: field, wireType: .fixed32); writeFloat(value)
    }

    public mutating func writeDoubleField(_ field: Int, _ value: Double) {
        writeKey(field: field, wireType: .fixed64); writeDouble(value)
    }

    public mutating func writeBytesField(_ field: Int, _ value: some Collection<UInt8>) {
        writeKey(field: field, wireType: .lengthDelimited); writeLengthDelimited(value)
    }

    public mutating func writeStringField(_ field: Int, _ value: String) {
        writeKey(field: field, wireType: .lengthDelimited); writeString(value)
    }

    // MARK: - Zigzag

    public static func zigZag(_ n: Int64) -> UInt64 { UInt64(bitPattern: (n << 1) ^ (n >> 63)) }
    public static func unZigZag(_ n: UInt64) -> Int64 { Int64(bitPattern: n >> 1) ^ -Int64(bitPattern: n & 1) }
}
