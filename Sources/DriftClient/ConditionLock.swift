import Glibc

/// A pthread mutex and condition variable guarding one value: `Synchronization.Mutex` has no way to wait, and the
/// client needs callers to wait for a stream slot or a response.
///
/// The condition variable runs on `CLOCK_MONOTONIC`, the clock of `MonotonicClock`, so timed waits are immune to
/// wall-clock changes. Access to `state` only happens with the mutex held, hence `@unchecked Sendable`.
/// Public because the load tester (`DriftLoad`) waits on the same kind of state.
public final class ConditionLock<State>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var state: State

    public init(_ initial: State) {
        state = initial
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
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

    /// Runs `body` with the mutex held.
    public func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Waits (mutex held, releasing it while asleep) until `ready(state)` is true or `deadline` (monotonic
    /// nanoseconds; nil = no limit) has passed, then runs `body` with the mutex still held. `body` learns whether
    /// `ready` held.
    public func withLock<R>(waitingUntil ready: (State) -> Bool, deadline: UInt64? = nil,
                     _ body: (inout State, _ ready: Bool) -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !ready(state) {
            if let deadline {
                let now = MonotonicClock.nanoseconds()
                guard now < deadline else { return body(&state, false) }
                var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
                pthread_cond_timedwait(condition, mutex, &ts)
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
        return body(&state, true)
    }

    /// Wakes one waiter (call after a change that lets exactly one waiter proceed).
    public func signal() { pthread_cond_signal(condition) }

    /// Wakes every waiter.
    public func broadcast() { pthread_cond_broadcast(condition) }
}
