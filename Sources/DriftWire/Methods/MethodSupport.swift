// Shared helpers of the method message codecs (proto/PROTOCOL.md §13, proto/driftd.proto).
//
// Same rules as the connection-control codecs (Messages/MessageSupport.swift): proto3 encoding, unknown fields and
// known fields with an unexpected wire type skipped, the last occurrence of a scalar wins, uint32 keeps the low
// 32 bits. Doubles are fixed64 bit patterns, so NaN payloads, −0 and ±inf round-trip bit-exactly. A plain
// (non-optional) double is omitted only when its bit pattern is all zero (+0.0); `optional` fields are written
// exactly when present, so "absent" and 0 stay distinct.

extension ProtoWriter {
    /// A proto3 `double`: omitted when +0.0 (−0.0 is written, so it survives a round trip).
    mutating func writeNonZeroDouble(_ field: Int, _ value: Double) {
        if value.bitPattern != 0 { writeDoubleField(field, value) }
    }

    /// An `optional double`: written when present, even when 0.
    mutating func writeOptionalDouble(_ field: Int, _ value: Double?) {
        if let value { writeDoubleField(field, value) }
    }

    /// An `optional uint64`/`uint32`: written when present, even when 0.
    mutating func writeOptionalVarint(_ field: Int, _ value: UInt64?) {
        if let value { writeVarintField(field, value) }
    }

    /// A proto3 `bool`: omitted when false.
    mutating func writeTrue(_ field: Int, _ value: Bool) {
        if value { writeBoolField(field, true) }
    }
}

extension ProtoReader {
    /// Reads a length-delimited sub-message and decodes it with `decode`.
    mutating func readMessage<M>(_ decode: ([UInt8]) throws(WireError) -> M) throws(WireError) -> M {
        try decode(readBytes())
    }
}
