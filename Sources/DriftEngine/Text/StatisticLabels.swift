/// The names people use for tests and effect sizes — "KS D", "χ²", "PSI", "W/σ" — for the identifiers the engine
/// (`normed_wasserstein`, `two-proportion-z`) and the wire (`wasserstein_normed`, `null-rate`; `VerdictCodes` in the
/// server) give them. One table for verdict reasons, the dashboard and alert messages.
public enum StatisticLabels {
    /// An effect size's label: "PSI", "W/σ", "JS", "Δ null rate", "Δr"; "effect" for none; others unchanged.
    public static func effect(_ name: String) -> String {
        switch name {
        case "psi": "PSI"
        case "normed_wasserstein", "wasserstein_normed": "W/σ"
        case "jensen_shannon": "JS"
        case "null_rate_change", "null_rate_delta": "Δ null rate"
        case "correlation_change", "delta_r": "Δr"
        case "": "effect"
        default: name
        }
    }

    /// A test's statistic: "KS D", "χ²", "z"; "statistic" for none; others unchanged.
    public static func statistic(ofTest test: String) -> String {
        switch test {
        case "ks": "KS D"
        case "chi-square", "chi2": "χ²"
        case "two-proportion-z", "null-rate", "fisher-z": "z"
        case "": "statistic"
        default: test
        }
    }
}
