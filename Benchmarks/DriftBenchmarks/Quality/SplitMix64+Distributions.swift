#if canImport(Glibc)
import Glibc
#endif

/// The distributions of `drift-bench quality`'s scenarios, drawn from the benchmarks' seeded ``SplitMix64``.
extension SplitMix64 {
    /// Uniform in [0, 1) with 53 random bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Student t with `degreesOfFreedom` (an integer ≥ 1): Z / √(χ²_ν / ν), χ²_ν a sum of ν squared normals.
    mutating func studentT(degreesOfFreedom nu: Int) -> Double {
        let z = normal()
        var chiSquare = 0.0
        for _ in 0..<nu {
            let g = normal()
            chiSquare += g * g
        }
        return z / (chiSquare / Double(nu)).squareRoot()
    }

    /// Poisson(`mean`) by Knuth's product of uniforms (fine for small means such as 3).
    mutating func poisson(mean: Double) -> Double {
        let limit = exp(-mean)
        var k = 0.0, product = uniform()
        while product > limit {
            k += 1
            product *= uniform()
        }
        return k
    }

    /// A category code drawn by inverting `cumulative` (increasing, last entry 1).
    mutating func category(cumulative: [Double]) -> UInt32 {
        let u = uniform()
        var code = 0
        while code < cumulative.count - 1 && u >= cumulative[code] { code += 1 }
        return UInt32(code)
    }
}
