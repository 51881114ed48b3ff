/// CANCEL metadata (frame type 5; the header's stream_id names the request). proto/driftd.proto `Cancel`.
///
///     1 reason  string (free text for logs)
public struct Cancel: Sendable, Equatable {
    public var reason: String

    public init(reason: String = "") { self.reason = reason }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, reason)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> Cancel {
        var r = ProtoReader(bytes)
        var m = Cancel()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.reason = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// PING metadata (frame type 6, stream 0): an opaque payload the peer echoes in a PONG. proto/driftd.proto `Ping`.
///
///     1 payload  fixed64 (always written, 8 bytes, so PING/PONG metadata has a fixed size of 9 bytes)
public struct Ping: Sendable, Equatable {
    public var payload: UInt64

    public init(payload: UInt64 = 0) { self.payload = payload }

    /// The PONG that answers this PING.
    public var pong: Pong { Pong(payload: payload) }

    public func encode() -> [UInt8] { encodePayload(payload) }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> Ping { Ping(payload: try decodePayload(bytes)) }
}

/// PONG metadata (frame type 7, stream 0): the PING's payload, echoed. proto/driftd.proto `Pong`.
public struct Pong: Sendable, Equatable {
    public var payload: UInt64

    public init(payload: UInt64 = 0) { self.payload = payload }

    public func encode() -> [UInt8] { encodePayload(payload) }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> Pong { Pong(payload: try decodePayload(bytes)) }
}

private func encodePayload(_ payload: UInt64) -> [UInt8] {
    var w = ProtoWriter(capacity: 9)
    w.writeFixed64Field(1, payload)
    return w.bytes
}

private func decodePayload(_ bytes: [UInt8]) throws(WireError) -> UInt64 {
    var r = ProtoReader(bytes)
    var payload: UInt64 = 0
    while let (field, type) = try r.readKey() {
        switch (field, type) {
        case (1, .fixed64): payload = try r.readFixed64()
        default: try r.skipField(type)
        }
    }
    return payload
}

/// GOAWAY metadata (frame type 8, stream 0): the sender is draining or failing the connection.
/// proto/driftd.proto `GoAway`.
///
///     1 last_stream_id  uint32 (the highest stream id the sender will still process)   2 message  string
///     3 status  uint32 (0 ... 16; equals the header's status byte)   4 retry_after_ms  uint64 (0 = no hint)
public struct GoAway: Sendable, Equatable {
    public var status: WireStatus
    public var message: String
    public var lastStreamID: UInt32
    public var retryAfterMs: UInt64

    public init(status: WireStatus = .ok, message: String = "", lastStreamID: UInt32 = 0, retryAfterMs: UInt64 = 0) {
        self.status = status
        self.message = message
        self.lastStreamID = lastStreamID
        self.retryAfterMs = retryAfterMs
    }

    /// True if a request on `streamID` may still be answered; requests above `lastStreamID` were not processed
    /// and are safe to retry on a new connection.
    public func willProcess(streamID: UInt32) -> Bool { streamID != 0 && streamID <= lastStreamID }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, UInt64(lastStreamID))
        w.writeNonEmpty(2, message)
        w.writeNonZero(3, UInt64(status.rawValue))
        w.writeNonZero(4, retryAfterMs)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> GoAway {
        var r = ProtoReader(bytes)
        var m = GoAway()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.lastStreamID = try r.readUInt32()
            case (2, .lengthDelimited): m.message = try r.readString()
            case (3, .varint): m.status = try r.readStatus()
            case (4, .varint): m.retryAfterMs = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// RESPONSE metadata when the status is not OK. proto/driftd.proto `ErrorDetail`.
///
///     1 status  uint32 (0 ... 16; equals the header's status byte)   2 message  string
///     3 retry_after_ms  uint64 (0 = no hint)   4 field_path  optional string (offending field or column name)
public struct ErrorDetail: Sendable, Equatable {
    public var status: WireStatus
    public var message: String
    public var retryAfterMs: UInt64
    public var fieldPath: String?

    public init(status: WireStatus = .unknown, message: String = "", retryAfterMs: UInt64 = 0,
                fieldPath: String? = nil) {
        self.status = status
        self.message = message
        self.retryAfterMs = retryAfterMs
        self.fieldPath = fieldPath
    }

    public init(_ error: WireError) {
        self.init(status: error.code, message: error.message)
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, UInt64(status.rawValue))
        w.writeNonEmpty(2, message)
        w.writeNonZero(3, retryAfterMs)
        if let fieldPath { w.writeStringField(4, fieldPath) }
        return w.bytes
    }

    /// A missing status field decodes as OK (proto3 zero default); the frame header's status is authoritative.
    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ErrorDetail {
        var r = ProtoReader(bytes)
        var m = ErrorDetail(status: .ok)
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.status = try r.readStatus()
            case (2, .lengthDelimited): m.message = try r.readString()
            case (3, .varint): m.retryAfterMs = try r.readVarint()
            case (4, .lengthDelimited): m.fieldPath = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
