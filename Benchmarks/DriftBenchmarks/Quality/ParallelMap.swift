import Dispatch

/// `(0..<count).map(body)` on `threads` threads (Dispatch `concurrentPerform`, index i on lane i mod threads).
/// Each index's work must be independent (its own seeded generator), so the result does not depend on the
/// scheduling.
func parallelMap<T>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = ResultSlots<T>(count: count)
    let lanes = max(1, min(threads, count))
    withoutActuallyEscaping(body) { body in
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for i in stride(from: lane, to: count, by: lanes) { slots.buffer[i] = body(i) }
        }
    }
    return slots.buffer.map { $0! }
}

/// The result slots of ``parallelMap(_:threads:_:)``: each index is written by exactly one lane and read after
/// all lanes have finished, hence the unchecked sendability.
final class ResultSlots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit { buffer.deinitialize().deallocate() }
}
