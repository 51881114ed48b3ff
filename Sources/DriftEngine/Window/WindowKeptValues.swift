/// The non-null values a window keeps of one numeric feature: all of them while there are at most `cap`, beyond
/// that the `cap` with the smallest (priority, value bits) — a bottom-k sample. Priorities are a hash of
/// (block key, row index) (``WindowKeptValues/priority(blockKey:row:)``), so every value is equally likely to be
/// among the `cap` smallest whatever the values are: a uniform sample without replacement, and which values it
/// holds depends on the rows folded, never on their order. The union of two partial samples cut to the `cap`
/// smallest is the sample of the union, so merging is exact.
///
/// Storage: 16 bytes per entry (priority, value bits), a sorted run followed by an unsorted tail of recent
/// entries. When the tail outgrows half the sorted run (or 64 entries), it is sorted and merged into the run,
/// which is cut to `cap`; once sampled, the largest kept key is a bound above which a new value is rejected in
/// O(1). Each value is sorted once and merged O(1) times amortised: O(log cap) per value. Reading the canonical
/// order (encode, reports) sorts only the tail: O(k + t log t).
struct WindowKeptValues: Sendable {
    /// One kept value: its sampling priority and its float64 bits (float32 features hold the widened value).
    struct Entry: Sendable, Comparable {
        var priority: UInt64
        var bits: UInt64
        static func < (a: Entry, b: Entry) -> Bool { a.priority < b.priority || (a.priority == b.priority && a.bits < b.bits) }
    }

    let cap: Int
    /// `entries[..<sortedCount]` ascending (at most `cap` of them), then the unsorted tail.
    var entries: [Entry] = []
    var sortedCount = 0
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
        if entries.count - sortedCount > Swift.max(64, sortedCount / 2) { settle() }
    }

    /// Sorts the tail, merges it into the sorted run and cuts the run to `cap`.
    mutating func settle() {
        guard sortedCount < entries.count else { return }
        entries = Self.merged(entries[..<sortedCount], Self.sortedTail(entries, from: sortedCount), limit: cap)
        sortedCount = entries.count
        if sampled { bound = entries.last }
    }

    /// The union of both partial samples, cut to `cap`. The other side's entries join the unsorted tail like
    /// offered values (those above this side's bound are skipped at once), so merging a small partial state into
    /// a large one costs O(t log t) for its t entries, not a copy of the large one; then the tail is settled.
    /// Exact: the union of the two kept sets contains the `cap` smallest of the union of the rows, and every
    /// entry skipped or cut lies above `cap` smaller ones.
    mutating func merge(_ other: WindowKeptValues) {
        // `seen` stays this side's until the end: `settle` sets the bound only when this side alone is sampled,
        // i.e. when the sorted run already holds `cap` entries.
        for e in other.entries {
            if let bound, bound < e { continue }
            entries.append(e)
            if entries.count - sortedCount > Swift.max(64, sortedCount / 2) { settle() }
        }
        seen &+= other.seen
        settle()
        // Sampled now: at least `cap` entries were kept between the two sides, so the run holds exactly `cap`.
        if sampled { bound = entries.last }
    }

    /// The kept entries in canonical order: ascending (priority, bits), at most `cap`.
    func canonical() -> [Entry] {
        if sortedCount == entries.count { return entries }
        return Self.merged(entries[..<sortedCount], Self.sortedTail(entries, from: sortedCount), limit: cap)
    }

    private static func sortedTail(_ entries: [Entry], from start: Int) -> [Entry] {
        var tail = Array(entries[start...])
        tail.sort()
        return tail
    }

    /// The first `limit` entries of the merge of two ascending runs.
    private static func merged(_ a: ArraySlice<Entry>, _ b: [Entry], limit: Int) -> [Entry] {
        var out: [Entry] = []
        let n = Swift.min(limit, a.count + b.count)
        // Room for the tail that grows behind the run until the next settle (at most max(64, n / 2) entries), so
        // appending after a settle does not copy the whole run into a larger buffer.
        out.reserveCapacity(n + Swift.max(64, n / 2) + 1)
        var i = a.startIndex, j = 0
        while out.count < n {
            if j == b.count || (i < a.endIndex && !(b[j] < a[i])) {
                out.append(a[i]); i += 1
            } else {
                out.append(b[j]); j += 1
            }
        }
        return out
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
