/// The RPC methods of driftd (proto/PROTOCOL.md §13): the REQUEST header's `method_id` and the names and version
/// ranges the server announces in HELLO_ACK (`MethodDescriptor`). Every method is at version 1.
///
///     1 CreateSource   2 GetSource   3 ListSources   4 PutBaseline   5 CheckDrift   6 ServerStats
///     7 Ingest   8 ReportModelMetric   9 QueryHistory   10 GetSourceStatus   11 ListBaselines   12 PromoteBaseline
///     13 RollbackBaseline   14 AcknowledgeWindow   15 PerformanceCorrelation   16 CreateSilence   17 ExpireSilence
///     18 ListAlerts
///
/// 0 is never a method id (CANCEL/PING/… carry method_id 0); an unknown id or a version outside the announced range
/// is answered with UNIMPLEMENTED.
public enum MethodID: UInt16, Sendable, Equatable, CaseIterable {
    case createSource = 1
    case getSource = 2
    case listSources = 3
    case putBaseline = 4
    case checkDrift = 5
    case serverStats = 6
    case ingest = 7
    case reportModelMetric = 8
    case queryHistory = 9
    case getSourceStatus = 10
    case listBaselines = 11
    case promoteBaseline = 12
    case rollbackBaseline = 13
    case acknowledgeWindow = 14
    case performanceCorrelation = 15
    case createSilence = 16
    case expireSilence = 17
    case listAlerts = 18

    /// The method's name as announced in HELLO_ACK.
    public var name: String {
        switch self {
        case .createSource: "CreateSource"
        case .getSource: "GetSource"
        case .listSources: "ListSources"
        case .putBaseline: "PutBaseline"
        case .checkDrift: "CheckDrift"
        case .serverStats: "ServerStats"
        case .ingest: "Ingest"
        case .reportModelMetric: "ReportModelMetric"
        case .queryHistory: "QueryHistory"
        case .getSourceStatus: "GetSourceStatus"
        case .listBaselines: "ListBaselines"
        case .promoteBaseline: "PromoteBaseline"
        case .rollbackBaseline: "RollbackBaseline"
        case .acknowledgeWindow: "AcknowledgeWindow"
        case .performanceCorrelation: "PerformanceCorrelation"
        case .createSilence: "CreateSilence"
        case .expireSilence: "ExpireSilence"
        case .listAlerts: "ListAlerts"
        }
    }

    /// The supported `method_version` range.
    public var versions: ClosedRange<UInt16> { 1...1 }

    /// Whether a request for this method carries a `ColumnBlock` in its frame body (PutBaseline, CheckDrift, Ingest).
    public var carriesBlock: Bool { self == .putBaseline || self == .checkDrift || self == .ingest }

    /// The HELLO_ACK entry of this method.
    public var descriptor: MethodDescriptor {
        MethodDescriptor(id: UInt32(rawValue), name: name, minVersion: UInt32(versions.lowerBound),
                         maxVersion: UInt32(versions.upperBound))
    }

    /// All methods, in id order, for `HandshakeNegotiator.methods`.
    public static var descriptors: [MethodDescriptor] { allCases.map(\.descriptor) }

    /// The method named `name` (exact, case-sensitive), if any.
    public init?(name: String) {
        guard let m = MethodID.allCases.first(where: { $0.name == name }) else { return nil }
        self = m
    }

    /// True when this method implements `version`.
    public func supports(version: UInt16) -> Bool { versions.contains(version) }
}
