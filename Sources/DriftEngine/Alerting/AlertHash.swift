/// 64-bit FNV-1a, the hash behind ``Alert/fingerprint`` and ``AlertNotification/dedupKey``.
///
/// Offset basis 14695981039346656037, prime 1099511628211, over bytes — the same function Prometheus uses for
/// label-set fingerprints (`model.LabelSet.Fingerprint`). Unlike Swift's `Hasher` it is not seeded per process,
/// so values are stable across runs and machines and may be stored.
enum AlertHash {
    static let offsetBasis: UInt64 = 14_695_981_039_346_656_037
    static let prime: UInt64 = 1_099_511_628_211
    /// Separates label names and values (a byte that never occurs in UTF-8).
    static let separator: UInt8 = 0xFF

    static func add(_ hash: UInt64, byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* prime }

    static func add(_ hash: UInt64, _ string: String) -> UInt64 {
        var h = hash
        for b in string.utf8 { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// The eight bytes of `value`, little-endian.
    static func add(_ hash: UInt64, u64 value: UInt64) -> UInt64 {
        var h = hash
        for i in 0..<8 { h = add(h, byte: UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
        return h
    }

    /// 16 lower-case hex digits, zero-padded (Go's `%016x`).
    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Orders strings by their UTF-8 bytes (Go's string order), independent of Unicode normalization.
    static func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
