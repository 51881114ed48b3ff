/// The thresholds a window verdict was decided with, stored with it so a user can see why it fired.
public struct VerdictThresholds: Sendable, Equatable {
    /// The level the (adjusted) p-value was compared with: q when Benjamini–Hochberg was on, else α.
    public var significance: Double
    /// Whether `significance` applied to BH-adjusted p-values.
    public var benjaminiHochberg: Bool
    /// Effect thresholds of the effect named in the verdict (nil for checks without an effect, e.g. freshness).
    public var info: Double?
    public var warning: Double?
    public var critical: Double?

    public init(significance: Double, benjaminiHochberg: Bool, info: Double? = nil, warning: Double? = nil,
                critical: Double? = nil) {
        self.significance = significance
        self.benjaminiHochberg = benjaminiHochberg
        self.info = info
        self.warning = warning
        self.critical = critical
    }
}
