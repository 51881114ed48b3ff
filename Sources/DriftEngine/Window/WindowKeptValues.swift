/// The non-null values a window keeps of one numeric feature: all of them while there are at most `cap`, beyond
/// that the `cap` with the smallest (priority, value bits) — a bottom-k sample. Priorities are a hash of
/// (block key, row index) (``WindowKeptValues/priority(blockKey:row:)``), so every value is equally likely to be
/// among the `cap` smallest whatever the values are: a uniform sample without replacement, and which values it
/// holds depends on the rows folded, never on their order. The union of two partial states followed by "keep the
/// `cap` smallest" is the sample of the union, so merging is exact.
///
/// Storage: 16 bytes per entry (priority, value bits). Entries are appended unsorted; once there are more than
/// 2·cap, they are sorted and cut to `cap`, and the largest kept key becomes a bound below which new entries
/// must lie to be kept at all (O(1) rejection afterwards): O(log cap) amortised per value.
struct WindowKeptValues: Sendable {
    /// One kept value: its sampling priority and its float64 bits (float32 features hold the widened value).
    struct Entry: Sendable, Comparable {
        var priority: UInt64
        var bits: UInt64
        static func < (a: Entry, b: Entry) -> Bool { a.priority < b.priority || (a.priority == b.priority && a.bits < b.bits) }
    }

    let cap: Int
    /// Kept entries, unsorted; more than `cap` only transiently (≤ 2·cap).
    var entries: [Entry] = []
    /// Non-null values offered so far (the window's non-null count).
    var seen: UInt64 = 0
    /// Entries above this key can never be among the `cap` smallest (nil while not sampled).
    var bound: Entry? = nil

    init(cap: Int) { self.cap = cap }

    /// The values are a sample (more non-null values than `cap`).
    var sampled: Bool { seen > UInt64(cap) }

    /// Offers one non-null value.
    @inline(__always)
    mutating func offer(_ entry: Entry) {
        seen &+= 1
        if let bound, bound < entry { return }
        entries.append(entry)
        if entries.count - cap > cap { compact() }
    }

    /// Sorts and keeps the `cap` smallest entries.
    mutating func compact() {
        entries.sort()
        if entries.count > cap {
            entries.removeLast(entries.count - cap)
            bound = entries.last
        }
    }

    /// The union of both partial samples, cut to `cap`.
    mutating func merge(_ other: WindowKeptValues) {
        seen &+= other.seen
        switch (bound, other.bound) {
        case let (a?, b?): bound = Swift.min(a, b)
        case (nil, let b?): bound = b
        default: break
        }
        entries.append(contentsOf: other.entries)
        if entries.count - cap > cap { compact() }
    }

    /// The kept entries in canonical order: ascending (priority, bits), at most `cap`.
    func canonical() -> [Entry] {
        var e = entries
        e.sort()
        if e.count > cap { e.removeLast(e.count - cap) }
        return e
    }

    /// The sampling priority of row `row` of the block `blockKey`: two SplitMix64 finalizer rounds.
    @inline(__always)
    static func priority(blockKey: UInt64, row: Int) -> UInt64 {
        mix(blockKey ^ mix(UInt64(truncatingIfNeeded: row) &+ 0x9E37_79B9_7F4A_7C15))
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
