/// CheckDrift (method 5) request metadata; the frame body carries one `ColumnBlock` (§11, normally zstd) with a
/// column for each feature to check. proto/driftd.proto `CheckDriftRequest`.
///
///     1 source  string   2 allow_approximate  bool (the server may answer with a cheaper, flagged method when
///     the exact one would miss the deadline)   3 request_id  string (echoed in logs; free text)
public struct CheckDriftRequest: Sendable, Equatable {
    public var source: String
    public var allowApproximate: Bool
    public var requestID: String

    public init(source: String = "", allowApproximate: Bool = false, requestID: String = "") {
        self.source = source
        self.allowApproximate = allowApproximate
        self.requestID = requestID
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, source)
        w.writeTrue(2, allowApproximate)
        w.writeNonEmpty(3, requestID)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> CheckDriftRequest {
        var r = ProtoReader(bytes)
        var m = CheckDriftRequest()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.source = try r.readString()
            case (2, .varint): m.allowApproximate = try r.readBool()
            case (3, .lengthDelimited): m.requestID = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// Where the server spent a request's time, in microseconds. proto/driftd.proto `ServerTimings`.
///
///     1 queue_wait_us  2 decode_us (decompress + block decode)  3 compute_us      (uint64)
public struct ServerTimings: Sendable, Equatable {
    public var queueWaitUs: UInt64
    public var decodeUs: UInt64
    public var computeUs: UInt64

    public init(queueWaitUs: UInt64 = 0, decodeUs: UInt64 = 0, computeUs: UInt64 = 0) {
        self.queueWaitUs = queueWaitUs
        self.decodeUs = decodeUs
        self.computeUs = computeUs
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, queueWaitUs)
        w.writeNonZero(2, decodeUs)
        w.writeNonZero(3, computeUs)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> ServerTimings {
        var r = ProtoReader(bytes)
        var m = ServerTimings()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.queueWaitUs = try r.readVarint()
            case (2, .varint): m.decodeUs = try r.readVarint()
            case (3, .varint): m.computeUs = try r.readVarint()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// The verdict on one feature (DriftEngine's `FeatureStatistics` + `Verdict`). proto/driftd.proto `FeatureVerdict`.
///
///     1 feature  string                2 kind  FeatureKind (0 unspecified, 1 numeric, 2 categorical)
///     3 baseline_n  uint64             4 current_n  uint64  (non-null values compared on each side)
///     5 baseline_null_rate  double     6 current_null_rate  double
///     7 ks_d  8 p_value                (optional double)    9 p_value_method  string ("exact", "asymptotic",
///                                                            "chi-square", "binned")
///     10 psi  11 jensen_shannon  12 wasserstein  13 wasserstein_normed  14 chi_square       (optional double)
///     15 chi_square_dof  16 unseen_categories  (optional uint64)   17 null_rate_p  optional double
///     18 decision  Decision (0 unspecified, 1 stable, 2 drift, 3 insufficient_data)
///     19 severity  Severity (0 none, 1 warning, 2 critical)
///     20 reasons  repeated string      21 notes  repeated string
///     22 approximate  bool             23 ks_error_bound  optional double (bound on |D − D_exact| when approximate)
///
/// Enums are open (protobuf semantics): a value this build does not know is kept as its raw number.
public struct FeatureVerdict: Sendable, Equatable {
    public struct Kind: RawRepresentable, Sendable, Equatable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let unspecified = Kind(rawValue: 0)
        public static let numeric = Kind(rawValue: 1)
        public static let categorical = Kind(rawValue: 2)
    }

    public struct Decision: RawRepresentable, Sendable, Equatable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let unspecified = Decision(rawValue: 0)
        public static let stable = Decision(rawValue: 1)
        public static let drift = Decision(rawValue: 2)
        public static let insufficientData = Decision(rawValue: 3)
    }

    public struct Severity: RawRepresentable, Sendable, Equatable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let none = Severity(rawValue: 0)
        public static let warning = Severity(rawValue: 1)
        public static let critical = Severity(rawValue: 2)
    }

    public var feature: String
    public var kind: Kind
    public var baselineN: UInt64
    public var currentN: UInt64
    public var baselineNullRate: Double
    public var currentNullRate: Double
    public var ksD: Double?
    public var pValue: Double?
    public var pValueMethod: String
    public var psi: Double?
    public var jensenShannon: Double?
    public var wasserstein: Double?
    public var wassersteinNormed: Double?
    public var chiSquare: Double?
    public var chiSquareDOF: UInt64?
    public var unseenCategories: UInt64?
    /// p-value of the two-proportion z-test on the null rates.
    public var nullRateP: Double?
    public var decision: Decision
    public var severity: Severity
    public var reasons: [String]
    public var notes: [String]
    public var approximate: Bool
    public var ksErrorBound: Double?

    public init(feature: String = "", kind: Kind = .unspecified, baselineN: UInt64 = 0, currentN: UInt64 = 0,
                baselineNullRate: Double = 0, currentNullRate: Double = 0, ksD: Double? = nil,
                pValue: Double? = nil, pValueMethod: String = "", psi: Double? = nil, jensenShannon: Double? = nil,
                wasserstein: Double? = nil, wassersteinNormed: Double? = nil, chiSquare: Double? = nil,
                chiSquareDOF: UInt64? = nil, unseenCategories: UInt64? = nil, nullRateP: Double? = nil,
                decision: Decision = .unspecified, severity: Severity = .none, reasons: [String] = [],
                notes: [String] = [], approximate: Bool = false, ksErrorBound: Double? = nil) {
        self.feature = feature
        self.kind = kind
        self.baselineN = baselineN
        self.currentN = currentN
        self.baselineNullRate = baselineNullRate
        self.currentNullRate = currentNullRate
        self.ksD = ksD
        self.pValue = pValue
        self.pValueMethod = pValueMethod
        self.psi = psi
        self.jensenShannon = jensenShannon
        self.wasserstein = wasserstein
        self.wassersteinNormed = wassersteinNormed
        self.chiSquare = chiSquare
        self.chiSquareDOF = chiSquareDOF
        self.unseenCategories = unseenCategories
        self.nullRateP = nullRateP
        self.decision = decision
        self.severity = severity
        self.reasons = reasons
        self.notes = notes
        self.approximate = approximate
        self.ksErrorBound = ksErrorBound
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonEmpty(1, feature)
        w.writeNonZero(2, UInt64(kind.rawValue))
        w.writeNonZero(3, baselineN)
        w.writeNonZero(4, currentN)
        w.writeNonZeroDouble(5, baselineNullRate)
        w.writeNonZeroDouble(6, currentNullRate)
        w.writeOptionalDouble(7, ksD)
        w.writeOptionalDouble(8, pValue)
        w.writeNonEmpty(9, pValueMethod)
        w.writeOptionalDouble(10, psi)
        w.writeOptionalDouble(11, jensenShannon)
        w.writeOptionalDouble(12, wasserstein)
        w.writeOptionalDouble(13, wassersteinNormed)
        w.writeOptionalDouble(14, chiSquare)
        w.writeOptionalVarint(15, chiSquareDOF)
        w.writeOptionalVarint(16, unseenCategories)
        w.writeOptionalDouble(17, nullRateP)
        w.writeNonZero(18, UInt64(decision.rawValue))
        w.writeNonZero(19, UInt64(severity.rawValue))
        for s in reasons { w.writeStringField(20, s) }
        for s in notes { w.writeStringField(21, s) }
        w.writeTrue(22, approximate)
        w.writeOptionalDouble(23, ksErrorBound)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> FeatureVerdict {
        var r = ProtoReader(bytes)
        var m = FeatureVerdict()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .lengthDelimited): m.feature = try r.readString()
            case (2, .varint): m.kind = Kind(rawValue: try r.readUInt32())
            case (3, .varint): m.baselineN = try r.readVarint()
            case (4, .varint): m.currentN = try r.readVarint()
            case (5, .fixed64): m.baselineNullRate = try r.readDouble()
            case (6, .fixed64): m.currentNullRate = try r.readDouble()
            case (7, .fixed64): m.ksD = try r.readDouble()
            case (8, .fixed64): m.pValue = try r.readDouble()
            case (9, .lengthDelimited): m.pValueMethod = try r.readString()
            case (10, .fixed64): m.psi = try r.readDouble()
            case (11, .fixed64): m.jensenShannon = try r.readDouble()
            case (12, .fixed64): m.wasserstein = try r.readDouble()
            case (13, .fixed64): m.wassersteinNormed = try r.readDouble()
            case (14, .fixed64): m.chiSquare = try r.readDouble()
            case (15, .varint): m.chiSquareDOF = try r.readVarint()
            case (16, .varint): m.unseenCategories = try r.readVarint()
            case (17, .fixed64): m.nullRateP = try r.readDouble()
            case (18, .varint): m.decision = Decision(rawValue: try r.readUInt32())
            case (19, .varint): m.severity = Severity(rawValue: try r.readUInt32())
            case (20, .lengthDelimited): m.reasons.append(try r.readString())
            case (21, .lengthDelimited): m.notes.append(try r.readString())
            case (22, .varint): m.approximate = try r.readBool()
            case (23, .fixed64): m.ksErrorBound = try r.readDouble()
            default: try r.skipField(type)
            }
        }
        return m
    }
}

