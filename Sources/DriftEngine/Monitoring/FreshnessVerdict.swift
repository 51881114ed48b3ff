/// The freshness of one source at one moment.
public struct FreshnessVerdict: Sendable, Equatable {
    /// At least one rule is broken.
    public var isStale: Bool { !brokenRules.isEmpty }
    /// The broken rules, in ``FreshnessRule`` order.
    public var brokenRules: [FreshnessRule]
    /// now − newest event time (ms; negative when the event time lies ahead of the clock); nil when no event
    /// was seen. Saturates at the Int64 range.
    public var eventAgeMs: Int64?
    /// now − last arrival (ms); nil when nothing arrived.
    public var arrivalAgeMs: Int64?
    /// The SLA decided against.
    public var sla: FreshnessSLA
    public var nowMs: Int64
    public var reasons: [String]

    public init(brokenRules: [FreshnessRule], eventAgeMs: Int64?, arrivalAgeMs: Int64?, sla: FreshnessSLA,
                nowMs: Int64, reasons: [String]) {
        self.brokenRules = brokenRules
        self.eventAgeMs = eventAgeMs
        self.arrivalAgeMs = arrivalAgeMs
        self.sla = sla
        self.nowMs = nowMs
        self.reasons = reasons
    }
}
