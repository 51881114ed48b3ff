/// Which freshness rule a source broke.
public enum FreshnessRule: String, Sendable, Equatable, Codable, CaseIterable {
    /// The newest event is older than ``FreshnessSLA/maxEventAgeMs`` (or no event was ever seen).
    case eventAge = "event_age"
    /// No batch arrived within ``FreshnessSLA/maxArrivalIntervalMs`` (or none ever arrived).
    case arrivalInterval = "arrival_interval"
}
