import Glibc

/// Starts a detached POSIX thread (no Foundation `Thread` in library modules).
enum DetachedThread {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Runs `body` on a new detached thread.
    /// - Returns: false when the thread could not be created (`body` is then never run).
    @discardableResult
    static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        var tid = pthread_t()
        let box = Unmanaged.passRetained(Box(body))
        let rc = pthread_create(&tid, nil, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box.toOpaque())
        guard rc == 0 else {
            box.release()
            return false
        }
        pthread_detach(tid)
        return true
    }
}
