#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A thread that calls `tick` every `intervalMs` until `stop()`: the monitoring timer (freshness checks and the
/// closing of idle windows happen on it, not only when data arrives). Between ticks it calls `between` every
/// 50 ms (the alert timer: a group due before the next tick is flushed then). Stops within ~50 ms.
final class MonitorTicker: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let thread: Mutex<pthread_t?> = Mutex(nil)

    private final class Context: Sendable {
        let intervalMs: Int
        let tick: @Sendable () -> Void
        let between: @Sendable () -> Void
        let ticker: MonitorTicker
        init(intervalMs: Int, tick: @escaping @Sendable () -> Void, between: @escaping @Sendable () -> Void,
             ticker: MonitorTicker) {
            self.intervalMs = intervalMs
            self.tick = tick
            self.between = between
            self.ticker = ticker
        }
    }

    init(intervalMs: Int, tick: @escaping @Sendable () -> Void, between: @escaping @Sendable () -> Void = {}) {
        let context = Unmanaged.passRetained(Context(intervalMs: max(10, intervalMs), tick: tick, between: between,
                                                     ticker: self))
        var t = pthread_t()
        let rc = pthread_create(&t, nil, { raw in
            let c = Unmanaged<Context>.fromOpaque(raw!).takeRetainedValue()
            c.ticker.run(intervalMs: c.intervalMs, tick: c.tick, between: c.between)
            return nil
        }, context.toOpaque())
        if rc == 0 { thread.withLock { $0 = t } } else { context.release() }
    }

    private func run(intervalMs: Int, tick: @Sendable () -> Void, between: @Sendable () -> Void) {
        while !stopping.load(ordering: .acquiring) {
            var waited = 0
            while waited < intervalMs && !stopping.load(ordering: .acquiring) {
                let step = min(50, intervalMs - waited)
                usleep(useconds_t(step * 1000))
                waited += step
                if waited < intervalMs && !stopping.load(ordering: .acquiring) { between() }
            }
            if stopping.load(ordering: .acquiring) { break }
            tick()
        }
    }

    /// Stops the thread and waits for it (a tick in progress finishes first). Idempotent.
    func stop() {
        stopping.store(true, ordering: .releasing)
        if let t = thread.withLock({ t -> pthread_t? in defer { t = nil }; return t }) { pthread_join(t, nil) }
    }
}
