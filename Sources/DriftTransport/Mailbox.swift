import CEpoll
import DriftWire
import Glibc
import Synchronization

/// The cross-thread half of the event loop: outbound queues, close requests and the stop flag, under one lock,
/// plus the eventfd that wakes the loop.
///
///     any thread ── send/close ──► [ Mutex<State> ] ──► eventfd write (only if the loop may be asleep)
///     loop thread ◄── takeWork() ──┘                          │
///         ▲──────────────────── epoll_wait wakes ◄────────────┘
///
/// `loopAwake` is true from the moment `epoll_wait` returns until the loop takes the pending work just before
/// sleeping again; while it is true no eventfd write is needed, so frames sent by a handler cost no syscall.
final class Mailbox: Sendable {
    /// How the loop should close a connection.
    enum CloseKind: Sendable { case graceful, abort }

    /// The queue of one open connection. `queuedBytes` counts bytes handed to `send` and not yet written to the
    /// socket, including those the loop has moved into the connection's write buffer.
    struct Outbox {
        var chunks: [[UInt8]] = []
        var queuedBytes = 0
        var isDirty = false
        /// `close()` was called: later sends are refused.
        var isClosed = false
    }

    struct State {
        var outboxes: [UInt64: Outbox] = [:]
        var dirty: [UInt64] = []
        var closeRequests: [(UInt64, CloseKind)] = []
        var loopAwake = true
        var stopRequested = false
        var stopAcceptingRequested = false
        /// Connections the handler established since the loop last looked (loop-thread calls only).
        var established: Set<UInt64> = []
    }

    /// Work handed to the loop in one batch.
    struct Work {
        var sends: [(UInt64, [[UInt8]])] = []
        var closes: [(UInt64, CloseKind)] = []
        var stop = false
        var stopAccepting = false
    }

    let eventFD: Int32
    private let maxQueuedBytes: Int
    private let encoder: FrameEncoder
    private let state = Mutex(State())

    init(maxQueuedBytes: Int, limits: FrameLimits) throws(SocketError) {
        self.eventFD = try SocketError.check(eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)), "eventfd")
        self.maxQueuedBytes = maxQueuedBytes
        self.encoder = FrameEncoder(limits: limits)
    }

    /// The eventfd lives as long as any `ConnectionHandle` does, so a late `send` never writes to a reused fd.
    deinit { Glibc.close(eventFD) }

    // MARK: Any thread

    func send(_ frame: Frame, to id: UInt64) -> Bool {
        guard let bytes = try? encoder.encode(frame) else { return false }
        return send(bytes: bytes, to: id)
    }

    /// Queues bytes already encoded (HTTP responses); the same queue limit as frames.
    func send(bytes: [UInt8], to id: UInt64) -> Bool {
        let (queued, wake) = state.withLock { s -> (Bool, Bool) in
            guard !s.stopRequested, let i = s.outboxes.index(forKey: id), !s.outboxes.values[i].isClosed else {
                return (false, false)
            }
            let total = s.outboxes.values[i].queuedBytes + bytes.count
            if total > maxQueuedBytes {
                s.outboxes.remove(at: i)
                s.closeRequests.append((id, .abort))
                return (false, s.claimWake())
            }
            s.outboxes.values[i].queuedBytes = total
            s.outboxes.values[i].chunks.append(bytes)
            if !s.outboxes.values[i].isDirty {
                s.outboxes.values[i].isDirty = true
                s.dirty.append(id)
            }
            return (true, s.claimWake())
        }
        if wake { self.wake() }
        return queued
    }

    func requestClose(_ id: UInt64, graceful: Bool) {
        let wake = state.withLock { s -> Bool in
            guard !s.stopRequested, let i = s.outboxes.index(forKey: id), !s.outboxes.values[i].isClosed else {
                return false
            }
            s.outboxes.values[i].isClosed = true
            s.closeRequests.append((id, graceful ? .graceful : .abort))
            return s.claimWake()
        }
        if wake { self.wake() }
    }

    /// Asks the loop to close its listener (open connections stay). Idempotent.
    func requestStopAccepting() {
        let wake = state.withLock { s -> Bool in
            guard !s.stopAcceptingRequested else { return false }
            s.stopAcceptingRequested = true
            return s.claimWake()
        }
        if wake { self.wake() }
    }

    func markEstablished(_ id: UInt64) {
        state.withLock { _ = $0.established.insert(id) }
    }

    /// True once (and then forgotten) if the handler marked `id` established.
    func takeEstablished(_ id: UInt64) -> Bool {
        state.withLock { $0.established.remove(id) != nil }
    }

    /// Asks the loop to exit. Returns false if a stop was already requested.
    func requestStop() -> Bool {
        let first = state.withLock { s -> Bool in
            defer { s.stopRequested = true }
            return !s.stopRequested
        }
        if first { wake() }
        return first
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(eventFD, &one, MemoryLayout<UInt64>.size)
    }

    // MARK: Loop thread

    func register(_ id: UInt64) {
        state.withLock { $0.outboxes[id] = Outbox() }
    }

    /// Forgets the connection; returns the chunks still queued (for a graceful close to write).
    func unregister(_ id: UInt64) -> [[UInt8]] {
        state.withLock { s in
            s.established.remove(id)
            return s.outboxes.removeValue(forKey: id)?.chunks ?? []
        }
    }

    /// `count` bytes of `id`'s queue reached the socket.
    func wrote(_ count: Int, for id: UInt64) {
        state.withLock { s in
            if let i = s.outboxes.index(forKey: id) { s.outboxes.values[i].queuedBytes -= count }
        }
    }

    /// Called right after `epoll_wait` returns: sends from now on need no wake-up.
    func loopDidWake() {
        state.withLock { $0.loopAwake = true }
    }

    /// Takes everything pending and marks the loop as about to sleep (later sends will write the eventfd).
    func takeWork() -> Work {
        state.withLock { s in
            var work = Work()
            work.stop = s.stopRequested
            work.stopAccepting = s.stopAcceptingRequested
            for id in s.dirty {
                guard let i = s.outboxes.index(forKey: id) else { continue }
                work.sends.append((id, s.outboxes.values[i].chunks))
                s.outboxes.values[i].chunks = []
                s.outboxes.values[i].isDirty = false
            }
            s.dirty.removeAll(keepingCapacity: true)
            work.closes = s.closeRequests
            s.closeRequests.removeAll(keepingCapacity: true)
            s.loopAwake = false
            return work
        }
    }

    /// Drains the eventfd counter after it fired.
    func acknowledgeWake() {
        var value: UInt64 = 0
        _ = read(eventFD, &value, MemoryLayout<UInt64>.size)
    }
}

extension Mailbox.State {
    /// True when the caller must write the eventfd (the loop may be asleep); marks the loop as woken.
    fileprivate mutating func claimWake() -> Bool {
        if loopAwake { return false }
        loopAwake = true
        return true
    }
}
