/// Freshness of a source against its SLA (proto/driftd.proto `Freshness`): 0 no SLA, 1 fresh, 2 stale. Open enum (protobuf semantics): an unknown value is kept as its number.
public struct Freshness: RawRepresentable, Sendable, Equatable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let unspecified = Freshness(rawValue: 0)
    public static let fresh = Freshness(rawValue: 1)
    public static let stale = Freshness(rawValue: 2)
}

/// GetSourceStatus (method 10) request metadata. proto/driftd.proto `GetSourceStatusRequest`.
///
///     1 source  string
public struct GetSourceStatusRequest: Sendable, Equatable {
    public var source: String

    public init(source: String = "") {
        self.source = source
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> GetSourceStatusRequest {
        var r = ProtoReader(bytes)
        var m = GetSourceStatusRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// One feature's monitoring state. proto/driftd.proto `FeatureStatusEntry`.
///
///     1 feature  string   2 status  FeatureStatus   3 severity  Severity
///     4 since_window_start_ms  optional sint64 (the window the current status began with)
public struct FeatureStatusEntry: Sendable, Equatable {
    public var feature: String
    public var status: FeatureStatus
    public var severity: FeatureVerdict.Severity
    public var sinceWindowStartMs: Int64?

    public init(feature: String = "", status: FeatureStatus = .init(rawValue: 0), severity: FeatureVerdict.Severity = .init(rawValue: 0), sinceWindowStartMs: Int64? = nil) {
        self.feature = feature
        self.status = status
        self.severity = severity
        self.sinceWindowStartMs = sinceWindowStartMs
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, feature)
        w.writeNonZero(2, UInt64(status.rawValue))
        w.writeNonZero(3, UInt64(severity.rawValue))
        w.writeOptionalSInt64(4, sinceWindowStartMs)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> FeatureStatusEntry {
        var r = ProtoReader(bytes)
        var m = FeatureStatusEntry()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.feature = try r.readString()
            case (2, .varint): m.status = FeatureStatus(rawValue: try r.readUInt32())
            case (3, .varint): m.severity = FeatureVerdict.Severity(rawValue: try r.readUInt32())
            case (4, .varint): m.sinceWindowStartMs = try r.readSInt64()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// GetSourceStatus (method 10) response metadata. proto/driftd.proto `GetSourceStatusResponse`.
///
///     1 freshness  Freshness   2 event_age_ms  optional uint64 (now − newest event time)
///     3 arrival_age_ms  optional uint64 (now − last ingest)   4 stale_rule  string (the SLA rule broken; empty if fresh)
///     5 last_closed_window  WindowRange (written when present)   6 features  repeated FeatureStatusEntry
///     7 baseline_id  optional uint64 (in use)   8 late_rows  uint64
public struct GetSourceStatusResponse: Sendable, Equatable {
    public var freshness: Freshness
    public var eventAgeMs: UInt64?
    public var arrivalAgeMs: UInt64?
    public var staleRule: String
    public var lastClosedWindow: WindowRange?
    public var features: [FeatureStatusEntry]
    public var baselineID: UInt64?
    public var lateRows: UInt64

    public init(freshness: Freshness = .init(rawValue: 0), eventAgeMs: UInt64? = nil, arrivalAgeMs: UInt64? = nil, staleRule: String = "", lastClosedWindow: WindowRange? = nil, features: [FeatureStatusEntry] = [], baselineID: UInt64? = nil, lateRows: UInt64 = 0) {
        self.freshness = freshness
        self.eventAgeMs = eventAgeMs
        self.arrivalAgeMs = arrivalAgeMs
        self.staleRule = staleRule
        self.lastClosedWindow = lastClosedWindow
        self.features = features
        self.baselineID = baselineID
        self.lateRows = lateRows
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, UInt64(freshness.rawValue))
        w.writeOptionalVarint(2, eventAgeMs)
        w.writeOptionalVarint(3, arrivalAgeMs)
        w.writeNonEmpty(4, staleRule)
        if let lastClosedWindow { w.writeMessageField(5, lastClosedWindow.encode()) }
        for v in features { w.writeMessageField(6, v.encode()) }
        w.writeOptionalVarint(7, baselineID)
        w.writeNonZero(8, lateRows)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> GetSourceStatusResponse {
        var r = ProtoReader(bytes)
        var m = GetSourceStatusResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.freshness = Freshness(rawValue: try r.readUInt32())
            case (2, .varint): m.eventAgeMs = try r.readVarint()
            case (3, .varint): m.arrivalAgeMs = try r.readVarint()
            case (4, .lengthDelimited): m.staleRule = try r.readString()
            case (5, .lengthDelimited): m.lastClosedWindow = try r.readMessage(WindowRange.decode)
            case (6, .lengthDelimited): m.features.append(try r.readMessage(FeatureStatusEntry.decode))
            case (7, .varint): m.baselineID = try r.readVarint()
            case (8, .varint): m.lateRows = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
