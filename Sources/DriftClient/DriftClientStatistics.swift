/// What a `DriftClient` has done so far (monotonic counters plus the current in-flight count).
public struct DriftClientStatistics: Sendable, Equatable {
    /// REQUEST frames written.
    public var requestsSent: UInt64
    /// RESPONSE frames that completed a call (OK or not).
    public var responsesReceived: UInt64
    /// Calls failed locally with DEADLINE_EXCEEDED (each also sent a CANCEL).
    public var localTimeouts: UInt64
    /// Connections opened (handshake succeeded), the first one included.
    public var connectionsOpened: UInt64
    /// Stream slots in use now: calls awaiting a response, plus cancelled ones whose late response is still
    /// expected (they count against `maxConcurrentStreams` until it arrives or a grace period passes).
    public var inFlight: Int
    /// The most stream slots in use at once on one connection; never above the server's `maxConcurrentStreams`.
    public var peakInFlight: Int
}
