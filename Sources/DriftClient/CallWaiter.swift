/// A caller blocked until its call completes (the blocking API).
final class CallWaiter: Sendable {
    private let outcome = ConditionLock<Result<[UInt8], DriftClientError>?>(nil)

    /// Records the first outcome and wakes the caller; later ones are ignored.
    func complete(_ result: Result<[UInt8], DriftClientError>) {
        outcome.withLock { o in
            if case .none = o { o = result }
        }
        outcome.broadcast()
    }

    /// Blocks until `complete` has been called.
    func wait() -> Result<[UInt8], DriftClientError> {
        outcome.withLock(waitingUntil: { if case .some = $0 { true } else { false } }) { o, _ in o! }
    }
}
