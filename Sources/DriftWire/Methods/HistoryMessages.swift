/// The kind of a stored history row (proto/driftd.proto `HistoryKind`): 1 drift verdict, 2 freshness verdict, 3 model metric. Open enum (protobuf semantics): an unknown value is kept as its number.
public struct HistoryKind: RawRepresentable, Sendable, Equatable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let unspecified = HistoryKind(rawValue: 0)
    public static let drift = HistoryKind(rawValue: 1)
    public static let freshness = HistoryKind(rawValue: 2)
    public static let modelMetric = HistoryKind(rawValue: 3)
}

/// A feature's state under the persistence policy (proto/driftd.proto `FeatureStatus`): 1 ok, 2 drifting (k drifting windows in a row), 3 recovering (drifting, fewer than j clean windows since). Open enum (protobuf semantics): an unknown value is kept as its number.
public struct FeatureStatus: RawRepresentable, Sendable, Equatable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let unspecified = FeatureStatus(rawValue: 0)
    public static let ok = FeatureStatus(rawValue: 1)
    public static let drifting = FeatureStatus(rawValue: 2)
    public static let recovering = FeatureStatus(rawValue: 3)
}

/// QueryHistory (method 9) request metadata. proto/driftd.proto `QueryHistoryRequest`.
///
///     1 source  string   2 feature  string (empty = all)   3 kinds  repeated HistoryKind (packed; empty = all)
///     4 since_ms  optional sint64 (window start ≥)   5 until_ms  optional sint64 (window start <)
///     6 min_severity  Severity   7 limit  uint32 (0 = server default)   8 page_token  bytes (opaque; empty = first)
public struct QueryHistoryRequest: Sendable, Equatable {
    public var source: String
    public var feature: String
    public var kinds: [HistoryKind]
    public var sinceMs: Int64?
    public var untilMs: Int64?
    public var minSeverity: FeatureVerdict.Severity
    public var limit: UInt32
    public var pageToken: [UInt8]

