/// Decides whether a source meets its ``FreshnessSLA``. Pure: the caller passes the clock (`nowMs`), so the
/// server can run it on a timer, not only when data arrives, and tests can pin every boundary.
///
/// Rules (each only when its SLA field is set):
/// - event age: stale when now − newest event time **>** `maxEventAgeMs`; an age equal to the limit is still
///   fresh (the SLA is met up to and including its limit). An event time ahead of the clock gives a negative
///   age: fresh, with a reason, since clock skew is not staleness.
/// - arrival interval: stale when now − last arrival **>** `maxArrivalIntervalMs` ("a batch at least every
///   interval": a batch exactly one interval after the last one is on time).
/// - no event / no arrival yet: that rule is broken — nothing shows the SLA is met, and a source that never
///   delivers is the outage freshness exists to catch.
/// Ages saturate at the Int64 range instead of overflowing (hostile or corrupt times).
public struct FreshnessEvaluator: Sendable, Equatable {
    public var sla: FreshnessSLA

    public init(sla: FreshnessSLA) { self.sla = sla }

    public func evaluate(newestEventMs: Int64?, lastArrivalMs: Int64?, nowMs: Int64) -> FreshnessVerdict {
        var broken: [FreshnessRule] = [], reasons: [String] = []
        let eventAge = newestEventMs.map { Self.age(now: nowMs, then: $0) }
        let arrivalAge = lastArrivalMs.map { Self.age(now: nowMs, then: $0) }
        if let limit = sla.maxEventAgeMs {
            if let age = eventAge {
                if age > limit {
                    broken.append(.eventAge)
                    reasons.append("newest event is \(Self.duration(age)) old, more than the SLA's \(Self.duration(limit))")
                } else if age < 0 {
                    reasons.append("newest event time lies \(Self.duration(0 &- Swift.max(age, -Int64.max))) ahead of the clock")
                }
            } else {
                broken.append(.eventAge)
                reasons.append("no event seen yet (SLA: newest event at most \(Self.duration(limit)) old)")
            }
        }
        if let limit = sla.maxArrivalIntervalMs {
            if let age = arrivalAge {
                if age > limit {
                    broken.append(.arrivalInterval)
                    reasons.append("last batch arrived \(Self.duration(age)) ago, more than the SLA's \(Self.duration(limit))")
                }
            } else {
                broken.append(.arrivalInterval)
                reasons.append("no batch arrived yet (SLA: one at least every \(Self.duration(limit)))")
            }
        }
        return FreshnessVerdict(brokenRules: broken, eventAgeMs: eventAge, arrivalAgeMs: arrivalAge, sla: sla,
                                nowMs: nowMs, reasons: reasons)
    }

    /// now − then, saturated to the Int64 range.
    static func age(now: Int64, then: Int64) -> Int64 {
        let (difference, overflow) = now.subtractingReportingOverflow(then)
        guard overflow else { return difference }
        return now > then ? .max : .min
    }

    /// "36 h 5 min", "12 s", "250 ms".
    static func duration(_ ms: Int64) -> String {
        if ms < 1000 { return "\(ms) ms" }
        let s = ms / 1000
        if s < 60 { return "\(s) s" }
        let m = s / 60
        if m < 60 { return "\(m) min" + (s % 60 == 0 ? "" : " \(s % 60) s") }
        let h = m / 60
        return "\(h) h" + (m % 60 == 0 ? "" : " \(m % 60) min")
    }
}
