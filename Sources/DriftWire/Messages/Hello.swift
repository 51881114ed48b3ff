/// HELLO metadata (frame type 1, stream 0): the client's first frame. proto/driftd.proto `Hello`.
///
///     1 min_wire_version  uint32     2 max_wire_version  uint32     3 client_name  string
///     4 client_version    string     5 auth_token        string     6 accepted_codecs  repeated uint32 (packed)
///     7 producer_id       optional uint64 (idempotency producer id; present only when set)
public struct Hello: Sendable, Equatable {
    /// The metadata of a HELLO frame is capped at 4 KiB (before a HELLO succeeds nothing bigger is buffered).
    public static let maxMetadataBytes = 4096

    public var minWireVersion: UInt32
    public var maxWireVersion: UInt32
    public var clientName: String
    public var clientVersion: String
    /// Empty = no token.
    public var authToken: String
    /// Body codecs (`codec` header values: 0 none, 1 zstd) the client accepts in responses.
    public var acceptedCodecs: [UInt32]
    public var producerID: UInt64?

    public init(minWireVersion: UInt32 = 1, maxWireVersion: UInt32 = 1, clientName: String = "",
                clientVersion: String = "", authToken: String = "", acceptedCodecs: [UInt32] = [],
                producerID: UInt64? = nil) {
        self.minWireVersion = minWireVersion
        self.maxWireVersion = maxWireVersion
        self.clientName = clientName
        self.clientVersion = clientVersion
        self.authToken = authToken
        self.acceptedCodecs = acceptedCodecs
        self.producerID = producerID
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, UInt64(minWireVersion))
        w.writeNonZero(2, UInt64(maxWireVersion))
        w.writeNonEmpty(3, clientName)
        w.writeNonEmpty(4, clientVersion)
        w.writeNonEmpty(5, authToken)
        if !acceptedCodecs.isEmpty {
            var packed = ProtoWriter()
            for c in acceptedCodecs { packed.writeVarint(UInt64(c)) }
            w.writeBytesField(6, packed.bytes)
        }
        if let producerID { w.writeVarintField(7, producerID) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> Hello {
        var r = ProtoReader(bytes)
        var m = Hello(minWireVersion: 0, maxWireVersion: 0)
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.minWireVersion = try r.readUInt32()
            case (2, .varint): m.maxWireVersion = try r.readUInt32()
            case (3, .lengthDelimited): m.clientName = try r.readString()
            case (4, .lengthDelimited): m.clientVersion = try r.readString()
            case (5, .lengthDelimited): m.authToken = try r.readString()
            case (6, _): try r.readRepeatedUInt32(type, into: &m.acceptedCodecs)
            case (7, .varint): m.producerID = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

extension FrameLimits {
    /// Limits a server applies before a HELLO has succeeded: metadata ≤ 4 KiB and no body.
    public static let preHandshake = FrameLimits(maxMetadata: Hello.maxMetadataBytes, maxFrameBody: 0, maxDecoded: 0)
}
