import DriftTransport
import DriftWire
import Synchronization

/// One handshaken connection: its requests in flight (by stream id), the highest stream id received, whether it
/// is draining, and its baseline uploads in progress (an upload belongs to one connection, PROTOCOL §13).
final class Session: Sendable {
    struct State {
        var streams: [UInt32: RequestTicket] = [:]
        var highestStreamID: UInt32 = 0
        /// The highest stream id answered so far (a connection error's GOAWAY names it, PROTOCOL §12).
        var highestAnsweredID: UInt32 = 0
        /// GOAWAY was sent: new requests are ignored; the connection closes when `streams` is empty.
        var draining = false
        var uploads: [String: BaselineUpload] = [:]
    }

    let connection: ConnectionHandle
    let state = Mutex(State())

    init(connection: ConnectionHandle) { self.connection = connection }
}

/// The life of one request, shared by the loop thread (CANCEL) and the worker running it, so that exactly one
/// RESPONSE is sent:
///
///     queued ──start()──► running ──finish()──► done      (the worker answers with its result)
///        │                   │
///        └──cancel()──► cancelled ◄──cancel()─┘            (queued: the canceller answers CANCELLED at once;
///                                                          running: the worker sees it, answers CANCELLED)
final class RequestTicket: Sendable {
    private static let queued: UInt8 = 0, running: UInt8 = 1, cancelled: UInt8 = 2, done: UInt8 = 3
    private let phase = Atomic<UInt8>(RequestTicket.queued)
    let streamID: UInt32
    /// The request id its RESPONSE and log lines carry (see `RequestIDs`).
    let requestID: String
    /// When the REQUEST was decoded (the request latency counts from here).
    let arrived: ContinuousClock.Instant

    init(streamID: UInt32, requestID: String = "", arrived: ContinuousClock.Instant = .now) {
        self.streamID = streamID
        self.requestID = requestID
        self.arrived = arrived
    }

    /// queued → running; false if the request was cancelled first.
    func start() -> Bool {
        phase.compareExchange(expected: Self.queued, desired: Self.running, ordering: .acquiringAndReleasing).exchanged
    }

    /// running → done; false if it was cancelled while running (the worker then answers CANCELLED).
    func finish() -> Bool {
        phase.compareExchange(expected: Self.running, desired: Self.done, ordering: .acquiringAndReleasing).exchanged
    }

    var isCancelled: Bool { phase.load(ordering: .acquiring) == Self.cancelled }

    enum CancelOutcome { case wasQueued, wasRunning, alreadyFinished }

    /// Marks the request cancelled. `.wasQueued`: nobody will answer it unless the caller does.
    func cancel() -> CancelOutcome {
        if phase.compareExchange(expected: Self.queued, desired: Self.cancelled, ordering: .acquiringAndReleasing).exchanged {
            return .wasQueued
        }
        if phase.compareExchange(expected: Self.running, desired: Self.cancelled, ordering: .acquiringAndReleasing).exchanged {
            return .wasRunning
        }
        return .alreadyFinished
    }
}
