import Glibc

/// `CLOCK_MONOTONIC` in nanoseconds: the clock of every client-side deadline.
public enum MonotonicClock {
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// `now` plus `milliseconds`.
    public static func deadline(afterMilliseconds milliseconds: UInt64) -> UInt64 {
        nanoseconds() &+ milliseconds &* 1_000_000
    }
}
