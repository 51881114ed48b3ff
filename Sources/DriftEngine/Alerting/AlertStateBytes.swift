/// Little-endian writer of the dispatcher state (internal to ``AlertDispatcher/encode()``).
struct AlertStateWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { for i in 0..<2 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt16(i)))) } }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func count(_ n: Int) { u32(UInt32(n)) }
    mutating func string(_ s: String) {
        count(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }
    mutating func optionalI64(_ v: Int64?) {
        u8(v == nil ? 0 : 1)
        if let v { i64(v) }
    }
    /// A string map, keys in UTF-8 byte order (canonical).
    mutating func map(_ m: [String: String]) {
        count(m.count)
        for k in m.keys.sorted(by: AlertHash.byteOrder) {
            string(k)
            string(m[k]!)
        }
    }
    mutating func alert(_ a: Alert) {
        map(a.labels)
        map(a.annotations)
        i64(a.startsAtMs)
        optionalI64(a.endsAtMs)
    }
    mutating func matcher(_ m: Matcher) {
        string(m.name)
        u8(m.op.code)
        string(m.value)
    }
}

/// Reader of ``AlertStateWriter``'s output.
struct AlertStateReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ n: Int) throws(AlertDispatcherDecodingError) -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - offset >= n else { throw .truncated }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }
    mutating func u8() throws(AlertDispatcherDecodingError) -> UInt8 { try take(1).first! }
    mutating func unsigned(_ width: Int) throws(AlertDispatcherDecodingError) -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(width).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }
    mutating func u16() throws(AlertDispatcherDecodingError) -> UInt16 { UInt16(try unsigned(2)) }
    mutating func u64() throws(AlertDispatcherDecodingError) -> UInt64 { try unsigned(8) }
    mutating func i64() throws(AlertDispatcherDecodingError) -> Int64 { Int64(bitPattern: try unsigned(8)) }
    /// A count, checked against the bytes left (each element takes at least `minBytes`).
    mutating func count(minBytes: Int = 1) throws(AlertDispatcherDecodingError) -> Int {
        let n = Int(try unsigned(4))
        guard n <= (bytes.count - offset) / Swift.max(1, minBytes) else { throw .truncated }
        return n
    }
    mutating func string() throws(AlertDispatcherDecodingError) -> String {
        let n = try count()
        let slice = try take(n)
        guard let s = String(validating: slice, as: UTF8.self) else { throw .invalidUTF8 }
        return s
    }
    mutating func optionalI64() throws(AlertDispatcherDecodingError) -> Int64? {
        try u8() == 0 ? nil : try i64()
    }
    mutating func map() throws(AlertDispatcherDecodingError) -> [String: String] {
        var m: [String: String] = [:]
        for _ in 0..<(try count(minBytes: 8)) {
            let k = try string()
            m[k] = try string()
        }
        return m
    }
    mutating func alert() throws(AlertDispatcherDecodingError) -> Alert {
        let labels = try map(), annotations = try map()
        return Alert(labels: labels, annotations: annotations, startsAtMs: try i64(), endsAtMs: try optionalI64())
    }
    mutating func matcher() throws(AlertDispatcherDecodingError) -> Matcher {
        let name = try string()
        let code = try u8()
        guard let op = MatchOperator(code: code) else { throw .invalidOperator(code) }
        let value = try string()
        do { return try Matcher(name: name, op, value) } catch { throw .invalidMatcher(error.description) }
    }
}
