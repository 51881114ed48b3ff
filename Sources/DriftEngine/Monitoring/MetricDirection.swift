/// Which way a model metric gets worse.
public enum MetricDirection: String, Sendable, Equatable, Codable {
    /// Accuracy, AUC, F1: a drop is a degradation.
    case higherIsBetter = "higher_is_better"
    /// RMSE, log loss, error rate: a rise is a degradation.
    case lowerIsBetter = "lower_is_better"

    /// +1 when larger values are worse, −1 otherwise: ρ(drift, metric) × this is ρ(drift, degradation).
    public var degradationSign: Double { self == .lowerIsBetter ? 1 : -1 }
}
