// Shared helpers of the connection-control message codecs (proto/PROTOCOL.md §12, proto/driftd.proto).
//
// Decoding follows protobuf semantics: unknown fields are skipped, a known field that arrives with an unexpected
// wire type is skipped like an unknown one, the last occurrence of a scalar wins, a uint32 field keeps the low
// 32 bits of its varint. Malformed input throws INVALID_ARGUMENT (never traps).

extension ProtoWriter {
    /// A proto3 scalar: omitted when zero.
    mutating func writeNonZero(_ field: Int, _ value: UInt64) {
        if value != 0 { writeVarintField(field, value) }
    }

    /// A proto3 string: omitted when empty.
    mutating func writeNonEmpty(_ field: Int, _ value: String) {
        if !value.isEmpty { writeStringField(field, value) }
    }

    /// A length-delimited sub-message.
    mutating func writeMessageField(_ field: Int, _ message: [UInt8]) {
        writeBytesField(field, message)
    }
}

extension ProtoReader {
    /// Reads a uint32 field's varint (protobuf keeps the low 32 bits).
    mutating func readUInt32() throws(WireError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readVarint())
    }

    /// Reads a status code field: 0 ... 16, anything else is INVALID_ARGUMENT.
    mutating func readStatus() throws(WireError) -> WireStatus {
        let start = position
        let raw = try readVarint()
        guard raw <= 16, let status = WireStatus(rawValue: UInt8(raw)) else {
            throw .malformed(.badStatus, "status \(raw) at offset \(start) is not a status code (0 ... 16)")
        }
        return status
    }

    /// Reads a repeated uint32 field, packed (length-delimited) or not (one varint), appending to `values`.
    mutating func readRepeatedUInt32(_ wireType: ProtoWireType, into values: inout [UInt32]) throws(WireError) {
        switch wireType {
        case .varint:
            values.append(try readUInt32())
        case .lengthDelimited:
            var inner = ProtoReader(try readLengthDelimited())
            while !inner.isAtEnd { values.append(try inner.readUInt32()) }
        default:
            try skipField(wireType)
        }
    }
}

extension HandshakeNegotiator {
    /// Constant-time equality of two byte strings: the running time depends only on the lengths, never on where the
    /// first difference is (token comparison in `HandshakeNegotiator`).
    @inline(never)
    public static func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let x = Array(a), y = Array(b)
        var diff = UInt64(truncatingIfNeeded: x.count ^ y.count)
        let n = max(x.count, y.count)
        for i in 0..<n {
            let p: UInt8 = i < x.count ? x[i] : 0
            let q: UInt8 = i < y.count ? y[i] : 0
            diff |= UInt64(p ^ q)
        }
        return diff == 0
    }
}
