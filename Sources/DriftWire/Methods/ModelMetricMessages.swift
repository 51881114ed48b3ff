/// ReportModelMetric (method 8) request metadata. proto/driftd.proto `ReportModelMetricRequest`.
///
///     1 source  string   2 model  string   3 metric  string (e.g. "accuracy", "auc", "rmse")
///     4 window_start_ms  optional sint64   5 event_time_ms  optional sint64 (→ the window containing it; one of 4, 5)
///     6 value  double   7 higher_is_better  bool
public struct ReportModelMetricRequest: Sendable, Equatable {
    public var source: String
    public var model: String
    public var metric: String
    public var windowStartMs: Int64?
    public var eventTimeMs: Int64?
    public var value: Double
    public var higherIsBetter: Bool

    public init(source: String = "", model: String = "", metric: String = "", windowStartMs: Int64? = nil, eventTimeMs: Int64? = nil, value: Double = 0, higherIsBetter: Bool = false) {
        self.source = source
        self.model = model
        self.metric = metric
        self.windowStartMs = windowStartMs
        self.eventTimeMs = eventTimeMs
        self.value = value
        self.higherIsBetter = higherIsBetter
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        w.writeNonEmpty(2, model)
        w.writeNonEmpty(3, metric)
        w.writeOptionalSInt64(4, windowStartMs)
        w.writeOptionalSInt64(5, eventTimeMs)
        w.writeNonZeroDouble(6, value)
        w.writeTrue(7, higherIsBetter)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ReportModelMetricRequest {
        var r = ProtoReader(bytes)
        var m = ReportModelMetricRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            case (2, .lengthDelimited): m.model = try r.readString()
            case (3, .lengthDelimited): m.metric = try r.readString()
            case (4, .varint): m.windowStartMs = try r.readSInt64()
            case (5, .varint): m.eventTimeMs = try r.readSInt64()
            case (6, .fixed64): m.value = try r.readDouble()
            case (7, .varint): m.higherIsBetter = try r.readBool()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// ReportModelMetric (method 8) response metadata. proto/driftd.proto `ReportModelMetricResponse`.
///
///     1 window  WindowRange (the window the value was joined to; always written)
///     2 replaced  bool (an earlier value for this source, model, metric and window was replaced)
public struct ReportModelMetricResponse: Sendable, Equatable {
    public var window: WindowRange
    public var replaced: Bool

    public init(window: WindowRange = WindowRange(), replaced: Bool = false) {
        self.window = window
        self.replaced = replaced
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeMessageField(1, window.encode())
        w.writeTrue(2, replaced)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ReportModelMetricResponse {
        var r = ProtoReader(bytes)
        var m = ReportModelMetricResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.window = try r.readMessage(WindowRange.decode)
            case (2, .varint): m.replaced = try r.readBool()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
