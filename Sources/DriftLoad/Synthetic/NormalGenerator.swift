#if canImport(Glibc)
import Glibc
#endif

/// Seeded standard normal values: SplitMix64 uniforms through the Box–Muller transform (both outputs used).
/// The same seed always gives the same sequence, on every platform with IEEE doubles and a correctly rounded
/// `log`/`cos`/`sin` of glibc.
public struct NormalGenerator: Sendable {
    /// SplitMix64 state (Steele, Lea, Flood 2014), as `Tests/DriftTestSupport` and `tools/gen_fixtures.py`.
    public private(set) var state: UInt64
    private var spare: Double?

    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func nextBits() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(nextBits() >> 11) * 0x1p-53 }

    /// The next standard normal value.
    public mutating func next() -> Double {
        if let s = spare {
            spare = nil
            return s
        }
        let u1 = uniform() + 0x1p-54   // never 0: log stays finite
        let u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spare = r * sin(angle)
        return r * cos(angle)
    }

    /// `count` values of N(`mean`, 1) as float32.
    public mutating func float32s(count: Int, mean: Double = 0) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = Float(mean + next()) }
            initialized = count
        }
    }

    /// A seed for an independent stream `stream` derived from `seed` (one SplitMix64 mixing step).
    public static func derivedSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        var g = NormalGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return g.nextBits()
    }
}
