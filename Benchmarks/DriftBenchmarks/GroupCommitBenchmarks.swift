import DriftStore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `drift-bench groupcommit`: durable small ingests (`applyIngest` with a fresh idempotency key and one window
/// update of a `stateBytes` state) submitted by `submitters` threads through a `GroupCommitWriter`, once with one
/// commit per ingest (`maximumGroup: 1`) and once grouped. Every ingest returns only after its COMMIT
/// (synchronous=FULL, WAL) on a real file. Prints ingests per second and commits per mode.
struct GroupCommitBenchmarks {
    var submitters = 8
    var ingestsPerSubmitter = 200
    var stateBytes = 512
    var directory = "/tmp"

    func run() {
        for (mode, group) in [("one_commit_per_ingest", 1), ("grouped", 1_024)] {
            let path = directory + "/drift-bench-groupcommit-\(mode).db"
            for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
            let writer: GroupCommitWriter
            do {
                let store = try DriftStore(path: path)
                try store.connection.execute("INSERT INTO sources(name, spec, created_ms) VALUES('bench', x'', 0)")
                writer = try GroupCommitWriter(store: store, maximumGroup: group)
            } catch {
                writeStderr("drift-bench groupcommit: \(error)\n")
                exit(1)
            }
            let state = [UInt8](repeating: 7, count: stateBytes)
            let failures = Atomic<Int>(0)
            let perThread = ingestsPerSubmitter
            let t0 = now()
            runThreads(submitters) { thread in
                for i in 0..<perThread {
                    let start = Int64(i % 24) * 3_600_000
                    let update = WindowUpdate(startMilliseconds: start, endMilliseconds: start + 3_600_000,
                                              state: state, rowsAdded: 100)
                    do {
                        _ = try writer.perform { store in
                            try store.applyIngest(source: "bench", key: "t\(thread)-\(i)", windowUpdates: [update])
                        }
                    } catch {
                        failures.add(1, ordering: .relaxed)
                    }
                }
            }
            let seconds = now() - t0
            let total = submitters * perThread
            writer.close()
            print("{\"mode\": \"\(mode)\", \"submitters\": \(submitters), \"ingests\": \(total), "
                  + "\"failures\": \(failures.load(ordering: .relaxed)), \"commits\": \(writer.commits), "
                  + "\"seconds\": \(seconds), \"ingests_per_s\": \(Double(total) / seconds)}")
            fflush(nil)
        }
    }
}

/// Runs `body(0..<count)` on `count` threads and waits for all of them.
func runThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    final class Context: @unchecked Sendable {
        let body: @Sendable (Int) -> Void
        let index: Int
        init(_ body: @escaping @Sendable (Int) -> Void, _ index: Int) { self.body = body; self.index = index }
    }
    var threads: [pthread_t] = []
    for i in 0..<count {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Context(body, i)).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            let context = Unmanaged<Context>.fromOpaque(raw!).takeRetainedValue()
            context.body(context.index)
            return nil
        }, context)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
}
