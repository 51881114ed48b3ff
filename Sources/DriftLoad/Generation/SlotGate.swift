#if canImport(Glibc)
import Glibc
#endif

/// A counting gate of request slots (a semaphore with timed "all free" waits) on a pthread mutex and a
/// CLOCK_MONOTONIC condition variable. One per connection: the driver takes a slot before each send, the
/// completion gives it back.
final class SlotGate: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let capacity: Int
    private var free: Int   // guarded by mutex

    init(slots: Int) {
        precondition(slots >= 1, "at least one slot")
        capacity = slots
        free = slots
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Takes a slot if one is free now.
    func tryAcquire() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard free > 0 else { return false }
        free -= 1
        return true
    }

    /// Takes a slot, waiting as long as it takes.
    func acquire() {
        pthread_mutex_lock(mutex)
        while free == 0 { pthread_cond_wait(condition, mutex) }
        free -= 1
        pthread_mutex_unlock(mutex)
    }

    /// Gives a slot back.
    func release() {
        pthread_mutex_lock(mutex)
        free += 1
        precondition(free <= capacity, "a slot was released twice")
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Waits until every slot is free again (all requests answered) or `timeout` has passed; true when all are free.
    func waitUntilAllFree(timeout: Duration) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let ns = LatencyHistogram.nanoseconds(timeout)
        let total = UInt64(deadline.tv_nsec) + ns % 1_000_000_000
        deadline.tv_sec += Int(ns / 1_000_000_000) + Int(total / 1_000_000_000)
        deadline.tv_nsec = Int(total % 1_000_000_000)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while free < capacity {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { return free == capacity }
        }
        return true
    }

    /// Slots in use now.
    var inUse: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return capacity - free
    }
}
