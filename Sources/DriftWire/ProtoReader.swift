/// Reads protobuf wire-format values from a byte array. Malformed input throws a request-level
/// INVALID_ARGUMENT `WireError` (never traps): a varint longer than 10 bytes or overflowing 64 bits
/// (`varintTooLong`), a value or length running past the end (`truncated`), wire types 3, 4, 6, 7
/// (`invalidWireType`), field number 0 (`invalidFieldNumber`), a string that is not UTF-8 (`invalidUTF8`).
///
///     while let (field, type) = try reader.readKey() {
///         switch field {
///         case 1: name = try reader.readString()
///         default: try reader.skipField(type)      // unknown fields are skipped (forward compatibility)
///         }
///     }
public struct ProtoReader: Sendable {
    public let bytes: [UInt8]
    /// Offset of the next unread byte.
    public private(set) var position: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.position = 0
    }

    public init(_ bytes: ArraySlice<UInt8>) { self.init(Array(bytes)) }

    public var isAtEnd: Bool { position >= bytes.count }
    public var remaining: Int { bytes.count - position }

    // MARK: - Scalars

    public mutating func readVarint() throws(WireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = position
        while true {
            guard i < bytes.count else {
                throw .malformed(.truncated, "varint runs past the end at offset \(position)")
            }
            let b = bytes[i]
            i += 1
            if shift == 63 && b > 1 {
                throw .malformed(.varintTooLong, "varint at offset \(position) overflows 64 bits or exceeds 10 bytes")
            }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        position = i
        return result
    }

    public mutating func readInt64() throws(WireError) -> Int64 { Int64(bitPattern: try readVarint()) }

    public mutating func readSInt64() throws(WireError) -> Int64 { ProtoWriter.unZigZag(try readVarint()) }

    public mutating func readBool() throws(WireError) -> Bool { try readVarint() != 0 }

    public mutating func readFixed32() throws(WireError) -> UInt32 {
        guard remaining >= 4 else { throw .malformed(.truncated, "fixed32 at offset \(position) runs past the end") }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[position + k]) << (8 * k) }
        position += 4
        return v
    }

    public mutating func readFixed64() throws(WireError) -> UInt64 {
        guard remaining >= 8 else { throw .malformed(.truncated, "fixed64 at offset \(position) runs past the end") }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[position + k]) << (8 * k) }
        position += 8
        return v
    }

    public mutating func readFloat() throws(WireError) -> Float { Float(bitPattern: try readFixed32()) }
    public mutating func readDouble() throws(WireError) -> Double { Double(bitPattern: try readFixed64()) }

    /// A varint length followed by that many bytes.
    public mutating func readLengthDelimited() throws(WireError) -> ArraySlice<UInt8> {
        let start = position
        let n = try readVarint()
        guard n <= UInt64(remaining) else {
            position = start
            throw .malformed(.truncated, "length \(n) at offset \(start) runs past the end (\(bytes.count - start) bytes left)")
        }
        let slice = bytes[position..<(position + Int(n))]
        position += Int(n)
        return slice
    }

    public mutating func readBytes() throws(WireError) -> [UInt8] { Array(try readLengthDelimited()) }

    public mutating func readString() throws(WireError) -> String {
        let start = position
        let slice = try readLengthDelimited()
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw .malformed(.invalidUTF8, "string at offset \(start) is not valid UTF-8")
        }
        return s
    }

    // MARK: - Keys and unknown fields

    /// The next field key, or nil at the end of the message.
    public mutating func readKey() throws(WireError) -> (field: Int, wireType: ProtoWireType)? {
        guard !isAtEnd else { return nil }
        let start = position
        let key = try readVarint()
        guard let type = ProtoWireType(rawValue: UInt8(key & 7)) else {
            position = start
            throw .malformed(.invalidWireType, "wire type \(key & 7) at offset \(start) is not supported")
        }
        let field = key >> 3
        guard field >= 1 && field <= UInt64(ProtoWriter.maxFieldNumber) else {
            position = start
            throw .malformed(.invalidFieldNumber, "field number \(field) at offset \(start) out of range")
        }
        return (Int(field), type)
    }

    /// Skips the value of a field whose key was just read.
    public mutating func skipField(_ wireType: ProtoWireType) throws(WireError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed32()
        }
    }
}
