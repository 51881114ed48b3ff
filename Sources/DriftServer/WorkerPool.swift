import Dispatch
import Synchronization

/// A fixed number of worker threads draining a FIFO of jobs (plus a small front queue for the helpers of
/// `concurrentForEach`). `stop()` lets queued jobs finish, then joins.
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private struct Queue {
        var jobs: [Job?] = []
        var head = 0
        /// Helper jobs of a running request: taken before `jobs`, so a request's features spread over idle workers
        /// instead of waiting behind other requests.
        var front: [Job] = []
    }

    private let queue = Mutex(Queue())
    private let available = DispatchSemaphore(value: 0)
    private let group = DispatchGroup()
    /// Worker threads.
    let count: Int
    private let stopped = Atomic<Bool>(false)
    /// Workers running a job now, and the nanoseconds spent in jobs since start (utilisation for `/metrics`).
    let busy = Atomic<Int>(0)
    let busyNanoseconds = Atomic<UInt64>(0)

    init(workers: Int) {
        count = workers
        for i in 0..<workers {
            let q = DispatchQueue(label: "driftd.worker.\(i)")
            q.async(group: group) { [self] in self.run() }
        }
    }

    /// Queues `job`; false once the pool is stopping.
    @discardableResult
    func submit(_ job: @escaping Job) -> Bool {
        guard !stopped.load(ordering: .acquiring) else { return false }
        queue.withLock { $0.jobs.append(job) }
        available.signal()
        return true
    }

    /// Runs `body(i)` for every i in 0..<count, on the calling thread and on whichever workers are idle, and
    /// returns when all have run. The caller takes indices too, so this never waits for a worker that is busy
    /// elsewhere (no deadlock when every worker calls it): helpers that start after the last index was taken
    /// return at once.
    func concurrentForEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1, self.count > 1, !stopped.load(ordering: .acquiring) else {
            for i in 0..<count { body(i) }
            return
        }
        let work = ForkJoin(count: count, body: body)
        let helpers = min(self.count - 1, count - 1)
        queue.withLock { q in for _ in 0..<helpers { q.front.append { work.run() } } }
        for _ in 0..<helpers { available.signal() }
        work.run()
        work.wait()
    }

    private func run() {
        while true {
            available.wait()
            let job: Job?? = queue.withLock { s in
                if !s.front.isEmpty { return .some(s.front.removeFirst()) }
                guard s.head < s.jobs.count else { return .none }
                let j = s.jobs[s.head]
                s.head += 1
                if s.head > 1024 && s.head * 2 > s.jobs.count {
                    s.jobs.removeFirst(s.head)
                    s.head = 0
                }
                return .some(j)
            }
            guard case .some(let j) = job, let run = j else { return }  // nil job = stop token
            busy.add(1, ordering: .relaxed)
            let started = ContinuousClock.now
            run()
            let c = (ContinuousClock.now - started).components
            busyNanoseconds.add(UInt64(max(0, c.seconds)) * 1_000_000_000 + UInt64(max(0, c.attoseconds) / 1_000_000_000),
                                ordering: .relaxed)
            busy.subtract(1, ordering: .relaxed)
        }
    }

    /// Runs the jobs already queued, then ends and joins every worker. Idempotent.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.withLock { s in for _ in 0..<count { s.jobs.append(nil) } }
        for _ in 0..<count { available.signal() }
        group.wait()
    }
}

/// The shared index of one `concurrentForEach`.
private final class ForkJoin: Sendable {
    let count: Int
    let body: @Sendable (Int) -> Void
    private let next = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    init(count: Int, body: @escaping @Sendable (Int) -> Void) {
        self.count = count
        self.body = body
    }

    func run() {
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            guard i < count else { return }
            body(i)
            if done.add(1, ordering: .acquiringAndReleasing).newValue == count { finished.signal() }
        }
    }

    /// Returns once every index has run (signalled exactly once, by whoever finished the last one).
    func wait() { finished.wait() }
}
