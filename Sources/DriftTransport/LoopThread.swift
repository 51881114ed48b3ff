import Glibc
import Synchronization

/// The thread running one `EventLoop` (shared by `FrameServer` and `HTTPServer`).
final class LoopThread: Sendable {
    /// The loop thread until it has been joined (or detached).
    private let thread: Mutex<pthread_t?>

    /// Creates the loop on `listenFD` and starts its thread; closes `listenFD` when that fails.
    init(listenFD fd: Int32, mailbox: Mailbox, driver: any LoopDriver, settings: EventLoop.Settings) throws(SocketError) {
        let loop: EventLoop
        do {
            loop = try EventLoop(listenFD: fd, mailbox: mailbox, driver: driver, settings: settings)
        } catch {
            Glibc.close(fd)
            throw error
        }
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { raw in
            let loop = Unmanaged<EventLoop>.fromOpaque(raw!).takeRetainedValue()
            loop.run()
            return nil
        }, Unmanaged.passRetained(loop).toOpaque())
        guard rc == 0 else {
            Unmanaged.passUnretained(loop).release()  // balance passRetained; the loop never ran
            Glibc.close(fd)
            throw SocketError(errno: rc, operation: "pthread_create")
        }
        thread = Mutex(tid)
    }

    /// Waits for the loop thread to end (after the mailbox asked it to stop); when called on the loop thread itself
    /// it detaches instead. Idempotent.
    func join() {
        guard let tid = thread.withLock({ t -> pthread_t? in defer { t = nil }; return t }) else { return }
        if pthread_equal(tid, pthread_self()) != 0 {
            pthread_detach(tid)
        } else {
            pthread_join(tid, nil)
        }
    }
}
