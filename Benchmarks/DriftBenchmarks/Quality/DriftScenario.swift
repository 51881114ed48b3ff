/// A stream that changes at window `onset` and stays changed. The same definitions as
/// `tools/quality_evidently.py`. Before the onset every scenario is its null stream: N(0, 1) for the numeric
/// ones, the 8-category distribution of ``NullScenario/categorical``, and for the correlation flip a pair
/// (x, y) of N(0, 1) features with correlation 0.6.
enum DriftScenario: Equatable {
    /// N(δ, 1) after the onset (δ in baseline σ).
    case meanShift(Double)
    /// N(0, f²) after the onset.
    case scaleChange(Double)
    /// N(0, 1) with this share of nulls after the onset (none before).
    case nullSurge(Double)
    /// The two most frequent categories swap their probabilities.
    case categorySwap
    /// A category unseen in the baseline takes this share (the others scaled down).
    case newCategory(Double)
    /// The correlation of a declared pair (x, y) goes from `from` to `to`; both marginals stay N(0, 1).
    case correlationFlip(from: Double, to: Double)

    /// The scenarios of the brief.
    static let all: [DriftScenario] = [
        .meanShift(0.1), .meanShift(0.2), .meanShift(0.3), .meanShift(0.5), .scaleChange(1.5), .nullSurge(0.3),
        .categorySwap, .newCategory(0.05), .correlationFlip(from: 0.6, to: 0.3),
    ]

    /// The name used in the JSON lines (the same as the Python reference's).
    var name: String {
        switch self {
        case .meanShift: "mean_shift"
        case .scaleChange: "scale_change"
        case .nullSurge: "null_surge"
        case .categorySwap: "category_swap"
        case .newCategory: "new_category"
        case .correlationFlip: "correlation_flip"
        }
    }

    /// The size of the change (0 for the category swap; the correlation after the flip).
    var parameter: Double {
        switch self {
        case .meanShift(let d), .scaleChange(let d), .nullSurge(let d), .newCategory(let d): d
        case .categorySwap: 0
        case .correlationFlip(_, let to): to
        }
    }

    var isCategorical: Bool {
        switch self {
        case .categorySwap, .newCategory: true
        default: false
        }
    }

    /// The monitored feature's values in one window (`changed`: at or after the onset), or of the baseline.
    /// Not for the correlation flip (``pair(rows:changed:rng:)``).
    func column(rows: Int, changed: Bool, rng: inout SplitMix64) -> SimulatedColumn {
        if isCategorical {
            var p = NullScenario.categoryProbabilities
            var dictionarySize = 8
            if changed {
                switch self {
                case .categorySwap: p.swapAt(0, 1)
                case .newCategory(let share):
                    p = p.map { $0 * (1 - share) } + [share]
                    dictionarySize = 9
                default: break
                }
            }
            let cdf = NullScenario.cumulative(p)
            return .categorical((0..<rows).map { _ in rng.category(cumulative: cdf) }, dictionarySize: dictionarySize)
        }
        return .numeric((0..<rows).map { _ in
            let x = rng.normal()
            guard changed else { return x }
            switch self {
            case .meanShift(let d): return x + d
            case .scaleChange(let f): return x * f
            case .nullSurge(let share): return rng.uniform() < share ? .nan : x
            default: return x
            }
        })
    }

    /// The pair (x, y) of the correlation flip: y = r·x + √(1 − r²)·z with r = `from`, or `to` when `changed`.
    func pair(rows: Int, changed: Bool, rng: inout SplitMix64) -> (x: [Double], y: [Double]) {
        guard case .correlationFlip(let from, let to) = self else { preconditionFailure("not a correlation flip") }
        let r = changed ? to : from, s = (1 - r * r).squareRoot()
        var x = [Double](repeating: 0, count: rows), y = x
        for i in 0..<rows {
            x[i] = rng.normal()
            y[i] = r * x[i] + s * rng.normal()
        }
        return (x, y)
    }
}
