/// Seeded generators shared by the kernel tests; `tools/gen_fixtures.py` implements the same ones in numpy.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A value in 0 ..< n (n > 0; modulo bias is irrelevant for tests).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

public enum TestData {
    /// Sum of four uniforms minus 2, plus `shift`; with `ties`, rounded down to multiples of 1/8.
    /// Bit-identical to `irwin_hall` in tools/gen_fixtures.py.
    public static func irwinHall(seed: UInt64, count: Int, shift: Double = 0, ties: Bool = false) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let u0 = rng.uniform(), u1 = rng.uniform(), u2 = rng.uniform(), u3 = rng.uniform()
            var x = (((u0 + u1) + u2) + u3) - 2.0 + shift
            if ties { x = (x * 8).rounded(.down) / 8 }
            return x
        }
    }

    /// Seeded standard normals (Box–Muller) for property tests.
    public static func normal(seed: UInt64, count: Int, mean: Double = 0, sd: Double = 1) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let u1 = rng.uniform() + 0x1p-54, u2 = rng.uniform()
            return mean + sd * (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
        }
    }
}

#if canImport(Glibc)
import Glibc
private func _log(_ x: Double) -> Double { log(x) }
private func _cos(_ x: Double) -> Double { cos(x) }
#endif

/// |a − b| <= abs + rel·|b|, with equal infinities and NaN == NaN accepted.
public func close(_ a: Double, _ b: Double, abs: Double = 0, rel: Double = 1e-12) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return Swift.abs(a - b) <= abs + rel * Swift.abs(b)
}
