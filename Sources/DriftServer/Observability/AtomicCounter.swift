import Synchronization

/// One relaxed atomic counter in a class, so counters can live in arrays (an `Atomic` cannot be copied).
final class AtomicCounter: Sendable {
    let value = Atomic<UInt64>(0)

    init() {}

    @inline(__always) func add(_ n: UInt64) { value.add(n, ordering: .relaxed) }
    var load: UInt64 { value.load(ordering: .relaxed) }

    /// `n` independent counters.
    static func array(_ n: Int) -> [AtomicCounter] { (0..<n).map { _ in AtomicCounter() } }
}
