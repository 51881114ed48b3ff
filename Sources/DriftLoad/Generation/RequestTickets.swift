import Synchronization

/// Request numbers handed out over all connections of a closed-loop run with a request count.
final class RequestTickets: Sendable {
    private let next = Atomic<Int>(0)
    /// The next request number (0, 1, 2, … over all connections).
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}
