import DriftEngine
import DriftStore

/// What one alert decision writes: outbox rows (one per notification × integration of its receiver) and the
/// dispatcher's new state. Applied inside the group-commit unit of the verdicts that caused it, so the
/// notifications are durable exactly when those verdicts are.
struct AlertWrites: Sendable {
    var outbox: [AlertOutboxInsert] = []
    /// The encoded dispatcher state, nil when it did not change.
    var state: [UInt8]? = nil
    /// A silence to store, or one to expire (id, end), with the state that holds the change.
    var newSilence: SilenceRecord? = nil
    var expiredSilence: (id: String, endsMs: Int64)? = nil
    var nowMs: Int64 = 0

    static let none = AlertWrites()

    var isEmpty: Bool { outbox.isEmpty && state == nil && newSilence == nil && expiredSilence == nil }

    /// Writes them with `store` (inside the caller's unit).
    func apply(to store: DriftStore) throws {
        if let s = newSilence { try store.insertSilence(s) }
        if let e = expiredSilence { try store.expireSilence(id: e.id, endsMs: e.endsMs, expiredMs: nowMs) }
        try store.insertAlertOutbox(outbox)
        if let state { try store.putAlertState(state, updatedMs: nowMs) }
    }
}
