extension AlertDispatcher {
    /// Format magic "DALD".
    static let magic: [UInt8] = Array("DALD".utf8)
    /// The current format version.
    public static let formatVersion: UInt16 = 1

    /// The state as bytes, canonical (maps in key byte order, alerts by fingerprint, groups by key). Layout v1,
    /// all integers little-endian, strings as u32 byte length + UTF-8, maps as u32 count + (key, value) strings:
    /// ```
    /// "DALD" u16 version
    /// u32 silences × { id, u32 matchers × { name, u8 op (0 = 1 != 2 =~ 3 !~), value }, i64 start, i64 end,
    ///                  createdBy, comment }
    /// u32 firing × alert
    /// u32 groups × { routeKey, groupKey, map groupLabels, i64 created, i64 nextFlush, u64 sequence,
    ///                u8 notified [i64 lastNotified], u32 × u64 lastFiring, u32 × u64 lastResolved, u32 × alert }
    /// alert = map labels, map annotations, i64 startsAt, u8 resolved [i64 endsAt]
    /// ```
    /// The configuration is not stored: ``decode(_:config:)`` takes the current one.
    public func encode() -> [UInt8] {
        var w = AlertStateWriter()
        w.bytes = Self.magic
        w.u16(Self.formatVersion)
        w.count(silences.count)
        for s in silences {
            w.string(s.id)
            w.count(s.matchers.count)
            for m in s.matchers { w.matcher(m) }
            w.i64(s.startsAtMs)
            w.i64(s.endsAtMs)
            w.string(s.createdBy)
            w.string(s.comment)
        }
        w.count(firingAlerts.count)
        for fp in firingAlerts.keys.sorted() { w.alert(firingAlerts[fp]!) }
        w.count(groups.count)
        for key in groupKeys {
            let g = groups[key]!
            w.string(g.routeKey)
            w.string(g.groupKey)
            w.map(g.groupLabels)
            w.i64(g.createdMs)
            w.i64(g.nextFlushMs)
            w.u64(g.sequence)
            w.optionalI64(g.lastNotifiedMs)
            w.count(g.lastFiring.count)
            for fp in g.lastFiring { w.u64(fp) }
            w.count(g.lastResolved.count)
            for fp in g.lastResolved { w.u64(fp) }
            w.count(g.alerts.count)
            for fp in g.alerts.keys.sorted() { w.alert(g.alerts[fp]!) }
        }
        return w.bytes
    }

    /// The state stored by ``encode()``, under the current configuration. Groups whose route no longer exists
    /// in `config` (its key changed) are dropped; the others take the current route's receiver and timers from
    /// their next flush on.
    public static func decode(_ bytes: [UInt8], config: AlertConfig) throws(AlertDispatcherDecodingError) -> AlertDispatcher {
        var r = AlertStateReader(bytes: bytes)
        guard bytes.count >= 4, Array(bytes[0..<4]) == magic else { throw .badMagic }
        _ = try r.take(4)
        let version = try r.u16()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        var d = AlertDispatcher(config: config)
        for _ in 0..<(try r.count(minBytes: 24)) {
            let id = try r.string()
            var matchers: [Matcher] = []
            for _ in 0..<(try r.count(minBytes: 9)) { matchers.append(try r.matcher()) }
            d.silences.append(Silence(id: id, matchers: matchers, startsAtMs: try r.i64(), endsAtMs: try r.i64(),
                                      createdBy: try r.string(), comment: try r.string()))
        }
        for _ in 0..<(try r.count(minBytes: 17)) {
            let a = try r.alert()
            d.firingAlerts[a.fingerprint] = a
        }
        let routeKeys = Set(config.route.flattened.map(\.key))
        for _ in 0..<(try r.count(minBytes: 40)) {
            var g = AlertGroup(routeKey: try r.string(), groupKey: try r.string(), groupLabels: try r.map(),
                               createdMs: try r.i64(), nextFlushMs: try r.i64())
            g.sequence = try r.u64()
            g.lastNotifiedMs = try r.optionalI64()
            for _ in 0..<(try r.count(minBytes: 8)) { g.lastFiring.append(try r.u64()) }
            for _ in 0..<(try r.count(minBytes: 8)) { g.lastResolved.append(try r.u64()) }
            for _ in 0..<(try r.count(minBytes: 17)) {
                let a = try r.alert()
                g.alerts[a.fingerprint] = a
            }
            if routeKeys.contains(g.routeKey) { d.groups[g.groupKey] = g }
        }
        guard r.isAtEnd else { throw .trailingBytes }
        return d
    }
}
