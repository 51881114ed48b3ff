#if canImport(Glibc)
import Glibc
#endif

/// Group commit over one `DriftStore`: callers on any thread submit a unit of work (a closure against the store)
/// and block until it is durable; one writer thread takes every pending unit, runs them in ONE `BEGIN IMMEDIATE`
/// transaction — each unit inside its own savepoint — and commits once (one fsync under `synchronous=FULL` for the
/// whole group instead of one per unit).
///
/// - A unit that throws is rolled back alone (`ROLLBACK TO` its savepoint); its caller gets its error, the others
///   commit.
/// - If the COMMIT itself fails, every unit of the group gets that error (nothing of the group is durable).
/// - `perform` returns only after the COMMIT that contains the unit succeeded: an acknowledged unit survives a
///   crash.
/// - Units run on the writer thread, one at a time, in submission order within a group; they must not call
///   `perform` themselves (that would wait on their own thread forever) and should be short (the group waits).
///
/// ```
///  submitters ──perform──► [pending queue] ──writer──► BEGIN IMMEDIATE
///                                                        SAVEPOINT u; unit 1; RELEASE u   (or ROLLBACK TO u)
///                                                        SAVEPOINT u; unit 2; RELEASE u
///                                                        …            (up to maximumGroup units)
///                                                      COMMIT ──► wake the group's submitters
/// ```
public final class GroupCommitWriter: Sendable {
    private let shared: Shared

    /// Errors of the writer itself.
    public enum WriterError: Error, Sendable, Equatable {
        /// `close()` was called: no more units are accepted.
        case closed
        /// The writer thread could not be started.
        case threadStart(Int32)
    }

    /// Takes ownership of `store` (its connection is used only on the writer thread from now on).
    /// - Parameter maximumGroup: most units per transaction; 1 gives one commit per unit (the baseline to
    ///   compare group commit against).
    public init(store: sending DriftStore, maximumGroup: Int = 1_024) throws(WriterError) {
        shared = Shared(store: store, maximumGroup: max(1, maximumGroup))
        let context = Unmanaged.passRetained(shared).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let shared = Unmanaged<Shared>.fromOpaque(raw!).takeRetainedValue()
            shared.runWriter()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Shared>.fromOpaque(context).release()
            throw .threadStart(rc)
        }
        shared.setThread(thread)
    }

    deinit { close() }

    /// Runs `unit` against the store inside the next group transaction and returns its result once that
    /// transaction committed; rethrows the unit's error (after its savepoint was rolled back) or the COMMIT's
    /// error. Throws `WriterError.closed` after `close()`.
    public func perform<R: Sendable>(_ unit: @escaping @Sendable (DriftStore) throws -> R) throws -> R {
        try submit(unit).wait()
    }

    /// Queues `unit` for the next group and returns at once; `wait()` on the answer blocks until the group that
    /// holds it committed. Units run in submission order, so a caller that submits under its own lock and waits
    /// after releasing it keeps its units ordered while other callers' units (and its own next ones) join the
    /// same commit. Throws `WriterError.closed` after `close()`.
    public func submit<R: Sendable>(_ unit: @escaping @Sendable (DriftStore) throws -> R) throws(WriterError)
        -> PendingUnit<R>
    {
        let job = Job { store in try unit(store) }
        try shared.submit(job)
        return PendingUnit(job: job, shared: shared)
    }

    /// Stops accepting units, lets the writer finish the pending ones and joins its thread. Idempotent.
    public func close() {
        shared.close()
    }

    /// Transactions committed so far (each holding one or more units).
    public var commits: Int { shared.stats().commits }
    /// Units run so far.
    public var units: Int { shared.stats().units }
}

/// A unit submitted with ``GroupCommitWriter/submit(_:)``: `wait()` returns its result once its group committed
/// (or throws the unit's or the COMMIT's error). Wait once.
public struct PendingUnit<R: Sendable>: Sendable {
    fileprivate let job: Job
    fileprivate let shared: Shared

