import DriftWire

/// Where the outcome of one call goes: a completion handler (run on the client's completion thread) or a blocked
/// caller.
enum CallSink: Sendable {
    case callback(@Sendable (Result<[UInt8], DriftClientError>) -> Void)
    case waiter(CallWaiter)
}

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

/// One request as the caller described it, before a stream id is assigned.
struct OutgoingRequest: Sendable {
    var method: MethodID
    var metadata: [UInt8]
    var body: EncodedBlock?
    /// The header's `deadline_ms` (0 = the server's default).
    var budgetMs: UInt32
}
