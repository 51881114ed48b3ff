import Glibc

/// One thread that runs completion handlers in order, so a slow or blocking handler (one that calls the client
/// again, say) never stalls a connection's reader thread.
///
///     reader thread ──enqueue──► [ jobs ] ──► completion thread: job(); job(); …
///
/// `shutdown()` lets the thread run what is queued and end; a job enqueued after that runs on the caller's
/// thread, so every handler still runs exactly once.
final class CompletionQueue: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var jobs: [Job] = []
        var stopping = false
    }

    private let state = ConditionLock(State())

    init() {
        let started = DetachedThread.start { [self] in run() }
        precondition(started, "cannot start the DriftClient completion thread")
    }

    /// Queues `job`; runs it at once on this thread when the queue has been shut down.
    func enqueue(_ job: @escaping Job) {
        let queued = state.withLock { s in
            guard !s.stopping else { return false }
            s.jobs.append(job)
            return true
        }
        if queued { state.signal() } else { job() }
    }

    /// Lets the thread finish the queued jobs and end (it does not wait for it). Idempotent.
    func shutdown() {
        state.withLock { $0.stopping = true }
        state.broadcast()
    }

    private func run() {
        while true {
            let (batch, stop) = state.withLock(waitingUntil: { !$0.jobs.isEmpty || $0.stopping }) { s, _ in
                defer { s.jobs.removeAll(keepingCapacity: true) }
                return (s.jobs, s.stopping)
            }
            for job in batch { job() }
            if stop && batch.isEmpty { return }
        }
    }
}
