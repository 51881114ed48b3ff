import DriftColumnar
import DriftEngine
import DriftKernels

#if canImport(Glibc)
import Glibc
#endif

/// `driftctl compare BASELINE.csv CURRENT.csv`: compares two CSV files column by column, offline.
enum CompareCommand {
    static let usage = """
        USAGE: driftctl compare BASELINE.csv CURRENT.csv [--json] [--bins N] [options]

        Compares two CSV files column by column (no server needed). Header row required; numeric columns are
        compared as numbers (KS, PSI, Wasserstein), other columns as categories (chi-square, PSI, Jensen–Shannon);
        empty, NA, N/A, null, NULL, NaN are nulls (null rates are tested too).

        OPTIONS:
          --json                   one JSON document instead of the table
          --bins N                 interior quantile bins frozen from the baseline (1-1000, default 10)
          --alpha X                significance level of every test (default 0.01)
          --psi-warning X          PSI for a warning (default 0.1)      --psi-critical X   (default 0.25)
          --wasserstein-warning X  W/σ for a warning (default 0.1)      --wasserstein-critical X (default 0.5)
          --js-warning X           Jensen–Shannon for a warning (0.1)   --js-critical X    (default 0.2)
          --null-warning X         |Δ null rate| for a warning (0.05)   --null-critical X  (default 0.2)
          --min-n N                fewest non-null values per side to test a distribution (default 30)
          --threads N              columns compared in parallel (default 2)
          -h, --help               this text

        EXIT STATUS: 0 no drift, 1 drift found, 2 usage or input error.

        """

    static func run(_ args: [String]) -> Never {
        var files: [String] = []
        var asJSON = false
        var bins = QuantileBins.defaultBinCount
        var threads = 2
        var policy = DriftPolicy()

        func number(_ flag: String, _ value: String?, _ range: ClosedRange<Double>) -> Double {
            guard let value, let x = Double(value), range.contains(x) else {
                Output.fail("\(flag) needs a number in \(range.lowerBound)…\(range.upperBound)")
            }
            return x
        }

        var i = 0
        while i < args.count {
            let a = args[i]
            let next: String? = i + 1 < args.count ? args[i + 1] : nil
            var consumed = 2
            switch a {
            case "--json": asJSON = true; consumed = 1
            case "--bins": bins = Int(number(a, next, 1...Double(QuantileBins.maximumBinCount)))
            case "--threads": threads = Int(number(a, next, 1...256))
            case "--alpha": policy.significanceLevel = number(a, next, 0...1)
            case "--psi-warning": policy.psiWarning = number(a, next, 0...Double.greatestFiniteMagnitude)
            case "--psi-critical": policy.psiCritical = number(a, next, 0...Double.greatestFiniteMagnitude)
            case "--wasserstein-warning": policy.wassersteinWarning = number(a, next, 0...Double.greatestFiniteMagnitude)
            case "--wasserstein-critical": policy.wassersteinCritical = number(a, next, 0...Double.greatestFiniteMagnitude)
            case "--js-warning": policy.jensenShannonWarning = number(a, next, 0...1)
            case "--js-critical": policy.jensenShannonCritical = number(a, next, 0...1)
            case "--null-warning": policy.nullRateWarning = number(a, next, 0...1)
            case "--null-critical": policy.nullRateCritical = number(a, next, 0...1)
            case "--min-n": policy.minimumSampleSize = Int(number(a, next, 1...1e12))
            default:
                if a.hasPrefix("-") && a != "-" { Output.fail("unknown option '\(a)'; try driftctl --help") }
                files.append(a)
                consumed = 1
            }
            i += consumed
        }
        guard files.count == 2 else { Output.fail("compare needs BASELINE.csv and CURRENT.csv (got \(files.count) files)") }

        let pair: CSVPair
        do {
            pair = try CSVPair.load(baseline: files[0], current: files[1])
        } catch {
            Output.fail(error.description)
        }

        var pairs: [ColumnPair] = []
        for (b, c) in zip(pair.baseline.columns, pair.current.columns) {
            switch (b, c) {
            case (.numeric(let name, let bv), .numeric(_, let cv)):
                pairs.append(.numeric(name: name, baseline: bv, current: cv))
            case (.categorical(let name, let bc, let dict), .categorical(_, let cc, _)):
                pairs.append(.categorical(name: name, baseline: bc, current: cc, dictionarySize: dict.count))
            default:
                Output.fail("internal error: column '\(b.name)' has different kinds in the two files")
            }
        }
        let report = ComparisonReport(
            baselineName: files[0], currentName: files[1], baselineRows: pair.baseline.rowCount,
            currentRows: pair.current.rowCount, pairs: pairs, onlyInBaseline: pair.onlyInBaseline,
            onlyInCurrent: pair.onlyInCurrent, bins: bins, policy: policy, threads: threads)
        Output.emit(asJSON ? report.json + "\n" : report.table)
        exit(report.hasDrift ? 1 : 0)
    }
}
