#if canImport(Glibc)
import Glibc
#endif

/// A flag one thread sets and another waits for, with a timeout (pthread mutex + condition variable on the
/// monotonic clock). `wait` returns at once when the flag was set since the last `wait`.
final class WakeSignal: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var flag = false

    init() {
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

    func signal() {
        pthread_mutex_lock(mutex)
        flag = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Waits until signalled or `timeoutMs` passed; clears the flag. True when signalled.
    @discardableResult
    func wait(timeoutMs: Int64) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let ms = max(0, min(timeoutMs, 3_600_000))
        var deadline = timespec(tv_sec: now.tv_sec + Int(ms / 1000), tv_nsec: now.tv_nsec + Int(ms % 1000) * 1_000_000)
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_sec += 1
            deadline.tv_nsec -= 1_000_000_000
        }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !flag {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
        }
        let was = flag
        flag = false
        return was
    }
}
