/// Whether an alert would be notified now.
public enum AlertMuteState: Sendable, Equatable {
    case active
    /// Muted by these active silences (ids, in the dispatcher's order).
    case silenced([String])
    /// Muted by an inhibition rule (a firing source alert); checked only when no silence mutes it.
    case inhibited
}
