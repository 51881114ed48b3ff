#if canImport(Glibc)
import Glibc
#endif
import DriftEngine
import DriftStore
import Synchronization

/// The outbox's delivery thread (not the compute pool): takes due pending rows, calls the sender outside every
/// lock, records each attempt and the row's next state through the group-commit writer.
///
/// - delivered → `delivered` (never sent again); permanent → `failed`; retryable → pending again after
///   `AlertDeliverySettings.backoffMs` (1 s doubling to 5 min, equal jitter), or `given_up` once the next
///   attempt would fall past the row's maximum age (24 h).
/// - Woken at once when a unit with new rows commits (`AlertCoordinator.outboxSignal`); otherwise it sleeps until
///   the earliest next attempt, at most 1 s.
/// - At least once: a row is marked delivered only after the sender returned; a crash in between sends it again
///   after the restart (receivers dedupe by the notification's dedup key, which the webhook body carries as
///   `groupKey` + alert fingerprints). A row is only updated while pending, so a delivered row stays delivered.
final class AlertDeliveryWorker: Sendable {
    private let core: ServerCore
    private let delivery: any AlertDelivering
    private let stopping = Atomic<Bool>(false)
    private let thread: Mutex<pthread_t?> = Mutex(nil)
    /// Rows taken per store read.
    static let batch = 32

    init(core: ServerCore, delivery: any AlertDelivering) {
        self.core = core
        self.delivery = delivery
        let context = Unmanaged.passRetained(self)
        var t = pthread_t()
        let rc = pthread_create(&t, nil, { raw in
            let worker = Unmanaged<AlertDeliveryWorker>.fromOpaque(raw!).takeRetainedValue()
            worker.run()
            return nil
        }, context.toOpaque())
        if rc == 0 { thread.withLock { $0 = t } } else { context.release() }
    }

    private func run() {
        while !stopping.load(ordering: .acquiring) {
            let now = DriftStore.wallClockMilliseconds()
            let due: [AlertOutboxRecord]
            do { due = try core.withStore { try $0.dueAlertOutbox(nowMs: now, limit: Self.batch) } } catch {
                core.stats.errors.add(1, ordering: .relaxed)
                core.alerting.outboxSignal.wait(timeoutMs: 1_000)
                continue
            }
            for row in due where !stopping.load(ordering: .acquiring) { attempt(row) }
            if due.count == Self.batch { continue }
            let next = (try? core.withStore { try $0.nextAlertAttemptMilliseconds() }) ?? nil
            let wait = next.map { $0 - DriftStore.wallClockMilliseconds() } ?? 1_000
            if wait > 0 { core.alerting.outboxSignal.wait(timeoutMs: min(wait, 1_000)) }
        }
    }

    /// One attempt at one row (or giving it up), recorded durably.
    private func attempt(_ row: AlertOutboxRecord) {
        let settings = core.alerting.deliverySettings
        let start = DriftStore.wallClockMilliseconds()
        let giveUpAt = row.createdMilliseconds &+ settings.maximumAgeMs
        var record = AlertAttemptRecord(outboxID: row.id, atMilliseconds: start, outcome: "", status: nil, message: "",
                                        durationMicroseconds: 0)
        var state = AlertOutboxState.pending
        var next = row.nextAttemptMilliseconds
        if start >= giveUpAt {
            record.outcome = AlertOutboxState.givenUp.name
            record.message = "not delivered within \(settings.maximumAgeMs / 1000) s; given up"
            state = .givenUp
        } else {
            let outcome: DeliveryOutcome
            let clock = ContinuousClock.now
            do {
                let n = try AlertNotification.decode(row.notification)
                outcome = delivery.deliver(n, receiver: row.receiver, integration: row.integration,
                                           dashboardURL: core.alerting.dashboardURL)
            } catch {
                outcome = .permanent(status: nil, message: "stored notification is unreadable: \(error)")
            }
            record.durationMicroseconds = Int64(micros(ContinuousClock.now - clock))
            record.outcome = outcome.name
            record.status = outcome.status.map(Int64.init)
            record.message = outcome.message
            switch outcome {
            case .delivered: state = .delivered
            case .permanent: state = .failed
            case .retryable:
                let wait = settings.backoffMs(afterAttempts: row.attempts + 1, jitter: Double.random(in: 0.5...1))
                next = DriftStore.wallClockMilliseconds() &+ wait
                if next >= giveUpAt {
                    state = .givenUp
                    record.message += "; given up (the next attempt would be past the maximum age)"
                }
            }
        }
        let attempt = record, newState = state, nextMs = next
        do {
            _ = try core.writer.perform { store in
                try store.recordAlertAttempt(attempt, state: newState, nextAttemptMs: nextMs)
            }
            core.stats.alertAttempt(outcome: attempt.outcome)
            core.metrics.recordAlertDelivery(receiver: row.receiver, outcome: attempt.outcome)
            log(row, attempt, state: newState)
        } catch {
            core.stats.errors.add(1, ordering: .relaxed)
        }
    }

    /// One line per attempt: info when delivered, warning otherwise. Names the receiver, the integration id and
    /// the outcome's status and message — never the URL or a credential (outcome messages carry neither).
    private func log(_ row: AlertOutboxRecord, _ attempt: AlertAttemptRecord, state: AlertOutboxState) {
        var fields: [(String, LogValue)] = [
            ("receiver", .string(row.receiver)), ("integration", .string(row.integration)),
            ("dedup_key", .string(row.dedupKey)), ("status", .string(row.status)), ("outcome", .string(attempt.outcome)),
            ("attempt", .int(row.attempts + 1)), ("duration_ms", .double(Double(attempt.durationMicroseconds) / 1000)),
        ]
        if let status = attempt.status { fields.append(("response_status", .int(status))) }
        if state == .delivered {
            core.log.log(.info, "alert notification delivered", fields: fields)
        } else {
            fields.append(("error", .string(attempt.message)))
            fields.append(("state", .string(state.name)))
            core.log.log(.warning, "alert delivery failed", fields: fields)
        }
    }

    /// Stops the thread and waits for it (an attempt in progress finishes first: the sender's own timeout
    /// bounds it). Idempotent.
    func stop() {
        stopping.store(true, ordering: .releasing)
        core.alerting.outboxSignal.signal()
        if let t = thread.withLock({ t -> pthread_t? in defer { t = nil }; return t }) { pthread_join(t, nil) }
    }
}
