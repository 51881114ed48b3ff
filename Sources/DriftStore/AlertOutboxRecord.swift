/// Where a row of the alert outbox stands.
public enum AlertOutboxState: Int64, Sendable, Equatable, CaseIterable {
    /// Not delivered yet: the delivery worker tries it at `nextAttemptMilliseconds`.
    case pending = 0
    /// The receiver accepted it; never sent again.
    case delivered = 1
    /// A permanent failure (4xx, a receiver that cannot work): not retried.
    case failed = 2
    /// Retryable failures until the outbox's maximum age: not retried any more.
    case givenUp = 3

    /// "pending", "delivered", "failed", "given_up".
    public var name: String {
        switch self {
        case .pending: "pending"
        case .delivered: "delivered"
        case .failed: "failed"
        case .givenUp: "given_up"
        }
    }
}

/// A notification for one integration of one receiver, to be written to the outbox.
public struct AlertOutboxInsert: Sendable, Equatable {
    public var dedupKey: String
    public var receiver: String
    public var integration: String
    public var groupKey: String
    /// "firing" or "resolved".
    public var status: String
    /// The engine's encoding of the notification (opaque here).
    public var notification: [UInt8]
    public var createdMilliseconds: Int64

    public init(dedupKey: String, receiver: String, integration: String, groupKey: String, status: String,
                notification: [UInt8], createdMilliseconds: Int64) {
        self.dedupKey = dedupKey
        self.receiver = receiver
        self.integration = integration
        self.groupKey = groupKey
        self.status = status
        self.notification = notification
        self.createdMilliseconds = createdMilliseconds
    }
}

/// One stored outbox row.
public struct AlertOutboxRecord: Sendable, Equatable {
    public var id: Int64
    public var dedupKey: String
    public var receiver: String
    public var integration: String
    public var groupKey: String
    public var status: String
    public var notification: [UInt8]
    public var createdMilliseconds: Int64
    public var state: AlertOutboxState
    public var attempts: Int64
    public var nextAttemptMilliseconds: Int64
    public var lastStatus: Int64?
    public var lastError: String?
    public var deliveredMilliseconds: Int64?
}

/// One delivery attempt of an outbox row.
public struct AlertAttemptRecord: Sendable, Equatable {
    public var outboxID: Int64
    public var atMilliseconds: Int64
    /// "delivered", "retryable", "permanent" or "given_up".
    public var outcome: String
    public var status: Int64?
    public var message: String
    public var durationMicroseconds: Int64

    public init(outboxID: Int64, atMilliseconds: Int64, outcome: String, status: Int64?, message: String,
                durationMicroseconds: Int64) {
        self.outboxID = outboxID
        self.atMilliseconds = atMilliseconds
        self.outcome = outcome
        self.status = status
        self.message = message
        self.durationMicroseconds = durationMicroseconds
    }
}

/// A stored silence. `matchers` are Alertmanager matcher strings (one per element), opaque here.
public struct SilenceRecord: Sendable, Equatable {
    public var id: String
    public var matchers: [String]
    public var startsMilliseconds: Int64
    public var endsMilliseconds: Int64
    public var createdBy: String
    public var comment: String
    public var createdMilliseconds: Int64
    /// Set when the silence was expired early (its end moved to this time).
    public var expiredMilliseconds: Int64?

    public init(id: String, matchers: [String], startsMilliseconds: Int64, endsMilliseconds: Int64, createdBy: String,
                comment: String, createdMilliseconds: Int64, expiredMilliseconds: Int64? = nil) {
        self.id = id
        self.matchers = matchers
        self.startsMilliseconds = startsMilliseconds
        self.endsMilliseconds = endsMilliseconds
        self.createdBy = createdBy
        self.comment = comment
        self.createdMilliseconds = createdMilliseconds
        self.expiredMilliseconds = expiredMilliseconds
    }
}
