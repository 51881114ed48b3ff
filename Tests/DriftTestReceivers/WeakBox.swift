/// A weak reference to a test receiver for its listener's handler, so dropping the receiver stops it (set once,
/// right after the listener starts and before any client knows the port).
final class WeakBox<Server: AnyObject>: @unchecked Sendable {
    weak var server: Server?
}
