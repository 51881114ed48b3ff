/// Ingest (method 7) request metadata; the frame body carries one `ColumnBlock` (§11, normally zstd) folded into
/// the source's windows. proto/driftd.proto `IngestRequest`.
///
///     1 source  string   2 idempotency_key  string (≤ 256 bytes; empty = none; a retry with the same key is not
///     counted twice)   3 block_timestamp_ms  optional sint64 (event time of every row when the source has no
///     event-time column; overrides the block's timestamp_unix_ms)   4 allow_late  bool (accept rows older than the
///     grace period into their closed window's late count instead of refusing the block)
public struct IngestRequest: Sendable, Equatable {
    public var source: String
    public var idempotencyKey: String
    public var blockTimestampMs: Int64?
    public var allowLate: Bool

    public init(source: String = "", idempotencyKey: String = "", blockTimestampMs: Int64? = nil, allowLate: Bool = false) {
        self.source = source
        self.idempotencyKey = idempotencyKey
        self.blockTimestampMs = blockTimestampMs
        self.allowLate = allowLate
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        w.writeNonEmpty(2, idempotencyKey)
        w.writeOptionalSInt64(3, blockTimestampMs)
        w.writeTrue(4, allowLate)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> IngestRequest {
        var r = ProtoReader(bytes)
        var m = IngestRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            case (2, .lengthDelimited): m.idempotencyKey = try r.readString()
            case (3, .varint): m.blockTimestampMs = try r.readSInt64()
            case (4, .varint): m.allowLate = try r.readBool()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// A window closed by an ingest, with its verdicts. proto/driftd.proto `ClosedWindow`.
///
///     1 window  WindowRange (always written)   2 baseline_id  uint64 (the baseline compared against)
///     3 verdicts  repeated FeatureVerdict (per feature, the CheckDrift verdict type)
public struct ClosedWindow: Sendable, Equatable {
    public var window: WindowRange
    public var baselineID: UInt64
    public var verdicts: [FeatureVerdict]

    public init(window: WindowRange = WindowRange(), baselineID: UInt64 = 0, verdicts: [FeatureVerdict] = []) {
        self.window = window
        self.baselineID = baselineID
        self.verdicts = verdicts
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeMessageField(1, window.encode())
        w.writeNonZero(2, baselineID)
        for v in verdicts { w.writeMessageField(3, v.encode()) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ClosedWindow {
        var r = ProtoReader(bytes)
        var m = ClosedWindow()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.window = try r.readMessage(WindowRange.decode)
            case (2, .varint): m.baselineID = try r.readVarint()
            case (3, .lengthDelimited): m.verdicts.append(try r.readMessage(FeatureVerdict.decode))
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// Ingest (method 7) response metadata. proto/driftd.proto `IngestResponse`.
///
///     1 rows_accepted  uint64   2 rows_late  uint64 (older than the grace period: counted, not folded in)
///     3 duplicate  bool (the idempotency key was seen: nothing was counted again)
///     4 windows_touched  repeated WindowRange   5 windows_closed  repeated ClosedWindow
public struct IngestResponse: Sendable, Equatable {
    /// The request id the server gave this request (`ResponseRequestID`, field 1000; "" when absent). Decoded
    /// only: the server appends it to every RESPONSE, so `encode()` writes it only when set.
    public var requestID = ""
    public var rowsAccepted: UInt64
    public var rowsLate: UInt64
    public var duplicate: Bool
    public var windowsTouched: [WindowRange]
    public var windowsClosed: [ClosedWindow]

    public init(rowsAccepted: UInt64 = 0, rowsLate: UInt64 = 0, duplicate: Bool = false, windowsTouched: [WindowRange] = [], windowsClosed: [ClosedWindow] = []) {
        self.rowsAccepted = rowsAccepted
        self.rowsLate = rowsLate
        self.duplicate = duplicate
        self.windowsTouched = windowsTouched
        self.windowsClosed = windowsClosed
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, rowsAccepted)
        w.writeNonZero(2, rowsLate)
        w.writeTrue(3, duplicate)
        for v in windowsTouched { w.writeMessageField(4, v.encode()) }
        for v in windowsClosed { w.writeMessageField(5, v.encode()) }
        w.writeNonEmpty(ResponseRequestID.field, requestID)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> IngestResponse {
        var r = ProtoReader(bytes)
        var m = IngestResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.rowsAccepted = try r.readVarint()
            case (2, .varint): m.rowsLate = try r.readVarint()
            case (3, .varint): m.duplicate = try r.readBool()
            case (4, .lengthDelimited): m.windowsTouched.append(try r.readMessage(WindowRange.decode))
            case (5, .lengthDelimited): m.windowsClosed.append(try r.readMessage(ClosedWindow.decode))
            case (ResponseRequestID.field, .lengthDelimited): m.requestID = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
