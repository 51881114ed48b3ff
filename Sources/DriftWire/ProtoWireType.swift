/// Protobuf wire types (the low 3 bits of a field key). Groups (3, 4) and 6, 7 are rejected.
///
///     key = (field_number << 3) | wire_type      encoded as a varint
///     0 varint   1 fixed64 (8 bytes LE)   2 length-delimited (varint length + bytes)   5 fixed32 (4 bytes LE)
public enum ProtoWireType: UInt8, Sendable, Equatable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}
