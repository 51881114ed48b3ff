/// An Arrow-style validity bitmap: bit `i` (least-significant bit first within each byte) is 1 when row `i`
/// holds a value and 0 when it is null.
///
/// ```
/// byte 0: rows 7 6 5 4 3 2 1 0   byte 1: rows 15 … 8
/// ```
public struct ValidityBitmap: Sendable, Equatable {
    public private(set) var bytes: [UInt8]
    public let count: Int

    /// A bitmap over `count` rows built from the bytes of a block (extra bits past `count` are ignored).
    public init(bytes: [UInt8], count: Int) throws(KernelError) {
        guard bytes.count * 8 >= count else {
            throw KernelError(.invalidArgument, "validity bitmap has \(bytes.count) bytes for \(count) rows")
        }
        self.bytes = bytes
        self.count = count
    }

    /// A bitmap from one flag per row.
    public init(valid: [Bool]) {
        var b = [UInt8](repeating: 0, count: (valid.count + 7) / 8)
        for (i, v) in valid.enumerated() where v { b[i >> 3] |= 1 << UInt8(i & 7) }
        self.bytes = b
        self.count = valid.count
    }

    @inline(__always)
    public func isValid(_ row: Int) -> Bool { bytes[row >> 3] & (1 << UInt8(row & 7)) != 0 }

    /// Number of null rows.
    public var nullCount: Int {
        var valid = 0
        let full = count >> 3
        for i in 0..<full { valid += bytes[i].nonzeroBitCount }
        for row in (full << 3)..<count where isValid(row) { valid += 1 }
        return count - valid
    }

    /// True when rows `start ..< start + 8*byteCount` are all valid (`start` a multiple of 8).
    @inline(__always)
    func allValid(byteOffset: Int, byteCount: Int) -> Bool {
        var acc: UInt8 = 0xFF
        for i in byteOffset..<(byteOffset + byteCount) { acc &= bytes[i] }
        return acc == 0xFF
    }
}
