// Helpers of the monitoring method codecs (proto/PROTOCOL.md §13, methods 7–15): times are `sint64` milliseconds
// since the Unix epoch (zigzag, as `ColumnBlock.timestamp_unix_ms`).

extension ProtoWriter {
    /// A proto3 `sint64`: omitted when 0.
    mutating func writeNonZeroSInt64(_ field: Int, _ value: Int64) {
        if value != 0 { writeSInt64Field(field, value) }
    }

    /// An `optional sint64`: written when present, even when 0.
    mutating func writeOptionalSInt64(_ field: Int, _ value: Int64?) {
        if let value { writeSInt64Field(field, value) }
    }

    /// An `optional bool`: written when present, even when false.
    mutating func writeOptionalBool(_ field: Int, _ value: Bool?) {
        if let value { writeBoolField(field, value) }
    }

    /// A proto3 `bytes`: omitted when empty.
    mutating func writeNonEmptyBytes(_ field: Int, _ value: [UInt8]) {
        if !value.isEmpty { writeBytesField(field, value) }
    }
}

/// A window of one source: [start_ms, end_ms). proto/driftd.proto `WindowRange`.
///
///     1 start_ms  sint64   2 end_ms  sint64   (ms since the Unix epoch; row-count windows use their first and
///                                              last event time)
public struct WindowRange: Sendable, Equatable, Hashable {
    public var startMs: Int64
    public var endMs: Int64

    public init(startMs: Int64 = 0, endMs: Int64 = 0) {
        self.startMs = startMs
        self.endMs = endMs
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZeroSInt64(1, startMs)
        w.writeNonZeroSInt64(2, endMs)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> WindowRange {
        var r = ProtoReader(bytes)
        var m = WindowRange()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.startMs = try r.readSInt64()
            case (2, .varint): m.endMs = try r.readSInt64()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
