/// What a window keeps of one categorical feature: counts by category name (blocks bring their own
/// dictionaries) and the null count. Names are Swift strings, so canonically equivalent spellings ("é" composed
/// and decomposed) are one category, as in ``BaselineBuilder``; the spelling kept is the one with the smallest
/// UTF-8 bytes, so the state does not depend on which spelling arrived first. The encoding lists the categories
/// in ascending UTF-8 byte order.
struct WindowCategorySummary: Sendable, Equatable {
    var counts: [String: UInt64] = [:]
    var nulls: UInt64 = 0

    /// Adds `count` rows of category `name`.
    mutating func add(_ name: String, _ count: UInt64) {
        if let i = counts.index(forKey: name) {
            let stored = counts[i].key
            let total = counts[i].value &+ count
            if Self.precedes(name, stored) {
                counts.remove(at: i)
                counts[name] = total
            } else {
                counts.values[i] = total
            }
        } else {
            counts[name] = count
        }
    }

    mutating func merge(_ other: WindowCategorySummary) {
        nulls &+= other.nulls
        for (name, c) in other.counts { add(name, c) }
    }

    /// The categories in ascending UTF-8 byte order with their counts.
    var sorted: [(name: String, count: UInt64)] {
        counts.map { ($0.key, $0.value) }.sorted { Self.precedes($0.name, $1.name) }
    }

    /// UTF-8 byte order.
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
