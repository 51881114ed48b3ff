import DriftColumnar
import DriftEngine
import DriftWire

/// One ingest's contribution to one open window, as the store keeps it until the window closes: the block as it
/// arrived (still zstd-compressed) and which of its rows fell into the window. Replaying a part folds those rows
/// again (`WindowState.fold` with the same block key), which gives the same state as the original fold: the
/// window state is the merge of its parts whatever their order.
///
/// Why the block and not the encoded partial state: the state keeps 16 bytes per value (sampling priority and
/// value bits), the compressed block ~4 (float32); a part is written once per ingest and read only after a
/// restart, so the smaller write wins.
///
/// ```
///  0      4       12     13        14           18 (+4·n)
///  +------+-------+------+---------+------------+--------------+--------------------+
///  | DWP1 | key   | codec| rowsKind| n (u32)    | rows (u32×n) | block body (rest)  |
///  +------+-------+------+---------+------------+--------------+--------------------+
///  key: the block key (u64 LE) · codec: BodyCodec of the body · rowsKind 0 = every row of the block (n and rows
///  absent), 1 = the n listed row indices (ascending)
/// ```
struct WindowPart: Sendable, Equatable {
    static let magic: [UInt8] = Array("DWP1".utf8)

    var blockKey: UInt64
    var codec: BodyCodec
    /// nil = every row of the block.
    var rows: [Int]?
    var body: [UInt8]

    func encode() -> [UInt8] {
        var out = Self.magic
        out.reserveCapacity(body.count + 18 + 4 * (rows?.count ?? 0))
        withUnsafeBytes(of: blockKey.littleEndian) { out.append(contentsOf: $0) }
        out.append(codec.rawValue)
        if let rows {
            out.append(1)
            withUnsafeBytes(of: UInt32(rows.count).littleEndian) { out.append(contentsOf: $0) }
            for r in rows { withUnsafeBytes(of: UInt32(r).littleEndian) { out.append(contentsOf: $0) } }
        } else {
            out.append(0)
        }
        out.append(contentsOf: body)
        return out
    }

    enum DecodingError: Error, CustomStringConvertible {
        case invalid(String)
        var description: String { if case .invalid(let m) = self { "window part: \(m)" } else { "" } }
    }

    static func decode(_ bytes: [UInt8]) throws(DecodingError) -> WindowPart {
        guard bytes.count >= 14, Array(bytes[0..<4]) == magic else { throw .invalid("not a DWP1 part") }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
        guard let codec = BodyCodec(rawValue: bytes[12]) else { throw .invalid("unknown codec \(bytes[12])") }
        var offset = 14
        var rows: [Int]? = nil
        switch bytes[13] {
        case 0: break
        case 1:
            guard bytes.count >= 18 else { throw .invalid("truncated row count") }
            let n = Int(u32(14))
            offset = 18
            guard n <= (bytes.count - offset) / 4 else { throw .invalid("truncated row list") }
            rows = (0..<n).map { Int(u32(offset + 4 * $0)) }
            offset += 4 * n
        default: throw .invalid("unknown rows kind \(bytes[13])")
        }
        return WindowPart(blockKey: u64(4), codec: codec, rows: rows, body: Array(bytes[offset...]))
    }
}
