import Synchronization

/// The server's estimate of what a data-carrying request will cost, learned from its own recent work.
///
/// The shape of a request known before it is decoded is its method, its source and its decoded body size
/// (`body_raw_len`). Per (method, source, exact or approximate) the model keeps an exponentially weighted mean of
/// the measured cost per decoded byte (decode + compute, microseconds) plus a fixed part, so it follows the
/// server's current throughput (a busy or throttled machine raises it) and each source's baseline size (the
/// exact KS p-value of small baselines is O(n·m)). An estimate exists after `minimumSamples` observations;
/// before that the model has no opinion and the request is run (the deadline is still checked when it starts).
final class CostModel: Sendable {
    struct Key: Hashable, Sendable {
        var method: UInt16
        var source: String
        var approximate: Bool
    }

    private struct Entry {
        var microsPerByte: Double
        var fixedMicros: Double
        var samples: Int
    }

    /// Weight of the newest observation.
    static let smoothing = 0.2
    static let minimumSamples = 3
    /// Sources remembered; the least recently updated is forgotten beyond it.
    static let maxEntries = 4096

    private let entries = Mutex<[Key: (entry: Entry, tick: UInt64)]>([:])
    /// Exponentially weighted mean of every request's service time (µs), any method: what a queued request
    /// without an estimate of its own is assumed to cost when the queue's length is turned into a wait.
    private let meanService = Mutex<Double>(0)

    /// The mean service time of recent requests (0 before the first).
    var meanServiceMicros: Double { meanService.withLock { $0 } }

    /// Records the service time of any finished request.
    func recordService(micros: Double) {
        meanService.withLock { m in m = m == 0 ? micros : m + Self.smoothing * (micros - m) }
    }
    private let ticks = Atomic<UInt64>(0)

    /// Estimated microseconds of decode + compute, or nil while the model has too few observations.
    func estimateMicros(_ key: Key, rawBytes: Int) -> Double? {
        guard let e = entries.withLock({ $0[key]?.entry }), e.samples >= Self.minimumSamples else { return nil }
        return e.fixedMicros + e.microsPerByte * Double(rawBytes)
    }

    /// Records a finished request.
    func record(_ key: Key, rawBytes: Int, micros: Double) {
        let tick = ticks.add(1, ordering: .relaxed).newValue
        // Split the cost into a small fixed part (20 µs, the dispatch overhead measured on loopback) and the rest
        // per byte; the fixed part keeps tiny requests from being estimated at zero.
        let fixed = min(micros, 20)
        let perByte = rawBytes > 0 ? (micros - fixed) / Double(rawBytes) : 0
        entries.withLock { table in
            if var slot = table[key] {
                let a = Self.smoothing
                slot.entry.microsPerByte += a * (perByte - slot.entry.microsPerByte)
                slot.entry.fixedMicros += a * (fixed - slot.entry.fixedMicros)
                slot.entry.samples += 1
                slot.tick = tick
                table[key] = slot
            } else {
                if table.count >= Self.maxEntries, let oldest = table.min(by: { $0.value.tick < $1.value.tick })?.key {
                    table[oldest] = nil
                }
                table[key] = (Entry(microsPerByte: perByte, fixedMicros: fixed, samples: 1), tick)
            }
        }
    }

    /// Forgets a source (its baseline changed, so its costs did too).
    func forget(source: String) {
        entries.withLock { table in table = table.filter { $0.key.source != source } }
    }
}
