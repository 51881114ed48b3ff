import DriftWire
@testable import DriftColumnar

/// Bytes from a hex string (whitespace ignored).
func blockBytes(hex: String) -> [UInt8] {
    let digits = hex.filter { !$0.isWhitespace }.map { UInt8(String($0), radix: 16)! }
    return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

/// A raw `Column` message, for inputs the encoder refuses to produce.
struct RawColumn {
    var name: [UInt8]? = Array("c".utf8)
    var type: UInt64? = 1
    var encoding: UInt64? = nil
    var values: [UInt8]? = nil
    var validity: [UInt8]? = nil
    var dictionary: [[UInt8]] = []

    func encoded() -> [UInt8] {
        var w = ProtoWriter()
        if let name { w.writeBytesField(1, name) }
        if let type { w.writeVarintField(2, type) }
        if let encoding { w.writeVarintField(3, encoding) }
        if let values { w.writeBytesField(4, values) }
        if let validity { w.writeBytesField(5, validity) }
        for d in dictionary { w.writeBytesField(6, d) }
        return w.bytes
    }
}

func rawBlock(rows: UInt64, _ columns: [RawColumn]) -> [UInt8] {
    var w = ProtoWriter()
    w.writeVarintField(1, rows)
    for c in columns { w.writeBytesField(2, c.encoded()) }
    return w.bytes
}

func bitmap(_ valid: [Bool]) -> [UInt8] {
    var b = [UInt8](repeating: 0, count: (valid.count + 7) / 8)
    for (i, v) in valid.enumerated() where v { b[i >> 3] |= 1 << UInt8(i & 7) }
    return b
}

extension DecodedColumn {
    var float32Bits: [UInt32] { withFloat32Values { $0.map(\.bitPattern) } ?? [] }
    var float64Bits: [UInt64] { withFloat64Values { $0.map(\.bitPattern) } ?? [] }
    var int64s: [Int64] { withInt64Values { Array($0) } ?? [] }
    var bools: [Bool] { withBoolValues { $0.map { $0 != 0 } } ?? [] }
    var codes: [UInt32] { withCategoricalCodes { Array($0) } ?? [] }
}
