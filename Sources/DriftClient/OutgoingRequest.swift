import DriftWire

/// One request as the caller described it, before a stream id is assigned.
struct OutgoingRequest: Sendable {
    var method: MethodID
    var metadata: [UInt8]
    var body: EncodedBlock?
    /// The header's `deadline_ms` (0 = the server's default).
    var budgetMs: UInt32
}