    public init(source: String = "", feature: String = "", kinds: [HistoryKind] = [], sinceMs: Int64? = nil, untilMs: Int64? = nil, minSeverity: FeatureVerdict.Severity = .init(rawValue: 0), limit: UInt32 = 0, pageToken: [UInt8] = []) {
        self.source = source
        self.feature = feature
        self.kinds = kinds
        self.sinceMs = sinceMs
        self.untilMs = untilMs
        self.minSeverity = minSeverity
        self.limit = limit
        self.pageToken = pageToken
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        w.writeNonEmpty(2, feature)
        if !kinds.isEmpty { var p = ProtoWriter(); for v in kinds { p.writeVarint(UInt64(v.rawValue)) }; w.writeBytesField(3, p.bytes) }
        w.writeOptionalSInt64(4, sinceMs)
        w.writeOptionalSInt64(5, untilMs)
        w.writeNonZero(6, UInt64(minSeverity.rawValue))
        w.writeNonZero(7, UInt64(limit))
        w.writeNonEmptyBytes(8, pageToken)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> QueryHistoryRequest {
        var r = ProtoReader(bytes)
        var m = QueryHistoryRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            case (2, .lengthDelimited): m.feature = try r.readString()
            case (3, .varint), (3, .lengthDelimited):
                var raw: [UInt32] = []
                try r.readRepeatedUInt32(type, into: &raw)
                m.kinds += raw.map { HistoryKind(rawValue: $0) }
            case (4, .varint): m.sinceMs = try r.readSInt64()
            case (5, .varint): m.untilMs = try r.readSInt64()
            case (6, .varint): m.minSeverity = FeatureVerdict.Severity(rawValue: try r.readUInt32())
            case (7, .varint): m.limit = try r.readUInt32()
            case (8, .lengthDelimited): m.pageToken = try r.readBytes()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// One stored verdict or metric. proto/driftd.proto `HistoryRow`.
///
///     1 source  string   2 feature  string   3 window  WindowRange (always written)   4 baseline_id  uint64
///     5 kind  HistoryKind   6 test  string ("ks", "chi-square", "null-rate", "fisher-z", "freshness", metric name)
///     7 statistic  8 p_value  9 p_adjusted (Benjamini–Hochberg)  (optional double)   10 effect_name  string
///     11 effect_value  12 threshold_warning  13 threshold_critical  (optional double)
///     14 baseline_n  15 current_n  (uint64)   16 decision  Decision   17 severity  Severity   18 status  FeatureStatus
///     19 stale  bool (the source was stale)   20 reasons  repeated string
public struct HistoryRow: Sendable, Equatable {
    public var source: String
    public var feature: String
    public var window: WindowRange
    public var baselineID: UInt64
    public var kind: HistoryKind
    public var test: String
    public var statistic: Double?
    public var pValue: Double?
    public var pAdjusted: Double?
    public var effectName: String
    public var effectValue: Double?
    public var thresholdWarning: Double?
    public var thresholdCritical: Double?
    public var baselineN: UInt64
    public var currentN: UInt64
    public var decision: FeatureVerdict.Decision
    public var severity: FeatureVerdict.Severity
    public var status: FeatureStatus
    public var stale: Bool
    public var reasons: [String]

    public init(source: String = "", feature: String = "", window: WindowRange = WindowRange(), baselineID: UInt64 = 0, kind: HistoryKind = .init(rawValue: 0), test: String = "", statistic: Double? = nil, pValue: Double? = nil, pAdjusted: Double? = nil, effectName: String = "", effectValue: Double? = nil, thresholdWarning: Double? = nil, thresholdCritical: Double? = nil, baselineN: UInt64 = 0, currentN: UInt64 = 0, decision: FeatureVerdict.Decision = .init(rawValue: 0), severity: FeatureVerdict.Severity = .init(rawValue: 0), status: FeatureStatus = .init(rawValue: 0), stale: Bool = false, reasons: [String] = []) {
        self.source = source
        self.feature = feature
        self.window = window
        self.baselineID = baselineID
        self.kind = kind
        self.test = test
        self.statistic = statistic
        self.pValue = pValue
        self.pAdjusted = pAdjusted
        self.effectName = effectName
        self.effectValue = effectValue
        self.thresholdWarning = thresholdWarning
        self.thresholdCritical = thresholdCritical
        self.baselineN = baselineN
        self.currentN = currentN
        self.decision = decision
        self.severity = severity
        self.status = status
        self.stale = stale
        self.reasons = reasons
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        w.writeNonEmpty(2, feature)
        w.writeMessageField(3, window.encode())
        w.writeNonZero(4, baselineID)
        w.writeNonZero(5, UInt64(kind.rawValue))
        w.writeNonEmpty(6, test)
        w.writeOptionalDouble(7, statistic)
        w.writeOptionalDouble(8, pValue)
        w.writeOptionalDouble(9, pAdjusted)
        w.writeNonEmpty(10, effectName)
        w.writeOptionalDouble(11, effectValue)
        w.writeOptionalDouble(12, thresholdWarning)
        w.writeOptionalDouble(13, thresholdCritical)
        w.writeNonZero(14, baselineN)
        w.writeNonZero(15, currentN)
        w.writeNonZero(16, UInt64(decision.rawValue))
        w.writeNonZero(17, UInt64(severity.rawValue))
        w.writeNonZero(18, UInt64(status.rawValue))
        w.writeTrue(19, stale)
        for v in reasons { w.writeStringField(20, v) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> HistoryRow {
        var r = ProtoReader(bytes)
        var m = HistoryRow()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            case (2, .lengthDelimited): m.feature = try r.readString()
            case (3, .lengthDelimited): m.window = try r.readMessage(WindowRange.decode)
            case (4, .varint): m.baselineID = try r.readVarint()
            case (5, .varint): m.kind = HistoryKind(rawValue: try r.readUInt32())
            case (6, .lengthDelimited): m.test = try r.readString()
            case (7, .fixed64): m.statistic = try r.readDouble()
            case (8, .fixed64): m.pValue = try r.readDouble()
            case (9, .fixed64): m.pAdjusted = try r.readDouble()
            case (10, .lengthDelimited): m.effectName = try r.readString()
            case (11, .fixed64): m.effectValue = try r.readDouble()
            case (12, .fixed64): m.thresholdWarning = try r.readDouble()
            case (13, .fixed64): m.thresholdCritical = try r.readDouble()
            case (14, .varint): m.baselineN = try r.readVarint()
            case (15, .varint): m.currentN = try r.readVarint()
            case (16, .varint): m.decision = FeatureVerdict.Decision(rawValue: try r.readUInt32())
            case (17, .varint): m.severity = FeatureVerdict.Severity(rawValue: try r.readUInt32())
            case (18, .varint): m.status = FeatureStatus(rawValue: try r.readUInt32())
            case (19, .varint): m.stale = try r.readBool()
            case (20, .lengthDelimited): m.reasons.append(try r.readString())
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// QueryHistory (method 9) response metadata. proto/driftd.proto `QueryHistoryResponse`.
///
///     1 rows  repeated HistoryRow (window start ascending, then feature)   2 next_page_token  bytes (empty = last)
public struct QueryHistoryResponse: Sendable, Equatable {
    public var rows: [HistoryRow]
    public var nextPageToken: [UInt8]

    public init(rows: [HistoryRow] = [], nextPageToken: [UInt8] = []) {
        self.rows = rows
        self.nextPageToken = nextPageToken
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        for v in rows { w.writeMessageField(1, v.encode()) }
        w.writeNonEmptyBytes(2, nextPageToken)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> QueryHistoryResponse {
        var r = ProtoReader(bytes)
        var m = QueryHistoryResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.rows.append(try r.readMessage(HistoryRow.decode))
            case (2, .lengthDelimited): m.nextPageToken = try r.readBytes()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
