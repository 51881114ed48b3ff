/// What one window says about one signal, before persistence (``FeatureStatusTracker``) is applied.
public enum WindowDecision: String, Sendable, Equatable, Codable {
    /// Significant (after Benjamini–Hochberg when on) and material: severity warning or critical.
    case drifting
    /// Tested and not drifting (severity none or info).
    case clean
    /// Too little data to test (fewer than the minimum sample on a side, no p-value, undefined correlation):
    /// neither drifting nor clean, so it leaves the hysteresis counters as they are.
    case insufficientData = "insufficient_data"
}
