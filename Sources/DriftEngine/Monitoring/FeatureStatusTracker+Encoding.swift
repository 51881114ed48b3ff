/// Why bytes are not a ``FeatureStatusTracker``.
public enum FeatureStatusTrackerDecodingError: Error, Sendable, Equatable {
    /// The first four bytes are not "DFST".
    case badMagic
    case unsupportedVersion(UInt8)
    /// The bytes end inside a field.
    case truncated
    /// A field holds a value no encoder writes (unknown kind, state or severity code, flag other than 0/1,
    /// invalid UTF-8, a duplicate signal).
    case invalidValue(String)
    /// Bytes left after the last entry.
    case trailingBytes
}

extension FeatureStatusTracker {
    static let magic: [UInt8] = Array("DFST".utf8)
    static let formatVersion: UInt8 = 1

    /// The tracker as bytes, entries in ``MonitoredSignal`` order (so equal trackers encode identically).
    ///
    /// All integers little-endian. Layout:
    /// ```
    /// +------+---------+-------------+---------------------------+
    /// | DFST | ver u8  | count u32   | count × entry             |
    /// +------+---------+-------------+---------------------------+
    /// entry:
    /// +---------+-------------------+-----------------------------------+
    /// | kind u8 | feature: string   | partner: u8 flag (0/1) [+ string] |
    /// +---------+-------------------+-----------------------------------+
    /// | state u8 | drifting u32 | clean u32 | incidentStart: u8 flag [+ i64] |
    /// +----------+--------------+-----------+-------------------------------+
    /// | severity u8 | lastWindowStart: u8 flag [+ i64] |
    /// +-------------+----------------------------------+
    /// string: u32 byte length + UTF-8 bytes
    /// ```
    /// Codes: kind ``SignalKind/code``, state ``SignalState/code``, severity ``MonitoringSeverity/rank``.
    public func encode() -> [UInt8] {
        var out = Self.magic
        out.append(Self.formatVersion)
        putU32(&out, UInt32(statuses.count))
        for signal in statuses.keys.sorted() {
            let s = statuses[signal]!
            out.append(signal.kind.code)
            putString(&out, signal.feature)
            if let partner = signal.partner {
                out.append(1)
                putString(&out, partner)
            } else {
                out.append(0)
            }
            out.append(s.state.code)
            putU32(&out, UInt32(clamping: s.consecutiveDrifting))
            putU32(&out, UInt32(clamping: s.consecutiveClean))
            putOptionalI64(&out, s.incidentStartMs)
            out.append(s.incidentSeverity.rank)
            putOptionalI64(&out, s.lastWindowStartMs)
        }
        return out
    }

    /// A tracker from ``encode()``'s bytes.
    public static func decode(_ bytes: [UInt8]) throws(FeatureStatusTrackerDecodingError) -> FeatureStatusTracker {
        var reader = _TrackerReader(bytes: bytes)
        guard bytes.count >= 4, Array(bytes[0..<4]) == magic else { throw .badMagic }
        reader.offset = 4
        let version = try reader.u8()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        let count = try reader.u32()
        var statuses: [MonitoredSignal: FeatureStatus] = [:]
        for _ in 0..<count {
            guard let kind = SignalKind(code: try reader.u8()) else { throw .invalidValue("signal kind") }
            let feature = try reader.string()
            let partner: String? = try reader.flag() ? try reader.string() : nil
            var s = FeatureStatus()
            guard let state = SignalState(code: try reader.u8()) else { throw .invalidValue("state") }
            s.state = state
            s.consecutiveDrifting = Int(try reader.u32())
            s.consecutiveClean = Int(try reader.u32())
            s.incidentStartMs = try reader.flag() ? try reader.i64() : nil
            guard let severity = MonitoringSeverity(rank: try reader.u8()) else { throw .invalidValue("severity") }
            s.incidentSeverity = severity
            s.lastWindowStartMs = try reader.flag() ? try reader.i64() : nil
            let signal = MonitoredSignal(feature: feature, partner: partner, kind: kind)
            guard statuses[signal] == nil else { throw .invalidValue("duplicate signal") }
            statuses[signal] = s
        }
        guard reader.offset == bytes.count else { throw .trailingBytes }
        return FeatureStatusTracker(statuses: statuses)
    }

    private func putU32(_ out: inout [UInt8], _ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    private func putString(_ out: inout [UInt8], _ s: String) {
        let utf8 = Array(s.utf8)
        putU32(&out, UInt32(utf8.count))
        out += utf8
    }

    private func putOptionalI64(_ out: inout [UInt8], _ v: Int64?) {
        guard let v else { out.append(0); return }
        out.append(1)
        let bits = UInt64(bitPattern: v)
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }
}

/// Bounds-checked little-endian reads.
private struct _TrackerReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ n: Int) throws(FeatureStatusTrackerDecodingError) -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - offset >= n else { throw .truncated }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func u8() throws(FeatureStatusTrackerDecodingError) -> UInt8 { try take(1).first! }

    mutating func u32() throws(FeatureStatusTrackerDecodingError) -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func i64() throws(FeatureStatusTrackerDecodingError) -> Int64 {
        Int64(bitPattern: try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) })
    }

    mutating func flag() throws(FeatureStatusTrackerDecodingError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        default: throw .invalidValue("flag")
        }
    }

    mutating func string() throws(FeatureStatusTrackerDecodingError) -> String {
        let length = Int(try u32())
        let raw = Array(try take(length))
        guard let s = String(validating: raw, as: UTF8.self) else { throw .invalidValue("UTF-8") }
        return s
    }
}
