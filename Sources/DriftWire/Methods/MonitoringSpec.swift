/// Monitoring settings of a source (proto/driftd.proto `MonitoringSpec`, `SourceSpec` field 3). Absent fields mean
/// "server default"; `optional` fields are written exactly when present, so equal specs encode byte-equally (the
/// CreateSource idempotency rule).
///
///     1 window_length_ms  optional uint64 (event-time windows; default 3 600 000)
///     2 window_rows  optional uint64 (row-count windows instead of event time)
///     3 event_time_column  string (empty = the block's timestamp_unix_ms or the Ingest request's)
///     4 grace_ms  optional uint64        5 value_cap  optional uint64 (exact values kept per window and feature)
///     6 max_event_age_ms  optional uint64   7 max_arrival_interval_ms  optional uint64 (freshness SLA)
///     8 baseline_mode  BaselineMode (0 default, 1 fixed, 2 rolling)   9 rolling_windows  optional uint32
///     10 persistence_k  optional uint32   11 recovery_j  optional uint32   12 benjamini_hochberg  optional bool
///     13 correlation_groups  repeated CorrelationGroup
public struct MonitoringSpec: Sendable, Equatable {
    /// How the comparison baseline is chosen. Open enum: an unknown value is kept.
    public struct BaselineMode: RawRepresentable, Sendable, Equatable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let unspecified = BaselineMode(rawValue: 0)
        public static let fixed = BaselineMode(rawValue: 1)
        public static let rolling = BaselineMode(rawValue: 2)
    }

    public var windowLengthMs: UInt64?
    public var windowRows: UInt64?
    public var eventTimeColumn: String
    public var graceMs: UInt64?
    public var valueCap: UInt64?
    public var maxEventAgeMs: UInt64?
    public var maxArrivalIntervalMs: UInt64?
    public var baselineMode: BaselineMode
    public var rollingWindows: UInt32?
    public var persistenceK: UInt32?
    public var recoveryJ: UInt32?
    public var benjaminiHochberg: Bool?
    public var correlationGroups: [CorrelationGroup]

    public init(windowLengthMs: UInt64? = nil, windowRows: UInt64? = nil, eventTimeColumn: String = "",
                graceMs: UInt64? = nil, valueCap: UInt64? = nil, maxEventAgeMs: UInt64? = nil,
                maxArrivalIntervalMs: UInt64? = nil, baselineMode: BaselineMode = .unspecified,
                rollingWindows: UInt32? = nil, persistenceK: UInt32? = nil, recoveryJ: UInt32? = nil,
                benjaminiHochberg: Bool? = nil, correlationGroups: [CorrelationGroup] = []) {
        self.windowLengthMs = windowLengthMs
        self.windowRows = windowRows
        self.eventTimeColumn = eventTimeColumn
        self.graceMs = graceMs
        self.valueCap = valueCap
        self.maxEventAgeMs = maxEventAgeMs
        self.maxArrivalIntervalMs = maxArrivalIntervalMs
        self.baselineMode = baselineMode
        self.rollingWindows = rollingWindows
        self.persistenceK = persistenceK
        self.recoveryJ = recoveryJ
        self.benjaminiHochberg = benjaminiHochberg
        self.correlationGroups = correlationGroups
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeOptionalVarint(1, windowLengthMs)
        w.writeOptionalVarint(2, windowRows)
        w.writeNonEmpty(3, eventTimeColumn)
        w.writeOptionalVarint(4, graceMs)
        w.writeOptionalVarint(5, valueCap)
        w.writeOptionalVarint(6, maxEventAgeMs)
        w.writeOptionalVarint(7, maxArrivalIntervalMs)
        w.writeNonZero(8, UInt64(baselineMode.rawValue))
        w.writeOptionalVarint(9, rollingWindows.map { UInt64($0) })
        w.writeOptionalVarint(10, persistenceK.map { UInt64($0) })
        w.writeOptionalVarint(11, recoveryJ.map { UInt64($0) })
        w.writeOptionalBool(12, benjaminiHochberg)
        for g in correlationGroups { w.writeMessageField(13, g.encode()) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> MonitoringSpec {
        var r = ProtoReader(bytes)
        var m = MonitoringSpec()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.windowLengthMs = try r.readVarint()
            case (2, .varint): m.windowRows = try r.readVarint()
            case (3, .lengthDelimited): m.eventTimeColumn = try r.readString()
            case (4, .varint): m.graceMs = try r.readVarint()
            case (5, .varint): m.valueCap = try r.readVarint()
            case (6, .varint): m.maxEventAgeMs = try r.readVarint()
            case (7, .varint): m.maxArrivalIntervalMs = try r.readVarint()
            case (8, .varint): m.baselineMode = BaselineMode(rawValue: try r.readUInt32())
            case (9, .varint): m.rollingWindows = try r.readUInt32()
            case (10, .varint): m.persistenceK = try r.readUInt32()
            case (11, .varint): m.recoveryJ = try r.readUInt32()
            case (12, .varint): m.benjaminiHochberg = try r.readBool()
            case (13, .lengthDelimited): m.correlationGroups.append(try r.readMessage(CorrelationGroup.decode))
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// A declared group of features whose pairwise correlations are monitored (Fisher z on each pair).
/// proto/driftd.proto `CorrelationGroup`.
///
///     1 features  repeated string (feature names of the source)
public struct CorrelationGroup: Sendable, Equatable {
    public var features: [String]

    public init(features: [String] = []) { self.features = features }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        for f in features { w.writeStringField(1, f) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> CorrelationGroup {
        var r = ProtoReader(bytes)
        var m = CorrelationGroup()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.features.append(try r.readString())
            default: try r.skipField(type)
            }
        }
        return m
    }
}
