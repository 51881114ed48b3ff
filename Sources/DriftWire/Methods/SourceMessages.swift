/// Per-feature overrides of the server's drift policy (proto/driftd.proto `PolicyOverrides`). An absent field
/// means "use the server default"; a present 0 is a real value. All fields `optional`, written only when set.
///
///     1 significance  2 psi_warning  3 psi_critical  4 wasserstein_warning  5 wasserstein_critical
///     6 js_warning  7 js_critical  8 null_rate_warning  9 null_rate_critical     (optional double)
///     10 bins  optional uint32 (quantile bins for PSI / JS)
public struct PolicyOverrides: Sendable, Equatable {
    public var significance: Double?
    public var psiWarning: Double?
    public var psiCritical: Double?
    public var wassersteinWarning: Double?
    public var wassersteinCritical: Double?
    public var jensenShannonWarning: Double?
    public var jensenShannonCritical: Double?
    public var nullRateWarning: Double?
    public var nullRateCritical: Double?
    public var bins: UInt32?

    public init(significance: Double? = nil, psiWarning: Double? = nil, psiCritical: Double? = nil,
                wassersteinWarning: Double? = nil, wassersteinCritical: Double? = nil,
                jensenShannonWarning: Double? = nil, jensenShannonCritical: Double? = nil,
                nullRateWarning: Double? = nil, nullRateCritical: Double? = nil, bins: UInt32? = nil) {
        self.significance = significance
        self.psiWarning = psiWarning
        self.psiCritical = psiCritical
        self.wassersteinWarning = wassersteinWarning
        self.wassersteinCritical = wassersteinCritical
        self.jensenShannonWarning = jensenShannonWarning
        self.jensenShannonCritical = jensenShannonCritical
        self.nullRateWarning = nullRateWarning
        self.nullRateCritical = nullRateCritical
        self.bins = bins
    }

    /// True when no override is set (the message encodes to zero bytes).
    public var isEmpty: Bool { encode().isEmpty }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeOptionalDouble(1, significance)
        w.writeOptionalDouble(2, psiWarning)
        w.writeOptionalDouble(3, psiCritical)
        w.writeOptionalDouble(4, wassersteinWarning)
        w.writeOptionalDouble(5, wassersteinCritical)
        w.writeOptionalDouble(6, jensenShannonWarning)
        w.writeOptionalDouble(7, jensenShannonCritical)
        w.writeOptionalDouble(8, nullRateWarning)
        w.writeOptionalDouble(9, nullRateCritical)
        w.writeOptionalVarint(10, bins.map { UInt64($0) })
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> PolicyOverrides {
        var r = ProtoReader(bytes)
        var m = PolicyOverrides()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .fixed64): m.significance = try r.readDouble()
            case (2, .fixed64): m.psiWarning = try r.readDouble()
            case (3, .fixed64): m.psiCritical = try r.readDouble()
            case (4, .fixed64): m.wassersteinWarning = try r.readDouble()
            case (5, .fixed64): m.wassersteinCritical = try r.readDouble()
            case (6, .fixed64): m.jensenShannonWarning = try r.readDouble()
            case (7, .fixed64): m.jensenShannonCritical = try r.readDouble()
            case (8, .fixed64): m.nullRateWarning = try r.readDouble()
            case (9, .fixed64): m.nullRateCritical = try r.readDouble()
            case (10, .varint): m.bins = try r.readUInt32()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// One feature of a source. proto/driftd.proto `FeatureSpec`.
///
///     1 name  string (the column name in blocks)   2 type  uint32 (ColumnType numbering, §11: 1 FLOAT32, 2 FLOAT64,
///     3 INT64, 4 BOOL, 5 CATEGORICAL, 6 TIMESTAMP_MS)   3 policy  PolicyOverrides (written when any override is set)
public struct FeatureSpec: Sendable, Equatable {
    public var name: String
    /// The `ColumnType` raw value of §11 (0 = unspecified, invalid for the server).
    public var type: UInt32
    public var policy: PolicyOverrides

