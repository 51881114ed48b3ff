/// How a baseline version was made (proto/driftd.proto `BaselineKind`): 1 fixed (uploaded), 2 rolling (trailing windows). Open enum (protobuf semantics): an unknown value is kept as its number.
public struct BaselineKind: RawRepresentable, Sendable, Equatable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let unspecified = BaselineKind(rawValue: 0)
    public static let fixed = BaselineKind(rawValue: 1)
    public static let rolling = BaselineKind(rawValue: 2)
}

/// One version of a source's baseline. proto/driftd.proto `BaselineVersion`.
///
///     1 id  uint64   2 rows  uint64   3 created_ms  sint64   4 kind  BaselineKind   5 current  bool
public struct BaselineVersion: Sendable, Equatable {
    public var id: UInt64
    public var rows: UInt64
    public var createdMs: Int64
    public var kind: BaselineKind
    public var current: Bool

    public init(id: UInt64 = 0, rows: UInt64 = 0, createdMs: Int64 = 0, kind: BaselineKind = .init(rawValue: 0), current: Bool = false) {
        self.id = id
        self.rows = rows
        self.createdMs = createdMs
        self.kind = kind
        self.current = current
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, id)
        w.writeNonZero(2, rows)
        w.writeNonZeroSInt64(3, createdMs)
        w.writeNonZero(4, UInt64(kind.rawValue))
        w.writeTrue(5, current)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> BaselineVersion {
        var r = ProtoReader(bytes)
        var m = BaselineVersion()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.id = try r.readVarint()
            case (2, .varint): m.rows = try r.readVarint()
            case (3, .varint): m.createdMs = try r.readSInt64()
            case (4, .varint): m.kind = BaselineKind(rawValue: try r.readUInt32())
            case (5, .varint): m.current = try r.readBool()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// ListBaselines (method 11) request metadata. proto/driftd.proto `ListBaselinesRequest`.
///
///     1 source  string
public struct ListBaselinesRequest: Sendable, Equatable {
    public var source: String

    public init(source: String = "") {
        self.source = source
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ListBaselinesRequest {
        var r = ProtoReader(bytes)
        var m = ListBaselinesRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// ListBaselines (method 11) response metadata. proto/driftd.proto `ListBaselinesResponse`.
///
///     1 baselines  repeated BaselineVersion (id ascending; exactly one `current` when any)
public struct ListBaselinesResponse: Sendable, Equatable {
    public var baselines: [BaselineVersion]

    public init(baselines: [BaselineVersion] = []) {
        self.baselines = baselines
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        for v in baselines { w.writeMessageField(1, v.encode()) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ListBaselinesResponse {
        var r = ProtoReader(bytes)
        var m = ListBaselinesResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.baselines.append(try r.readMessage(BaselineVersion.decode))
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// PromoteBaseline (method 12) request metadata: make `baseline_id` the current version.
/// proto/driftd.proto `PromoteBaselineRequest`.
///
///     1 source  string   2 baseline_id  uint64
public struct PromoteBaselineRequest: Sendable, Equatable {
    public var source: String
    public var baselineID: UInt64

    public init(source: String = "", baselineID: UInt64 = 0) {
        self.source = source
        self.baselineID = baselineID
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        w.writeNonZero(2, baselineID)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> PromoteBaselineRequest {
        var r = ProtoReader(bytes)
        var m = PromoteBaselineRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            case (2, .varint): m.baselineID = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// RollbackBaseline (method 13) request metadata: make the version current before the present one current again.
/// proto/driftd.proto `RollbackBaselineRequest`.
///
///     1 source  string
public struct RollbackBaselineRequest: Sendable, Equatable {
    public var source: String

    public init(source: String = "") {
        self.source = source
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> RollbackBaselineRequest {
        var r = ProtoReader(bytes)
        var m = RollbackBaselineRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// PromoteBaseline (12) and RollbackBaseline (13) response metadata. proto/driftd.proto `BaselineChangeResponse`.
///
///     1 current  BaselineVersion (the current version afterwards; always written)   2 previous_id  uint64
public struct BaselineChangeResponse: Sendable, Equatable {
    public var current: BaselineVersion
    public var previousID: UInt64

    public init(current: BaselineVersion = BaselineVersion(), previousID: UInt64 = 0) {
        self.current = current
        self.previousID = previousID
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeMessageField(1, current.encode())
        w.writeNonZero(2, previousID)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> BaselineChangeResponse {
        var r = ProtoReader(bytes)
        var m = BaselineChangeResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.current = try r.readMessage(BaselineVersion.decode)
            case (2, .varint): m.previousID = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// AcknowledgeWindow (method 14) request metadata: an alerted window may enter a rolling baseline again.
/// proto/driftd.proto `AcknowledgeWindowRequest`.
///
///     1 source  string   2 window_start_ms  sint64
public struct AcknowledgeWindowRequest: Sendable, Equatable {
    public var source: String
    public var windowStartMs: Int64

    public init(source: String = "", windowStartMs: Int64 = 0) {
        self.source = source
        self.windowStartMs = windowStartMs
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        w.writeNonZeroSInt64(2, windowStartMs)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> AcknowledgeWindowRequest {
        var r = ProtoReader(bytes)
        var m = AcknowledgeWindowRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            case (2, .varint): m.windowStartMs = try r.readSInt64()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// AcknowledgeWindow (method 14) response metadata. proto/driftd.proto `AcknowledgeWindowResponse`.
///
///     1 acknowledged  bool (false: it already was)   2 window  WindowRange (always written)
public struct AcknowledgeWindowResponse: Sendable, Equatable {
    public var acknowledged: Bool
    public var window: WindowRange

    public init(acknowledged: Bool = false, window: WindowRange = WindowRange()) {
        self.acknowledged = acknowledged
        self.window = window
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeTrue(1, acknowledged)
        w.writeMessageField(2, window.encode())
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> AcknowledgeWindowResponse {
        var r = ProtoReader(bytes)
        var m = AcknowledgeWindowResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.acknowledged = try r.readBool()
            case (2, .lengthDelimited): m.window = try r.readMessage(WindowRange.decode)
            default: try r.skipField(type)
            }
        }
        return m
    }
}
