/// The effect sizes at or above which a significant finding below the warning thresholds is graded
/// ``MonitoringSeverity/info``. Half of each warning default: PSI 0.05 and W/σ 0.05 are the "noticeable but not
/// yet a shift" band (a 0.05σ location change), JS 0.05 the same for categories, one point of null rate is the
/// smallest change a user reading a history would want to see.
public struct InfoThresholds: Sendable, Equatable {
    public var psi = 0.05
    public var normedWasserstein = 0.05
    public var jensenShannon = 0.05
    public var nullRateChange = 0.01

    public init() {}
}
