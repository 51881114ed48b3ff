#if canImport(Glibc)
import Glibc
#endif

let usage = """
    USAGE: drift-bench kernels [--sizes N,N,...] [--data-dir DIR] [--reps R] [--only K,K,...]
           drift-bench compare [--pairs N:M,N:M,...] [--reps R]
    Benchmarks the statistics kernels, or the exact against the binned (approximate) KS path per check
    (release build: swift build -c release). See Benchmarks/README.md.
    """

var args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first, command == "kernels" || command == "compare" else {
    writeStderr(usage + "\n")
    exit(args.first == "--help" || args.first == "-h" ? 0 : 2)
}
args.removeFirst()
if command == "compare" {
    var compare = CompareBenchmarks()
    while !args.isEmpty {
        let flag = args.removeFirst()
        guard let value = args.first else {
            writeStderr("drift-bench: \(flag) needs a value\n\(usage)\n")
            exit(2)
        }
        args.removeFirst()
        switch flag {
        case "--pairs":
            let pairs = value.split(separator: ",").compactMap { pair -> (n: Int, m: Int)? in
                let parts = pair.split(separator: ":").compactMap { Double($0).map { Int($0) } }
                return parts.count == 2 && parts.allSatisfy({ $0 > 0 }) ? (parts[0], parts[1]) : nil
            }
            guard !pairs.isEmpty else {
                writeStderr("drift-bench: bad --pairs \(value)\n")
                exit(2)
            }
            compare.pairs = pairs
        case "--reps": compare.reps = Int(value)
        default:
            writeStderr("drift-bench: unknown option \(flag)\n\(usage)\n")
            exit(2)
        }
    }
    compare.run()
    exit(0)
}
var bench = KernelBenchmarks()
while !args.isEmpty {
    let flag = args.removeFirst()
    guard let value = args.first else {
        writeStderr("drift-bench: \(flag) needs a value\n\(usage)\n")
        exit(2)
    }
    args.removeFirst()
    switch flag {
    case "--sizes":
        let sizes = value.split(separator: ",").compactMap { Double($0).map { Int($0) } }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else {
            writeStderr("drift-bench: bad --sizes \(value)\n")
            exit(2)
        }
        bench.sizes = sizes
    case "--data-dir": bench.dataDirectory = value
    case "--reps": bench.reps = Int(value)
    case "--only": bench.only = Set(value.split(separator: ",").map(String.init))
    default:
        writeStderr("drift-bench: unknown option \(flag)\n\(usage)\n")
        exit(2)
    }
}
bench.run()
