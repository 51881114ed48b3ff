#if canImport(Glibc)
import Glibc
#endif

let usage = """
    USAGE: drift-bench kernels [--sizes N,N,...] [--data-dir DIR] [--reps R] [--only K,K,...]
    Benchmarks the statistics kernels (release build: swift build -c release). See Benchmarks/README.md.
    """

var args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first, command == "kernels" else {
    writeStderr(usage + "\n")
    exit(args.first == "--help" || args.first == "-h" ? 0 : 2)
}
args.removeFirst()
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
