#if canImport(Glibc)
import Glibc
#endif

extension ContinuousClock {
    /// Blocks the calling thread until `instant` (returns at once when it has passed). The driver threads of a
    /// load test are plain threads, not tasks, so they sleep with nanosleep.
    static func blockingSleep(until instant: Instant) {
        let remaining = instant - now
        guard remaining > .zero else { return }
        let ns = LatencyHistogram.nanoseconds(remaining)
        var request = timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
        var rest = timespec()
        while nanosleep(&request, &rest) != 0 && errno == EINTR { request = rest }
    }
}
