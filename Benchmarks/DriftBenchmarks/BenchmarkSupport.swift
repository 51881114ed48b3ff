#if canImport(Glibc)
import Glibc
#endif

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Monotonic clock in seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// CPU time of the calling thread in seconds (unaffected by other processes taking the core away).
func threadCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Median wall time and median thread CPU time of `reps` runs of `body` (after one warm-up run).
func medianTime(reps: Int, _ body: () -> Void) -> (wall: Double, cpu: Double) {
    body()
    var wall: [Double] = [], cpu: [Double] = []
    for _ in 0..<reps {
        let t0 = now(), c0 = threadCPUTime()
        body()
        cpu.append(threadCPUTime() - c0)
        wall.append(now() - t0)
    }
    wall.sort()
    cpu.sort()
    return (wall[wall.count / 2], cpu[cpu.count / 2])
}

/// SplitMix64: seeded, reproducible data for benchmarks.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Standard normal by Box–Muller.
    mutating func normal() -> Double {
        let u1 = Double(next() >> 11) * 0x1p-53 + 0x1p-54
        let u2 = Double(next() >> 11) * 0x1p-53
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// Reads a raw little-endian float32 file.
func readFloat32File(_ path: String) -> [Float]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    fseek(f, 0, SEEK_END)
    let size = ftell(f)
    fseek(f, 0, SEEK_SET)
    var out = [Float](repeating: 0, count: size / 4)
    let read = out.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, f) }
    return read == size ? out : nil
}

/// Writes to standard error (fd 2) without touching the C `stderr` global.
func writeStderr(_ s: String) {
    var s = s
    s.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
