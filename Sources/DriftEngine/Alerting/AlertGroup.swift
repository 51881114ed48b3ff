/// The dispatcher's state of one aggregation group (one route × one set of group-label values).
struct AlertGroup: Sendable, Equatable {
    var routeKey: String
    var groupKey: String
    var groupLabels: [String: String]
    var createdMs: Int64
    /// The next flush; the first one is created + group_wait, then the flush time + group_interval.
    var nextFlushMs: Int64
    /// Notifications decided so far (also those not sent because send_resolved is off).
    var sequence: UInt64 = 0
    /// Time of the last decided notification; nil before the first.
    var lastNotifiedMs: Int64?
    /// Fingerprints of the firing / resolved alerts of the last decided notification (sorted).
    var lastFiring: [UInt64] = []
    var lastResolved: [UInt64] = []
    /// The group's alerts by fingerprint; resolved ones (endsAtMs set) stay until the next flush.
    var alerts: [UInt64: Alert] = [:]

    /// The group key of a route and group labels: `route.key + ":" + {name="value",…}` with labels in byte
    /// order and values quoted as in ``Matcher/description``.
    static func key(routeKey: String, groupLabels: [String: String]) -> String {
        let names = groupLabels.keys.sorted(by: AlertHash.byteOrder)
        let body = names.map { (try? Matcher(name: $0, .equal, groupLabels[$0]!))?.description ?? "\($0)=?" }
        return routeKey + ":{" + body.joined(separator: ",") + "}"
    }
}
