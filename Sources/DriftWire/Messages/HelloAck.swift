/// The limits a server announces in HELLO_ACK. proto/driftd.proto `ConnectionLimits`.
///
///     1 max_frame_body  uint32    2 max_decoded  uint32    3 max_meta  uint32    4 max_concurrent_streams  uint32
public struct ConnectionLimits: Sendable, Equatable {
    public var maxFrameBody: UInt32
    public var maxDecoded: UInt32
    public var maxMetadata: UInt32
    public var maxConcurrentStreams: UInt32

    public init(maxFrameBody: UInt32 = 16 << 20, maxDecoded: UInt32 = 64 << 20, maxMetadata: UInt32 = 64 << 10,
                maxConcurrentStreams: UInt32 = 100) {
        self.maxFrameBody = maxFrameBody
        self.maxDecoded = maxDecoded
        self.maxMetadata = maxMetadata
        self.maxConcurrentStreams = maxConcurrentStreams
    }

    public init(_ frameLimits: FrameLimits, maxConcurrentStreams: UInt32) {
        func clamp(_ v: Int) -> UInt32 { UInt32(clamping: v) }
        self.init(maxFrameBody: clamp(frameLimits.maxFrameBody), maxDecoded: clamp(frameLimits.maxDecoded),
                  maxMetadata: clamp(frameLimits.maxMetadata), maxConcurrentStreams: maxConcurrentStreams)
    }

    /// The frame-layer limits these announce.
    public var frameLimits: FrameLimits {
        FrameLimits(maxMetadata: Int(maxMetadata), maxFrameBody: Int(maxFrameBody), maxDecoded: Int(maxDecoded))
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, UInt64(maxFrameBody))
        w.writeNonZero(2, UInt64(maxDecoded))
        w.writeNonZero(3, UInt64(maxMetadata))
        w.writeNonZero(4, UInt64(maxConcurrentStreams))
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ConnectionLimits {
        var r = ProtoReader(bytes)
        var m = ConnectionLimits(maxFrameBody: 0, maxDecoded: 0, maxMetadata: 0, maxConcurrentStreams: 0)
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.maxFrameBody = try r.readUInt32()
            case (2, .varint): m.maxDecoded = try r.readUInt32()
            case (3, .varint): m.maxMetadata = try r.readUInt32()
            case (4, .varint): m.maxConcurrentStreams = try r.readUInt32()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// One method the server supports, with its version range. proto/driftd.proto `MethodDescriptor`.
///
///     1 id  uint32 (the header's method_id)   2 name  string   3 min_version  uint32   4 max_version  uint32
public struct MethodDescriptor: Sendable, Equatable {
    public var id: UInt32
    public var name: String
    public var minVersion: UInt32
    public var maxVersion: UInt32

    public init(id: UInt32, name: String, minVersion: UInt32 = 1, maxVersion: UInt32 = 1) {
        self.id = id
        self.name = name
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, UInt64(id))
        w.writeNonEmpty(2, name)
        w.writeNonZero(3, UInt64(minVersion))
        w.writeNonZero(4, UInt64(maxVersion))
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> MethodDescriptor {
        var r = ProtoReader(bytes)
        var m = MethodDescriptor(id: 0, name: "", minVersion: 0, maxVersion: 0)
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.id = try r.readUInt32()
            case (2, .lengthDelimited): m.name = try r.readString()
            case (3, .varint): m.minVersion = try r.readUInt32()
            case (4, .varint): m.maxVersion = try r.readUInt32()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// HELLO_ACK metadata (frame type 2, stream 0). proto/driftd.proto `HelloAck`.
///
///     1 status  uint32 (0 ... 16; equals the header's status byte)   2 message  string
///     3 chosen_version  uint32   4 limits  ConnectionLimits (optional)   5 keepalive_min_interval_ms  uint64
///     6 methods  repeated MethodDescriptor
///
/// A non-OK status is an error HELLO_ACK: the server closes the connection after sending it.
public struct HelloAck: Sendable, Equatable {
    public var status: WireStatus
    public var message: String
    public var chosenVersion: UInt32
    /// Present on success.
    public var limits: ConnectionLimits?
    /// The minimum interval between PINGs the server tolerates (0 = no policy announced).
    public var keepaliveMinIntervalMs: UInt64
    public var methods: [MethodDescriptor]

    public init(status: WireStatus = .ok, message: String = "", chosenVersion: UInt32 = 0,
                limits: ConnectionLimits? = nil, keepaliveMinIntervalMs: UInt64 = 0, methods: [MethodDescriptor] = []) {
        self.status = status
        self.message = message
        self.chosenVersion = chosenVersion
        self.limits = limits
        self.keepaliveMinIntervalMs = keepaliveMinIntervalMs
        self.methods = methods
    }

    public var isAccepted: Bool { status == .ok }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, UInt64(status.rawValue))
        w.writeNonEmpty(2, message)
        w.writeNonZero(3, UInt64(chosenVersion))
        if let limits { w.writeMessageField(4, limits.encode()) }
        w.writeNonZero(5, keepaliveMinIntervalMs)
        for m in methods { w.writeMessageField(6, m.encode()) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> HelloAck {
        var r = ProtoReader(bytes)
        var m = HelloAck()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.status = try r.readStatus()
            case (2, .lengthDelimited): m.message = try r.readString()
            case (3, .varint): m.chosenVersion = try r.readUInt32()
            case (4, .lengthDelimited): m.limits = try ConnectionLimits.decode(r.readBytes())
            case (5, .varint): m.keepaliveMinIntervalMs = try r.readVarint()
            case (6, .lengthDelimited): m.methods.append(try MethodDescriptor.decode(r.readBytes()))
            default: try r.skipField(type)
            }
        }
        return m
    }
}
