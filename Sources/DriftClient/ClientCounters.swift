import Synchronization

/// Counters shared by a client's connections (`DriftClient.statistics`).
final class ClientCounters: Sendable {
    let requestsSent = Atomic<UInt64>(0)
    let responsesReceived = Atomic<UInt64>(0)
    let localTimeouts = Atomic<UInt64>(0)
    let connectionsOpened = Atomic<UInt64>(0)
    let inFlight = Atomic<Int>(0)
    let peakInFlight = Atomic<Int>(0)
}
