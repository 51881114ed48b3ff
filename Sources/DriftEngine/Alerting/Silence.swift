/// A time-bounded mute: while active, alerts matched by all of its matchers are not notified.
///
/// Active on `[startsAtMs, endsAtMs)`: from the start inclusive to the end exclusive, so a silence "expired"
/// at `t` (its end set to `t`) no longer mutes at `t`.
public struct Silence: Sendable, Equatable {
    public var id: String
    public var matchers: [Matcher]
    public var startsAtMs: Int64
    public var endsAtMs: Int64
    public var createdBy: String
    public var comment: String

    public init(id: String, matchers: [Matcher], startsAtMs: Int64, endsAtMs: Int64, createdBy: String,
                comment: String) {
        self.id = id
        self.matchers = matchers
        self.startsAtMs = startsAtMs
        self.endsAtMs = endsAtMs
        self.createdBy = createdBy
        self.comment = comment
    }

    /// `startsAtMs ≤ nowMs < endsAtMs`.
    public func isActive(atMs nowMs: Int64) -> Bool { startsAtMs <= nowMs && nowMs < endsAtMs }

    /// Active at `nowMs` and every matcher matches.
    public func mutes(_ labels: [String: String], atMs nowMs: Int64) -> Bool {
        isActive(atMs: nowMs) && Matcher.all(matchers, match: labels)
    }

    /// The same silence ended at `nowMs` (no effect on one that already ended; one that has not started yet
    /// ends at its start, i.e. never takes effect).
    public func expired(atMs nowMs: Int64) -> Silence {
        var s = self
        s.endsAtMs = Swift.max(startsAtMs, Swift.min(endsAtMs, nowMs))
        return s
    }

    /// Alertmanager's checks: a non-empty id, at least one matcher, at least one matcher that does not match
    /// the empty string (otherwise the silence would mute every alert lacking that label), and an end after the
    /// start.
    public func validate() throws(AlertConfigError) {
        if id.isEmpty { throw AlertConfigError(path: "id", message: "empty silence id") }
        if matchers.isEmpty { throw AlertConfigError(path: "matchers", message: "a silence needs at least one matcher") }
        if matchers.allSatisfy({ $0.matches(value: "") }) {
            throw AlertConfigError(path: "matchers", message: "at least one matcher must not match the empty string")
        }
        if endsAtMs <= startsAtMs { throw AlertConfigError(path: "endsAt", message: "the end must be after the start") }
    }
}