    public func wait() throws -> R {
        shared.wait(job)
        switch job.result! {
        case .success(let value): return value as! R
        case .failure(let error): throw error
        }
    }
}

/// One submitted unit and its outcome (written by the writer thread, read by the submitter after `done`; both
/// under `Shared`'s mutex).
private final class Job: @unchecked Sendable {
    let body: (DriftStore) throws -> any Sendable
    var result: Result<any Sendable, any Error>?
    var done = false

    init(_ body: @escaping (DriftStore) throws -> any Sendable) { self.body = body }
}

/// State shared by the submitters and the writer thread. Every mutable field is guarded by `mutex`; `store` is
/// touched only by the writer thread.
private final class Shared: @unchecked Sendable {
    private let store: DriftStore
    private let maximumGroup: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let workAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let groupDone = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var pending: [Job] = []
    private var closing = false
    private var thread: pthread_t?
    private var joined = false
    private var commitCount = 0
    private var unitCount = 0

    init(store: sending DriftStore, maximumGroup: Int) {
        self.store = store
        self.maximumGroup = maximumGroup
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
        pthread_cond_init(groupDone, nil)
    }

    deinit {
        pthread_cond_destroy(groupDone)
        pthread_cond_destroy(workAvailable)
        pthread_mutex_destroy(mutex)
        groupDone.deallocate()
        workAvailable.deallocate()
        mutex.deallocate()
    }

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    func setThread(_ t: pthread_t) { locked { thread = t } }

    func stats() -> (commits: Int, units: Int) { locked { (commitCount, unitCount) } }

    func submit(_ job: Job) throws(GroupCommitWriter.WriterError) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !closing else { throw .closed }
        pending.append(job)
        pthread_cond_signal(workAvailable)
    }

    func wait(_ job: Job) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !job.done { pthread_cond_wait(groupDone, mutex) }
    }

    func close() {
        let toJoin: pthread_t? = locked {
            closing = true
            pthread_cond_broadcast(workAvailable)
            guard !joined, let t = thread else { return nil }
            joined = true
            return t
        }
        if let toJoin { pthread_join(toJoin, nil) }
    }

    /// The writer thread's loop: wait for units, run a group, commit, wake its submitters; exits once closing and
    /// drained.
    func runWriter() {
        while true {
            pthread_mutex_lock(mutex)
            while pending.isEmpty && !closing { pthread_cond_wait(workAvailable, mutex) }
            if pending.isEmpty {
                pthread_mutex_unlock(mutex)
                return
            }
            let group = Array(pending.prefix(maximumGroup))
            pending.removeFirst(group.count)
            pthread_mutex_unlock(mutex)

            var results = runGroup(group)

            pthread_mutex_lock(mutex)
            for i in group.indices {
                group[i].result = results[i]
                group[i].done = true
            }
            commitCount += 1
            unitCount += group.count
            pthread_cond_broadcast(groupDone)
            pthread_mutex_unlock(mutex)
            results.removeAll()
        }
    }

    /// Runs the group in one transaction, each unit in a savepoint; the COMMIT's failure fails every unit.
    private func runGroup(_ group: [Job]) -> [Result<any Sendable, any Error>] {
        let connection = store.connection
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            return group.map { _ in .failure(DriftStoreError.sqlite(error)) }
        }
        var results: [Result<any Sendable, any Error>] = []
        results.reserveCapacity(group.count)
        for job in group {
            do {
                let value = try connection.savepoint { try job.body(store) }
                results.append(.success(value))
            } catch {
                results.append(.failure(error))
            }
        }
        do {
            try connection.execute("COMMIT")
        } catch {
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            let failure = DriftStoreError.sqlite(error)
            return results.map { if case .failure = $0 { $0 } else { .failure(failure) } }
        }
        return results
    }
}
