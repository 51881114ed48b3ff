import DriftClient

/// A counting gate of request slots (a semaphore with a timed "all free" wait), on the client's `ConditionLock`.
/// One per connection: the driver takes a slot before each send, the completion gives it back.
final class SlotGate: Sendable {
    private let capacity: Int
    /// Free slots.
    private let free: ConditionLock<Int>

    init(slots: Int) {
        precondition(slots >= 1, "at least one slot")
        capacity = slots
        free = ConditionLock(slots)
    }

    /// Takes a slot if one is free now.
    func tryAcquire() -> Bool {
        free.withLock { (f: inout Int) -> Bool in
            guard f > 0 else { return false }
            f -= 1
            return true
        }
    }

    /// Takes a slot, waiting as long as it takes.
    func acquire() {
        free.withLock(waitingUntil: { $0 > 0 }) { f, _ in f -= 1 }
    }

    /// Gives a slot back.
    func release() {
        free.withLock { (f: inout Int) in
            f += 1
            precondition(f <= capacity, "a slot was released twice")
        }
        free.broadcast()
    }

    /// Waits until every slot is free again (all requests answered) or `timeout` has passed; true when all are free.
    func waitUntilAllFree(timeout: Duration) -> Bool {
        let deadline = MonotonicClock.nanoseconds() &+ LatencyHistogram.nanoseconds(timeout)
        return free.withLock(waitingUntil: { [capacity] in $0 == capacity }, deadline: deadline) { _, ready in ready }
    }

    /// Slots in use now.
    var inUse: Int { capacity - free.withLock { (f: inout Int) in f } }
}
