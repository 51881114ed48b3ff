import DriftWire

/// A call awaiting its RESPONSE.
struct PendingCall: Sendable {
    var sink: CallSink
    var method: MethodID
    var budgetMs: UInt32
    var timeoutMs: UInt64
    /// Monotonic nanoseconds: budget + grace after registration.
    var deadline: UInt64
}

/// A PING awaiting its PONG.
struct PendingPing: Sendable {
    var sink: CallSink
    var deadline: UInt64
}

/// The streams of one connection; guarded by the connection's `ConditionLock`.
struct StreamTable {
    enum Entry {
        case active(PendingCall)
        /// Failed locally and CANCELled: holds its slot until the late response or `releaseAt`.
        case cancelled(releaseAt: UInt64)
    }

    var nextStreamID: UInt32 = 1
    var streams: [UInt32: Entry] = [:]
    var pings: [UInt64: PendingPing] = [:]
    var nextPingPayload: UInt64 = 1
    var lastPingSentAt: UInt64?
    var goAway: GoAway?
    /// Set once, when the connection fails or is closed.
    var failure: DriftClientError?
    /// The soonest deadline among streams and pings (`.max` when none): when the reader must look.
    var earliestDeadline: UInt64 = .max

    /// No failure, no GOAWAY, stream ids not exhausted.
    var canOpenStream: Bool { failure == nil && goAway == nil && nextStreamID != 0 }

    func unusableReason(_ endpoint: String) -> DriftClientError {
        if let failure { return failure }
        if let goAway {
            let why = goAway.message.isEmpty ? goAway.status.name : "\(goAway.status.name): \(goAway.message)"
            return DriftClientError(status: .unavailable,
                                    message: "driftd at \(endpoint) sent GOAWAY (\(why)); the connection takes no new requests",
                                    origin: .server,
                                    retryAfterMs: goAway.retryAfterMs == 0 ? nil : UInt32(clamping: goAway.retryAfterMs),
                                    retryable: true)
        }
        return DriftClientError(status: .unavailable, message: "stream ids of the connection to \(endpoint) are used up",
                                origin: .local, retryable: true)
    }
}