    public init(name: String = "", type: UInt32 = 0, policy: PolicyOverrides = PolicyOverrides()) {
        self.name = name
        self.type = type
        self.policy = policy
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, name)
        w.writeNonZero(2, UInt64(type))
        let p = policy.encode()
        if !p.isEmpty { w.writeMessageField(3, p) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> FeatureSpec {
        var r = ProtoReader(bytes)
        var m = FeatureSpec()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.name = try r.readString()
            case (2, .varint): m.type = try r.readUInt32()
            case (3, .lengthDelimited): m.policy = try r.readMessage(PolicyOverrides.decode)
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// A source (a feature table) and its features. proto/driftd.proto `SourceSpec`.
///
///     1 name  string   2 features  repeated FeatureSpec (in order; names unique)
///     3 monitoring  MonitoringSpec (written when present, even when empty; absent = server defaults)
public struct SourceSpec: Sendable, Equatable {
    public var name: String
    public var features: [FeatureSpec]
    public var monitoring: MonitoringSpec?

    public init(name: String = "", features: [FeatureSpec] = [], monitoring: MonitoringSpec? = nil) {
        self.name = name
        self.features = features
        self.monitoring = monitoring
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, name)
        for f in features { w.writeMessageField(2, f.encode()) }
        if let monitoring { w.writeMessageField(3, monitoring.encode()) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> SourceSpec {
        var r = ProtoReader(bytes)
        var m = SourceSpec()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.name = try r.readString()
            case (2, .lengthDelimited): m.features.append(try r.readMessage(FeatureSpec.decode))
            case (3, .lengthDelimited): m.monitoring = try r.readMessage(MonitoringSpec.decode)
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// CreateSource (method 1) request metadata. proto/driftd.proto `CreateSourceRequest`.
///
///     1 source  SourceSpec (always written)
public struct CreateSourceRequest: Sendable, Equatable {
    public var source: SourceSpec

    public init(source: SourceSpec = SourceSpec()) { self.source = source }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeMessageField(1, source.encode())
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> CreateSourceRequest {
        var r = ProtoReader(bytes)
        var m = CreateSourceRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readMessage(SourceSpec.decode)
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// CreateSource (method 1) response metadata. proto/driftd.proto `CreateSourceResponse`.
///
///     1 created  bool (false: an equal definition already existed; idempotent success)
public struct CreateSourceResponse: Sendable, Equatable {
    public var created: Bool

    public init(created: Bool = false) { self.created = created }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeTrue(1, created)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> CreateSourceResponse {
        var r = ProtoReader(bytes)
        var m = CreateSourceResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.created = try r.readBool()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// GetSource (method 2) request metadata. proto/driftd.proto `GetSourceRequest`.
///
///     1 name  string
public struct GetSourceRequest: Sendable, Equatable {
    public var name: String

    public init(name: String = "") { self.name = name }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, name)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> GetSourceRequest {
        var r = ProtoReader(bytes)
        var m = GetSourceRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.name = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// GetSource (method 2) response metadata. proto/driftd.proto `GetSourceResponse`.
///
///     1 source  SourceSpec (always written)   2 baseline_id  optional uint64 (absent = no baseline yet)
public struct GetSourceResponse: Sendable, Equatable {
    public var source: SourceSpec
    public var baselineID: UInt64?

    public init(source: SourceSpec = SourceSpec(), baselineID: UInt64? = nil) {
        self.source = source
        self.baselineID = baselineID
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeMessageField(1, source.encode())
        w.writeOptionalVarint(2, baselineID)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> GetSourceResponse {
        var r = ProtoReader(bytes)
        var m = GetSourceResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readMessage(SourceSpec.decode)
            case (2, .varint): m.baselineID = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// ListSources (method 3) request metadata. proto/driftd.proto `ListSourcesRequest`.
///
///     1 page_token  string (empty = first page; otherwise a previous `next_page_token`, opaque)
///     2 page_size   uint32 (0 = server default)
public struct ListSourcesRequest: Sendable, Equatable {
    public var pageToken: String
    public var pageSize: UInt32

    public init(pageToken: String = "", pageSize: UInt32 = 0) {
        self.pageToken = pageToken
        self.pageSize = pageSize
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, pageToken)
        w.writeNonZero(2, UInt64(pageSize))
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ListSourcesRequest {
        var r = ProtoReader(bytes)
        var m = ListSourcesRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.pageToken = try r.readString()
            case (2, .varint): m.pageSize = try r.readUInt32()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// ListSources (method 3) response metadata. proto/driftd.proto `ListSourcesResponse`.
///
///     1 sources  repeated SourceSpec (sorted by name)   2 next_page_token  string (empty = last page)
public struct ListSourcesResponse: Sendable, Equatable {
    public var sources: [SourceSpec]
    public var nextPageToken: String

    public init(sources: [SourceSpec] = [], nextPageToken: String = "") {
        self.sources = sources
        self.nextPageToken = nextPageToken
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        for s in sources { w.writeMessageField(1, s.encode()) }
        w.writeNonEmpty(2, nextPageToken)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ListSourcesResponse {
        var r = ProtoReader(bytes)
        var m = ListSourcesResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.sources.append(try r.readMessage(SourceSpec.decode))
            case (2, .lengthDelimited): m.nextPageToken = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
