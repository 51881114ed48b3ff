/// A protobuf wire-format reader over a sub-range of one byte array, yielding value ranges (offsets into that
/// array) instead of copies. Same rules and error conditions as `DriftWire.ProtoReader` (whose `init(ArraySlice)`
/// copies, which the block decoder must not do).
struct SliceReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    mutating func readVarint() throws(ColumnBlockError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = position
        while true {
            guard i < end else { throw .invalid(.malformed, "varint runs past the end at offset \(position)") }
            let b = bytes[i]
            i += 1
            if shift == 63 && b > 1 {
                throw .invalid(.malformed, "varint at offset \(position) overflows 64 bits or exceeds 10 bytes")
            }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        position = i
        return result
    }

    /// The byte range of a length-delimited value.
    mutating func readLengthDelimited() throws(ColumnBlockError) -> Range<Int> {
        let start = position
        let n = try readVarint()
        guard n <= UInt64(end - position) else {
            throw .invalid(.malformed, "length \(n) at offset \(start) runs past the end (\(end - start) bytes left)")
        }
        let r = position..<(position + Int(n))
        position = r.upperBound
        return r
    }

    mutating func readString() throws(ColumnBlockError) -> String {
        let start = position
        let r = try readLengthDelimited()
        guard let s = String(validating: bytes[r], as: UTF8.self) else {
            throw .invalid(.invalidUTF8, "string at offset \(start) is not valid UTF-8")
        }
        return s
    }

    /// The next key (field, wire type 0 ... 7), or nil at the end. Wire types 3, 4, 6, 7 and field 0 are malformed.
    mutating func readKey() throws(ColumnBlockError) -> (field: Int, wireType: UInt8)? {
        guard !isAtEnd else { return nil }
        let start = position
        let key = try readVarint()
        let type = UInt8(key & 7)
        guard type == 0 || type == 1 || type == 2 || type == 5 else {
            throw .invalid(.malformed, "wire type \(type) at offset \(start) is not supported")
        }
        let field = key >> 3
        guard field >= 1 && field <= (1 << 29) - 1 else {
            throw .invalid(.malformed, "field number \(field) at offset \(start) out of range")
        }
        return (Int(field), type)
    }

    mutating func skipField(_ wireType: UInt8) throws(ColumnBlockError) {
        switch wireType {
        case 0: _ = try readVarint()
        case 2: _ = try readLengthDelimited()
        default:
            let n = wireType == 1 ? 8 : 4
            guard end - position >= n else { throw .invalid(.malformed, "fixed\(n * 8) at offset \(position) runs past the end") }
            position += n
        }
    }

    /// Throws unless a known field arrived with the wire type it is declared with.
    static func expect(_ got: UInt8, _ want: UInt8, field: String) throws(ColumnBlockError) {
        guard got == want else { throw .invalid(.malformed, "field \(field) has wire type \(got), expected \(want)") }
    }
}
