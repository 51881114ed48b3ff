public import DriftWire

/// Why a columnar block was refused. `code` is the status the server answers with (INVALID_ARGUMENT for malformed
/// or inconsistent input, RESOURCE_EXHAUSTED for a `BlockLimits` violation or a decompressed size over the cap);
/// `message` names the column when there is one. `wireError` is the same error as the frame layer's `WireError`
/// (request-level, never connection-fatal).
public struct ColumnBlockError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable, Equatable {
        /// Protobuf wire format: truncated, overlong varint, bad wire type or field number, field with the wrong wire type.
        case malformed
        case invalidUTF8
        case invalidName, duplicateName
        case unknownType, unknownEncoding, encodingNotAllowed
        /// values/validity sizes that disagree with row_count × width, or columns disagreeing on row_count.
        case lengthMismatch
        case invalidBool, codeOutOfRange, unexpectedDictionary
        case corruptCompression
        /// `BlockLimits` or the decompression cap.
        case tooManyColumns, tooManyRows, nameTooLong, dictionaryTooLarge, decodedTooLarge
    }

    public var code: WireStatus
    public var reason: Reason
    public var message: String
    /// The column concerned, when there is one.
    public var column: String?

    public init(_ code: WireStatus, _ reason: Reason, _ message: String, column: String? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.column = column
    }

    public var description: String { "\(code.name) \(reason.rawValue): \(message)" }

    /// The frame layer's error for the RESPONSE (same status and message, request-level). `WireError.Reason` has no
    /// block-specific cases yet, so the reason is the nearest one: `decodedTooLarge` for every RESOURCE_EXHAUSTED,
    /// `invalidUTF8`/`truncated` for those, `lengthMismatch` for every other INVALID_ARGUMENT.
    public var wireError: WireError {
        let r: WireError.Reason = switch reason {
        case .invalidUTF8: .invalidUTF8
        case .tooManyColumns, .tooManyRows, .nameTooLong, .dictionaryTooLarge, .decodedTooLarge: .decodedTooLarge
        case .malformed: .truncated
        default: .lengthMismatch
        }
        return WireError(code, r, message)
    }

    static func invalid(_ reason: Reason, _ message: String, column: String? = nil) -> ColumnBlockError {
        ColumnBlockError(.invalidArgument, reason, column.map { "column '\(Self.printable($0))': \(message)" } ?? message,
                         column: column)
    }

    static func exhausted(_ reason: Reason, _ message: String, column: String? = nil) -> ColumnBlockError {
        ColumnBlockError(.resourceExhausted, reason, column.map { "column '\(Self.printable($0))': \(message)" } ?? message,
                         column: column)
    }

    /// A name as it may appear in a message: control characters escaped, at most 64 scalars.
    static func printable(_ s: String) -> String {
        var out = ""
        for (i, u) in s.unicodeScalars.enumerated() {
            if i == 64 { out += "…"; break }
            out += u.value < 0x20 || (0x7F...0x9F).contains(u.value) ? u.escaped(asASCII: true) : String(u)
        }
        return out
    }
}
