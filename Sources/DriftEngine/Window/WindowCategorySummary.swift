/// What a window keeps of one categorical feature: counts by category name (blocks bring their own
/// dictionaries) and the null count. Names are compared as UTF-8 bytes (canonically equivalent spellings stay
/// apart, so the state never depends on which spelling arrived first); the encoding lists them in ascending
/// byte order.
struct WindowCategorySummary: Sendable, Equatable {
    var counts: [WindowCategoryName: UInt64] = [:]
    var nulls: UInt64 = 0

    mutating func merge(_ other: WindowCategorySummary) {
        nulls &+= other.nulls
        for (name, c) in other.counts { counts[name, default: 0] &+= c }
    }

    /// The categories in ascending byte order with their counts.
    var sorted: [(name: WindowCategoryName, count: UInt64)] {
        counts.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }
}

/// A category name as its UTF-8 bytes (byte-wise equality and order).
struct WindowCategoryName: Sendable, Hashable, Comparable {
    var bytes: [UInt8]
    init(_ s: String) { bytes = Array(s.utf8) }
    init(bytes: [UInt8]) { self.bytes = bytes }
    var string: String { String(decoding: bytes, as: UTF8.self) }
    static func < (a: WindowCategoryName, b: WindowCategoryName) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
