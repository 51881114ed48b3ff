import Dispatch
import Synchronization

/// A fixed number of worker threads draining one FIFO of jobs. `stop()` lets queued jobs finish, then joins.
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private let jobs = Mutex<(queue: [Job?], head: Int)>(([], 0))
    private let available = DispatchSemaphore(value: 0)
    private let group = DispatchGroup()
    private let count: Int
    private let stopped = Atomic<Bool>(false)

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
        jobs.withLock { $0.queue.append(job) }
        available.signal()
        return true
    }

    private func run() {
        while true {
            available.wait()
            let job: Job?? = jobs.withLock { s in
                guard s.head < s.queue.count else { return .none }
                let j = s.queue[s.head]
                s.head += 1
                if s.head > 1024 && s.head * 2 > s.queue.count {
                    s.queue.removeFirst(s.head)
                    s.head = 0
                }
                return .some(j)
            }
            guard case .some(let j) = job, let run = j else { return }  // nil job = stop token
            run()
        }
    }

    /// Runs the jobs already queued, then ends and joins every worker. Idempotent.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        jobs.withLock { s in for _ in 0..<count { s.queue.append(nil) } }
        for _ in 0..<count { available.signal() }
        group.wait()
    }
}
