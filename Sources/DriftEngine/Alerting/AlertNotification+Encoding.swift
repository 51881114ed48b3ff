extension AlertNotification {
    /// Format magic "DALN".
    static let magic: [UInt8] = Array("DALN".utf8)
    /// The current format version.
    public static let formatVersion: UInt16 = 1

    /// The notification as bytes (the server's outbox stores them), canonical like ``AlertDispatcher/encode()``
    /// and with the same primitives. Layout v1:
    /// ```
    /// "DALN" u16 version, receiver, groupKey, map groupLabels, u32 × alert firing, u32 × alert resolved,
    /// u32 × alert silenced, u32 × alert inhibited, dedupKey, i64 createdMs, u64 sequence
    /// ```
    public func encode() -> [UInt8] {
        var w = AlertStateWriter()
        w.bytes = Self.magic
        w.u16(Self.formatVersion)
        w.string(receiver)
        w.string(groupKey)
        w.map(groupLabels)
        for list in [firing, resolved, silenced, inhibited] {
            w.count(list.count)
            for a in list { w.alert(a) }
        }
        w.string(dedupKey)
        w.i64(createdMs)
        w.u64(sequence)
        return w.bytes
    }

    /// Reads ``encode()``'s bytes.
    public static func decode(_ bytes: [UInt8]) throws(AlertDispatcherDecodingError) -> AlertNotification {
        guard bytes.count >= 4, Array(bytes[0..<4]) == magic else { throw .badMagic }
        var r = AlertStateReader(bytes: bytes)
        _ = try r.take(4)
        let version = try r.u16()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        let receiver = try r.string(), groupKey = try r.string(), groupLabels = try r.map()
        var lists: [[Alert]] = []
        for _ in 0..<4 {
            var list: [Alert] = []
            for _ in 0..<(try r.count(minBytes: 17)) { list.append(try r.alert()) }
            lists.append(list)
        }
        let n = AlertNotification(receiver: receiver, groupKey: groupKey, groupLabels: groupLabels, firing: lists[0],
                                  resolved: lists[1], silenced: lists[2], inhibited: lists[3],
                                  dedupKey: try r.string(), createdMs: try r.i64(), sequence: try r.u64())
        guard r.isAtEnd else { throw .trailingBytes }
        return n
    }
}
