/// One message to one receiver about one group of alerts, as decided by ``AlertDispatcher``. The server writes
/// it to its outbox and delivers it; ``dedupKey`` identifies it across retries and restarts.
public struct AlertNotification: Sendable, Equatable {
    public var receiver: String
    /// Route key, ":", and the group labels (`{}/{severity="critical"}:{source="payments"}`).
    public var groupKey: String
    public var groupLabels: [String: String]
    /// The group's firing alerts that are neither silenced nor inhibited, by fingerprint.
    public var firing: [Alert]
    /// Alerts that stopped firing since the last flush (empty when the receiver has send_resolved off).
    public var resolved: [Alert]
    /// Alerts of the group muted by a silence: not sent, listed for the record.
    public var silenced: [Alert]
    /// Alerts of the group muted by inhibition: not sent, listed for the record.
    public var inhibited: [Alert]
    /// 16 hex digits of FNV-1a over the receiver, the group key, the group's creation time, the notification's
    /// sequence number in its group, and the fingerprints of the firing and the resolved alerts: the same
    /// decision always gets the same key (also after ``AlertDispatcher/encode()`` and decode), while a repeat of
    /// an unchanged group, or a later incident of the same group, gets a new one.
    public var dedupKey: String
    /// The time of the flush that made it.
    public var createdMs: Int64
    /// 1 for the group's first notification, then counting up.
    public var sequence: UInt64

    public init(receiver: String, groupKey: String, groupLabels: [String: String], firing: [Alert],
                resolved: [Alert], silenced: [Alert], inhibited: [Alert], dedupKey: String, createdMs: Int64,
                sequence: UInt64) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.firing = firing
        self.resolved = resolved
        self.silenced = silenced
        self.inhibited = inhibited
        self.dedupKey = dedupKey
        self.createdMs = createdMs
        self.sequence = sequence
    }

    /// "firing" when any alert fires, else "resolved" (Alertmanager's webhook `status`).
    public var status: String { firing.isEmpty ? "resolved" : "firing" }

    /// Firing then resolved alerts: what the receiver shows.
    public var alerts: [Alert] { firing + resolved }

    /// Labels with the same value in every alert of ``alerts``.
    public var commonLabels: [String: String] { Self.common(alerts.map(\.labels)) }

    /// Annotations with the same value in every alert of ``alerts``.
    public var commonAnnotations: [String: String] { Self.common(alerts.map(\.annotations)) }

    static func common(_ maps: [[String: String]]) -> [String: String] {
        guard var out = maps.first else { return [:] }
        for m in maps.dropFirst() { out = out.filter { m[$0.key] == $0.value } }
        return out
    }
}
