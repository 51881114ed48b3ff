// Messages of the alerting methods 16–18 (proto/PROTOCOL.md §13 "Alerting"): CreateSilence, ExpireSilence,
// ListAlerts. Times are `sint64` ms since the Unix epoch.

/// A label or annotation: name and value. proto/driftd.proto `AlertLabel`.
///
///     1 name  string   2 value  string
public struct AlertLabel: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String = "", value: String = "") {
        self.name = name
        self.value = value
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, name)
        w.writeNonEmpty(2, value)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> AlertLabel {
        var r = ProtoReader(bytes)
        var m = AlertLabel()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.name = try r.readString()
            case (2, .lengthDelimited): m.value = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// CreateSilence (method 16) request metadata. proto/driftd.proto `CreateSilenceRequest`.
///
///     1 matchers  repeated string (Alertmanager form: source="x", severity=~"warn.*", kind!=drift)
///     2 starts_ms  sint64 (0 = now)   3 ends_ms  sint64   4 created_by  string   5 comment  string
public struct CreateSilenceRequest: Sendable, Equatable {
    public var matchers: [String]
    public var startsMs: Int64
    public var endsMs: Int64
    public var createdBy: String
    public var comment: String

    public init(matchers: [String] = [], startsMs: Int64 = 0, endsMs: Int64 = 0, createdBy: String = "",
                comment: String = "") {
        self.matchers = matchers
        self.startsMs = startsMs
        self.endsMs = endsMs
        self.createdBy = createdBy
        self.comment = comment
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        for m in matchers { w.writeStringField(1, m) }
        w.writeNonZeroSInt64(2, startsMs)
        w.writeNonZeroSInt64(3, endsMs)
        w.writeNonEmpty(4, createdBy)
        w.writeNonEmpty(5, comment)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> CreateSilenceRequest {
        var r = ProtoReader(bytes)
        var m = CreateSilenceRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.matchers.append(try r.readString())
            case (2, .varint): m.startsMs = try r.readSInt64()
            case (3, .varint): m.endsMs = try r.readSInt64()
            case (4, .lengthDelimited): m.createdBy = try r.readString()
            case (5, .lengthDelimited): m.comment = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// CreateSilence response, and ExpireSilence request, metadata: a silence id. proto/driftd.proto `SilenceID`.
///
///     1 id  string
public struct SilenceID: Sendable, Equatable {
    public var id: String

    public init(id: String = "") { self.id = id }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, id)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> SilenceID {
        var r = ProtoReader(bytes)
        var m = SilenceID()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.id = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// ExpireSilence (method 17) response metadata. proto/driftd.proto `ExpireSilenceResponse`.
///
///     1 expired  bool (false: it had already ended)   2 silence  SilenceInfo (after the change)
public struct ExpireSilenceResponse: Sendable, Equatable {
    public var expired: Bool
    public var silence: SilenceInfo

    public init(expired: Bool = false, silence: SilenceInfo = SilenceInfo()) {
        self.expired = expired
        self.silence = silence
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeTrue(1, expired)
        w.writeMessageField(2, silence.encode())
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ExpireSilenceResponse {
        var r = ProtoReader(bytes)
        var m = ExpireSilenceResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.expired = try r.readBool()
            case (2, .lengthDelimited): m.silence = try r.readMessage(SilenceInfo.decode)
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// A silence. proto/driftd.proto `SilenceInfo`.
///
///     1 id  string   2 matchers  repeated string   3 starts_ms  sint64   4 ends_ms  sint64   5 created_by  string
///     6 comment  string   7 created_ms  sint64   8 state  string ("pending", "active", "expired")
public struct SilenceInfo: Sendable, Equatable {
    public var id: String
    public var matchers: [String]
    public var startsMs: Int64
    public var endsMs: Int64
    public var createdBy: String
    public var comment: String
    public var createdMs: Int64
    public var state: String

    public init(id: String = "", matchers: [String] = [], startsMs: Int64 = 0, endsMs: Int64 = 0, createdBy: String = "",
                comment: String = "", createdMs: Int64 = 0, state: String = "") {
        self.id = id
        self.matchers = matchers
        self.startsMs = startsMs
        self.endsMs = endsMs
        self.createdBy = createdBy
        self.comment = comment
        self.createdMs = createdMs
        self.state = state
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, id)
        for m in matchers { w.writeStringField(2, m) }
        w.writeNonZeroSInt64(3, startsMs)
        w.writeNonZeroSInt64(4, endsMs)
        w.writeNonEmpty(5, createdBy)
        w.writeNonEmpty(6, comment)
        w.writeNonZeroSInt64(7, createdMs)
        w.writeNonEmpty(8, state)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> SilenceInfo {
        var r = ProtoReader(bytes)
        var m = SilenceInfo()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.id = try r.readString()
            case (2, .lengthDelimited): m.matchers.append(try r.readString())
            case (3, .varint): m.startsMs = try r.readSInt64()
            case (4, .varint): m.endsMs = try r.readSInt64()
            case (5, .lengthDelimited): m.createdBy = try r.readString()
            case (6, .lengthDelimited): m.comment = try r.readString()
            case (7, .varint): m.createdMs = try r.readSInt64()
            case (8, .lengthDelimited): m.state = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// ListAlerts (method 18) request metadata. proto/driftd.proto `ListAlertsRequest`.
///
///     1 notification_limit  uint32 (0 = 50; at most 500)   2 before_notification_id  uint64 (paging; 0 = newest)
///     3 include_ended_silences  bool
public struct ListAlertsRequest: Sendable, Equatable {
    public var notificationLimit: UInt32
    public var beforeNotificationID: UInt64
    public var includeEndedSilences: Bool

    public init(notificationLimit: UInt32 = 0, beforeNotificationID: UInt64 = 0, includeEndedSilences: Bool = false) {
        self.notificationLimit = notificationLimit
        self.beforeNotificationID = beforeNotificationID
        self.includeEndedSilences = includeEndedSilences
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, UInt64(notificationLimit))
        w.writeNonZero(2, beforeNotificationID)
        w.writeTrue(3, includeEndedSilences)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ListAlertsRequest {
        var r = ProtoReader(bytes)
        var m = ListAlertsRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.notificationLimit = try r.readUInt32()
            case (2, .varint): m.beforeNotificationID = try r.readVarint()
            case (3, .varint): m.includeEndedSilences = try r.readBool()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// A firing alert. proto/driftd.proto `AlertInfo`.
///
///     1 labels  repeated AlertLabel (name byte order)   2 annotations  repeated AlertLabel   3 starts_ms  sint64
///     4 state  string ("active", "silenced", "inhibited")   5 silenced_by  repeated string (silence ids)
///     6 fingerprint  string (16 hex digits)
public struct AlertInfo: Sendable, Equatable {
    public var labels: [AlertLabel]
    public var annotations: [AlertLabel]
    public var startsMs: Int64
    public var state: String
    public var silencedBy: [String]
    public var fingerprint: String

    public init(labels: [AlertLabel] = [], annotations: [AlertLabel] = [], startsMs: Int64 = 0, state: String = "",
                silencedBy: [String] = [], fingerprint: String = "") {
        self.labels = labels
        self.annotations = annotations
        self.startsMs = startsMs
        self.state = state
        self.silencedBy = silencedBy
        self.fingerprint = fingerprint
    }

    /// The value of a label, "" when absent.
    public func label(_ name: String) -> String { labels.first { $0.name == name }?.value ?? "" }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        for l in labels { w.writeMessageField(1, l.encode()) }
        for a in annotations { w.writeMessageField(2, a.encode()) }
        w.writeNonZeroSInt64(3, startsMs)
        w.writeNonEmpty(4, state)
        for s in silencedBy { w.writeStringField(5, s) }
        w.writeNonEmpty(6, fingerprint)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> AlertInfo {
        var r = ProtoReader(bytes)
        var m = AlertInfo()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.labels.append(try r.readMessage(AlertLabel.decode))
            case (2, .lengthDelimited): m.annotations.append(try r.readMessage(AlertLabel.decode))
            case (3, .varint): m.startsMs = try r.readSInt64()
            case (4, .lengthDelimited): m.state = try r.readString()
            case (5, .lengthDelimited): m.silencedBy.append(try r.readString())
            case (6, .lengthDelimited): m.fingerprint = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// One delivery attempt. proto/driftd.proto `DeliveryAttempt`.
///
///     1 at_ms  sint64   2 outcome  string ("delivered", "retryable", "permanent", "given_up")
///     3 status  optional uint32 (HTTP status / SMTP reply)   4 message  string   5 duration_us  uint64
public struct DeliveryAttempt: Sendable, Equatable {
    public var atMs: Int64
    public var outcome: String
    public var status: UInt32?
    public var message: String
    public var durationUs: UInt64

    public init(atMs: Int64 = 0, outcome: String = "", status: UInt32? = nil, message: String = "", durationUs: UInt64 = 0) {
        self.atMs = atMs
        self.outcome = outcome
        self.status = status
        self.message = message
        self.durationUs = durationUs
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZeroSInt64(1, atMs)
        w.writeNonEmpty(2, outcome)
        w.writeOptionalVarint(3, status.map(UInt64.init))
        w.writeNonEmpty(4, message)
        w.writeNonZero(5, durationUs)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> DeliveryAttempt {
        var r = ProtoReader(bytes)
        var m = DeliveryAttempt()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.atMs = try r.readSInt64()
            case (2, .lengthDelimited): m.outcome = try r.readString()
            case (3, .varint): m.status = try r.readUInt32()
            case (4, .lengthDelimited): m.message = try r.readString()
            case (5, .varint): m.durationUs = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// One outbox row: a notification for one integration of one receiver, and where its delivery stands.
/// proto/driftd.proto `NotificationInfo`.
///
///     1 id  uint64   2 dedup_key  string   3 receiver  string   4 integration  string   5 group_key  string
///     6 status  string ("firing", "resolved")   7 created_ms  sint64
///     8 state  string ("pending", "delivered", "failed", "given_up")   9 attempts  uint64
///     10 next_attempt_ms  sint64   11 last_status  optional uint32   12 last_error  string
///     13 delivered_ms  optional sint64   14 recent_attempts  repeated DeliveryAttempt (newest first, ≤ 5)
///     15 alerts  uint32 (firing + resolved alerts in it)
public struct NotificationInfo: Sendable, Equatable {
    public var id: UInt64
    public var dedupKey: String
    public var receiver: String
    public var integration: String
    public var groupKey: String
    public var status: String
    public var createdMs: Int64
    public var state: String
    public var attempts: UInt64
    public var nextAttemptMs: Int64
    public var lastStatus: UInt32?
    public var lastError: String
    public var deliveredMs: Int64?
    public var recentAttempts: [DeliveryAttempt]
    public var alerts: UInt32

    public init(id: UInt64 = 0, dedupKey: String = "", receiver: String = "", integration: String = "",
                groupKey: String = "", status: String = "", createdMs: Int64 = 0, state: String = "", attempts: UInt64 = 0,
                nextAttemptMs: Int64 = 0, lastStatus: UInt32? = nil, lastError: String = "", deliveredMs: Int64? = nil,
                recentAttempts: [DeliveryAttempt] = [], alerts: UInt32 = 0) {
        self.id = id
        self.dedupKey = dedupKey
        self.receiver = receiver
        self.integration = integration
        self.groupKey = groupKey
        self.status = status
        self.createdMs = createdMs
        self.state = state
        self.attempts = attempts
        self.nextAttemptMs = nextAttemptMs
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.deliveredMs = deliveredMs
        self.recentAttempts = recentAttempts
        self.alerts = alerts
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, id)
        w.writeNonEmpty(2, dedupKey)
        w.writeNonEmpty(3, receiver)
        w.writeNonEmpty(4, integration)
        w.writeNonEmpty(5, groupKey)
        w.writeNonEmpty(6, status)
        w.writeNonZeroSInt64(7, createdMs)
        w.writeNonEmpty(8, state)
        w.writeNonZero(9, attempts)
        w.writeNonZeroSInt64(10, nextAttemptMs)
        w.writeOptionalVarint(11, lastStatus.map(UInt64.init))
        w.writeNonEmpty(12, lastError)
        w.writeOptionalSInt64(13, deliveredMs)
        for a in recentAttempts { w.writeMessageField(14, a.encode()) }
        w.writeNonZero(15, UInt64(alerts))
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> NotificationInfo {
        var r = ProtoReader(bytes)
        var m = NotificationInfo()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.id = try r.readVarint()
            case (2, .lengthDelimited): m.dedupKey = try r.readString()
            case (3, .lengthDelimited): m.receiver = try r.readString()
            case (4, .lengthDelimited): m.integration = try r.readString()
            case (5, .lengthDelimited): m.groupKey = try r.readString()
            case (6, .lengthDelimited): m.status = try r.readString()
            case (7, .varint): m.createdMs = try r.readSInt64()
            case (8, .lengthDelimited): m.state = try r.readString()
            case (9, .varint): m.attempts = try r.readVarint()
            case (10, .varint): m.nextAttemptMs = try r.readSInt64()
            case (11, .varint): m.lastStatus = try r.readUInt32()
            case (12, .lengthDelimited): m.lastError = try r.readString()
            case (13, .varint): m.deliveredMs = try r.readSInt64()
            case (14, .lengthDelimited): m.recentAttempts.append(try r.readMessage(DeliveryAttempt.decode))
            case (15, .varint): m.alerts = try r.readUInt32()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// ListAlerts (method 18) response metadata. proto/driftd.proto `ListAlertsResponse`.
///
///     1 alerts  repeated AlertInfo (firing, by source then fingerprint; at most 1000)
///     2 silences  repeated SilenceInfo   3 notifications  repeated NotificationInfo (newest first)
///     4 next_before_id  uint64 (the next page's before_notification_id; 0 = no more)
///     5 alerts_total  uint64 (firing alerts, also those beyond the cap)   6 delivery  bool (a sender is configured)
public struct ListAlertsResponse: Sendable, Equatable {
    public var alerts: [AlertInfo]
    public var silences: [SilenceInfo]
    public var notifications: [NotificationInfo]
    public var nextBeforeID: UInt64
    public var alertsTotal: UInt64
    public var delivery: Bool

    public init(alerts: [AlertInfo] = [], silences: [SilenceInfo] = [], notifications: [NotificationInfo] = [],
                nextBeforeID: UInt64 = 0, alertsTotal: UInt64 = 0, delivery: Bool = false) {
        self.alerts = alerts
        self.silences = silences
        self.notifications = notifications
        self.nextBeforeID = nextBeforeID
        self.alertsTotal = alertsTotal
        self.delivery = delivery
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        for a in alerts { w.writeMessageField(1, a.encode()) }
        for s in silences { w.writeMessageField(2, s.encode()) }
        for n in notifications { w.writeMessageField(3, n.encode()) }
        w.writeNonZero(4, nextBeforeID)
        w.writeNonZero(5, alertsTotal)
        w.writeTrue(6, delivery)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ListAlertsResponse {
        var r = ProtoReader(bytes)
        var m = ListAlertsResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.alerts.append(try r.readMessage(AlertInfo.decode))
            case (2, .lengthDelimited): m.silences.append(try r.readMessage(SilenceInfo.decode))
            case (3, .lengthDelimited): m.notifications.append(try r.readMessage(NotificationInfo.decode))
            case (4, .varint): m.nextBeforeID = try r.readVarint()
            case (5, .varint): m.alertsTotal = try r.readVarint()
            case (6, .varint): m.delivery = try r.readBool()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