/// CheckDrift (method 5) response metadata. proto/driftd.proto `CheckDriftResponse`.
///
///     1 baseline_id  uint64 (the baseline the verdicts were computed against)
///     2 verdicts  repeated FeatureVerdict (in the source's feature order)
///     3 timings  ServerTimings (written when any timing is non-zero)
///     4 approximate  bool (true when any verdict is approximate)
public struct CheckDriftResponse: Sendable, Equatable {
    /// The request id the server gave this request (`ResponseRequestID`, field 1000; "" when absent). Decoded
    /// only: the server appends it to every RESPONSE, so `encode()` writes it only when set.
    public var requestID = ""
    public var baselineID: UInt64
    public var verdicts: [FeatureVerdict]
    public var timings: ServerTimings
    public var approximate: Bool

    public init(baselineID: UInt64 = 0, verdicts: [FeatureVerdict] = [], timings: ServerTimings = ServerTimings(),
                approximate: Bool = false) {
        self.baselineID = baselineID
        self.verdicts = verdicts
        self.timings = timings
        self.approximate = approximate
    }

    public func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.writeNonZero(1, baselineID)
        for v in verdicts { w.writeMessageField(2, v.encode()) }
        let t = timings.encode()
        if !t.isEmpty { w.writeMessageField(3, t) }
        w.writeTrue(4, approximate)
        w.writeNonEmpty(ResponseRequestID.field, requestID)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(WireError) -> CheckDriftResponse {
        var r = ProtoReader(bytes)
        var m = CheckDriftResponse()
        while let (field, type) = try r.readKey() {
            switch (field, type) {
            case (1, .varint): m.baselineID = try r.readVarint()
            case (2, .lengthDelimited): m.verdicts.append(try r.readMessage(FeatureVerdict.decode))
            case (3, .lengthDelimited): m.timings = try r.readMessage(ServerTimings.decode)
            case (4, .varint): m.approximate = try r.readBool()
            case (ResponseRequestID.field, .lengthDelimited): m.requestID = try r.readString()
            default: try r.skipField(type)
            }
        }
        return m
    }
}
