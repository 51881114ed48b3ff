#if canImport(Glibc)
import Glibc
#endif

let usage = """
    USAGE: drift-bench kernels [--sizes N,N,...] [--data-dir DIR] [--reps R] [--only K,K,...]
           drift-bench exact [--baseline N] [--current M,M,...] [--features F] [--reps R] [--only ROW,ROW,...]
           drift-bench compare [--pairs N:M,N:M,...] [--reps R]
           drift-bench history [--features F] [--windows W] [--batch-windows B] [--reps R] [--db PATH]
           drift-bench groupcommit [--submitters T] [--ingests N] [--state-bytes B] [--dir DIR]
           drift-bench quality [--quick] [--sizes N,N,...] [--seed S] [--threads T]
    kernels: the statistics kernels at n = m. exact: per-feature exact comparison of current blocks of m values
    against a stored baseline of n values (merge vs indexed baseline; defaults n = 1e6, m = 1e4,1e5,1e6, F = 1).
    compare: the exact against the binned (approximate) KS path per check.
    history: fill a fresh store with W hourly windows of verdicts for F features (defaults 1000 x 8760), time the
    typical history queries, print bytes per row. groupcommit: durable small ingests from T threads (N each), one
    commit per ingest vs group commit.
    quality: false alarms on null streams and detection delay on drift streams under the default monitoring
    policy (BH q = 0.01, k = 2, j = 2); one JSON line per case, then markdown tables. --quick: rough, ~1 minute.
    Release build: swift build -c release. See Benchmarks/README.md.
    """

/// Parses `--flag value` pairs, handing each to `apply`; exits with the usage on a missing value or unknown flag.
func parseOptions(_ args: [String], _ apply: (String, String) -> Bool) {
    var args = args
    while !args.isEmpty {
        let flag = args.removeFirst()
        guard let value = args.first else {
            writeStderr("drift-bench: \(flag) needs a value\n\(usage)\n")
            exit(2)
        }
        args.removeFirst()
        guard apply(flag, value) else {
            writeStderr("drift-bench: unknown option or bad value: \(flag) \(value)\n\(usage)\n")
            exit(2)
        }
    }
}

/// "1e6,10000" → [1000000, 10000]; nil unless every entry is a positive count.
func parseSizes(_ value: String) -> [Int]? {
    let sizes = value.split(separator: ",").compactMap { Double($0).map { Int($0) } }
    return sizes.isEmpty || !sizes.allSatisfy({ $0 > 0 }) ? nil : sizes
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "kernels":
    var bench = KernelBenchmarks()
    parseOptions(Array(args.dropFirst())) { flag, value in
        switch flag {
        case "--sizes": guard let s = parseSizes(value) else { return false }; bench.sizes = s
        case "--data-dir": bench.dataDirectory = value
        case "--reps": guard let r = Int(value), r > 0 else { return false }; bench.reps = r
        case "--only": bench.only = Set(value.split(separator: ",").map(String.init))
        default: return false
        }
        return true
    }
    bench.run()
case "exact":
    var bench = ExactCompareBenchmarks()
    parseOptions(Array(args.dropFirst())) { flag, value in
        switch flag {
        case "--baseline": guard let s = parseSizes(value), s.count == 1 else { return false }; bench.baselineSize = s[0]
        case "--current": guard let s = parseSizes(value) else { return false }; bench.currentSizes = s
        case "--features": guard let f = Int(value), f > 0 else { return false }; bench.features = f
        case "--only": bench.only = Set(value.split(separator: ",").map(String.init))
        case "--reps": guard let r = Int(value), r > 0 else { return false }; bench.reps = r
        default: return false
        }
        return true
    }
    bench.run()
case "compare":
    var bench = CompareBenchmarks()
    parseOptions(Array(args.dropFirst())) { flag, value in
        switch flag {
        case "--pairs":
            let pairs = value.split(separator: ",").compactMap { pair -> (n: Int, m: Int)? in
                let parts = pair.split(separator: ":").compactMap { Double($0).map { Int($0) } }
                return parts.count == 2 && parts.allSatisfy({ $0 > 0 }) ? (parts[0], parts[1]) : nil
            }
            guard !pairs.isEmpty else { return false }
            bench.pairs = pairs
        case "--reps": guard let r = Int(value), r > 0 else { return false }; bench.reps = r
        default: return false
        }
        return true
    }
    bench.run()
case "history":
    var bench = HistoryBenchmarks()
    parseOptions(Array(args.dropFirst())) { flag, value in
        switch flag {
        case "--features": guard let f = Int(value), f > 0 else { return false }; bench.features = f
        case "--windows": guard let w = Int(value), w > 0 else { return false }; bench.windows = w
        case "--batch-windows": guard let b = Int(value), b > 0 else { return false }; bench.windowsPerTransaction = b
        case "--reps": guard let r = Int(value), r > 0 else { return false }; bench.reps = r
        case "--db": bench.path = value
        default: return false
        }
        return true
    }
    bench.run()
case "groupcommit":
    var bench = GroupCommitBenchmarks()
    parseOptions(Array(args.dropFirst())) { flag, value in
        switch flag {
        case "--submitters": guard let t = Int(value), t > 0 else { return false }; bench.submitters = t
        case "--ingests": guard let n = Int(value), n > 0 else { return false }; bench.ingestsPerSubmitter = n
        case "--state-bytes": guard let b = Int(value), b >= 0 else { return false }; bench.stateBytes = b
        case "--dir": bench.directory = value
        default: return false
        }
        return true
    }
    bench.run()
case "quality":
    var bench = QualityBenchmarks()
    var rest = Array(args.dropFirst())
    if let i = rest.firstIndex(of: "--quick") {
        bench.quick = true
        rest.remove(at: i)
    }
    parseOptions(rest) { flag, value in
        switch flag {
        case "--sizes": guard let s = parseSizes(value) else { return false }; bench.sizes = s
        case "--seed": guard let s = UInt64(value) else { return false }; bench.seed = s
        case "--threads": guard let t = Int(value), t > 0 else { return false }; bench.threads = t
        default: return false
        }
        return true
    }
    bench.run()
default:
    writeStderr(usage + "\n")
    exit(args.first == "--help" || args.first == "-h" ? 0 : 2)
}
