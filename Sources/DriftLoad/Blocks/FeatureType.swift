import DriftColumnar
import DriftWire

/// The feature types of a source as written in schema files and shown by `driftctl`, and their numbers in
/// `FeatureSpec.type` (the `ColumnType` numbering of proto/driftd.proto).
public enum FeatureType: String, Sendable, Equatable, CaseIterable {
    case float32
    case float64
    case int64
    case bool
    case categorical
    case timestampMs = "timestamp_ms"

    /// The `FeatureSpec.type` / `ColumnType` number.
    public var wireValue: UInt32 { UInt32(columnType.rawValue) }

    public var columnType: ColumnType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        case .int64: .int64
        case .bool: .bool
        case .categorical: .categorical
        case .timestampMs: .timestampMs
        }
    }

    /// The type named `name` (as in schema files: float32, float64, int64, bool, categorical, timestamp_ms).
    public init?(name: String) { self.init(rawValue: name) }

    /// The type with `FeatureSpec.type` number `wireValue`.
    public init?(wireValue: UInt32) {
        guard let t = FeatureType.allCases.first(where: { $0.wireValue == wireValue }) else { return nil }
        self = t
    }

    /// The schema-file name of a `FeatureSpec.type` number, or "type N" for one this build does not know.
    public static func name(ofWireValue v: UInt32) -> String { FeatureType(wireValue: v)?.rawValue ?? "type \(v)" }
}
