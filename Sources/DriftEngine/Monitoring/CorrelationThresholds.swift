/// How a change of a declared pair's Pearson correlation is graded: Fisher z significant (after
/// Benjamini–Hochberg across the source-window's pairs at q when on, else raw p < the source defaults' α) **and**
/// |Δr| at or above a threshold.
///
/// | setting | default | why |
/// |---|---|---|
/// | `warning` | \|Δr\| ≥ 0.1 | 0.1 is Cohen's "small" correlation: a relation that moved by as much as a whole small correlation has changed for a model that uses both features; the standard error of r on a 1 000-row window is ≈ (1 − r²)/√n ≤ 0.032, so 0.1 is ≥ 3 SE and the gate is not noise |
/// | `critical` | \|Δr\| ≥ 0.2 | twice the warning, the benchmark flip 0.6 → 0.3 (Δr = 0.3) is critical |
/// | `info` | \|Δr\| ≥ 0.05 | half the warning, shown in history only |
/// | `minimumRows` | 30 complete rows per side | the policy's minimum sample; Fisher z needs > 3, but below ~30 its normal approximation and r itself are too rough to grade |
public struct CorrelationThresholds: Sendable, Equatable {
    public var info = 0.05
    public var warning = 0.1
    public var critical = 0.2
    public var minimumRows = 30

    public init() {}
}
