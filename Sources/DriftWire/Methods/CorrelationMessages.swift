/// PerformanceCorrelation (method 15) request metadata. proto/driftd.proto `PerformanceCorrelationRequest`.
///
///     1 source  string   2 model  string   3 metric  string   4 windows  uint32 (last K windows; 0 = server default)
///     5 max_lag  uint32 (windows)
public struct PerformanceCorrelationRequest: Sendable, Equatable {
    public var source: String
    public var model: String
    public var metric: String
    public var windows: UInt32
    public var maxLag: UInt32

    public init(source: String = "", model: String = "", metric: String = "", windows: UInt32 = 0, maxLag: UInt32 = 0) {
        self.source = source
        self.model = model
        self.metric = metric
        self.windows = windows
        self.maxLag = maxLag
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        w.writeNonEmpty(2, model)
        w.writeNonEmpty(3, metric)
        w.writeNonZero(4, UInt64(windows))
        w.writeNonZero(5, UInt64(maxLag))
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> PerformanceCorrelationRequest {
        var r = ProtoReader(bytes)
        var m = PerformanceCorrelationRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            case (2, .lengthDelimited): m.model = try r.readString()
            case (3, .lengthDelimited): m.metric = try r.readString()
            case (4, .varint): m.windows = try r.readUInt32()
            case (5, .varint): m.maxLag = try r.readUInt32()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// Rank correlation between one feature's drift and the model metric. proto/driftd.proto `FeatureCorrelation`.
///
///     1 feature  string   2 rho  optional double (Spearman)   3 lag  uint32 (windows, drift leading the metric)
///     4 n  uint64 (window pairs)   5 p_value  optional double   6 rank  uint32 (1 = most associated with drops)
public struct FeatureCorrelation: Sendable, Equatable {
    public var feature: String
    public var rho: Double?
    public var lag: UInt32
    public var n: UInt64
    public var pValue: Double?
    public var rank: UInt32

    public init(feature: String = "", rho: Double? = nil, lag: UInt32 = 0, n: UInt64 = 0, pValue: Double? = nil, rank: UInt32 = 0) {
        self.feature = feature
        self.rho = rho
        self.lag = lag
        self.n = n
        self.pValue = pValue
        self.rank = rank
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, feature)
        w.writeOptionalDouble(2, rho)
        w.writeNonZero(3, UInt64(lag))
        w.writeNonZero(4, n)
        w.writeOptionalDouble(5, pValue)
        w.writeNonZero(6, UInt64(rank))
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> FeatureCorrelation {
        var r = ProtoReader(bytes)
        var m = FeatureCorrelation()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.feature = try r.readString()
            case (2, .fixed64): m.rho = try r.readDouble()
            case (3, .varint): m.lag = try r.readUInt32()
            case (4, .varint): m.n = try r.readVarint()
            case (5, .fixed64): m.pValue = try r.readDouble()
            case (6, .varint): m.rank = try r.readUInt32()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// PerformanceCorrelation (method 15) response metadata. proto/driftd.proto `PerformanceCorrelationResponse`.
///
///     1 features  repeated FeatureCorrelation (by rank)   2 windows_used  uint64
public struct PerformanceCorrelationResponse: Sendable, Equatable {
    public var features: [FeatureCorrelation]
    public var windowsUsed: UInt64

    public init(features: [FeatureCorrelation] = [], windowsUsed: UInt64 = 0) {
        self.features = features
        self.windowsUsed = windowsUsed
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        for v in features { w.writeMessageField(1, v.encode()) }
        w.writeNonZero(2, windowsUsed)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> PerformanceCorrelationResponse {
        var r = ProtoReader(bytes)
        var m = PerformanceCorrelationResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.features.append(try r.readMessage(FeatureCorrelation.decode))
            case (2, .varint): m.windowsUsed = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
