/// Where the outcome of one call goes: a completion handler (run on the client's completion thread) or a blocked
/// caller.
enum CallSink: Sendable {
    case callback(@Sendable (Result<[UInt8], DriftClientError>) -> Void)
    case waiter(CallWaiter)
}
