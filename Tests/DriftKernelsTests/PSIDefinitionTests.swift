import DriftTestSupport
import Testing

@testable import DriftKernels

/// The documented PSI definition (ARCHITECTURE.md, "PSI: the one definition"), pinned by its worked numbers.
@Suite("PSI definition")
struct PSIDefinitionTests {
    @Test("a bin with 0 % of the baseline and 1 % of the current sample: the documented scores")
    func newBin() throws {
        // 10 equal baseline bins and one empty tail; the current sample puts 1 % in the tail.
        for (n, expected) in [(1000, 0.03037814541082056), (10_000, 0.05310429459741399), (1_000_000, 0.09913533312201664)] {
            let b = [0] + [Int](repeating: n / 10, count: 10)
            let c = [n / 100] + [Int](repeating: Int(Double(n) * 0.099), count: 10)
            #expect(close(try PopulationStabilityIndex.compute(baseline: b, current: c), expected, rel: 1e-12))
        }
    }

    @Test("identical, empty-on-both-sides and one-sided cases")
    func properties() throws {
        #expect(try PopulationStabilityIndex.compute(baseline: [5, 0, 7], current: [5, 0, 7]) == 0)
        // Equal proportions at different sizes: the smoothing leaves an O(1/n) trace that vanishes as n grows.
        let small = try PopulationStabilityIndex.compute(baseline: [5, 7], current: [10, 14])
        let large = try PopulationStabilityIndex.compute(baseline: [5000, 7000], current: [10000, 14000])
        #expect(small > 0 && small < 1e-4 && large < 1e-10)
        // Bins empty on both sides do not change the score.
        #expect(try PopulationStabilityIndex.compute(baseline: [5, 0, 7, 0], current: [3, 0, 9, 0])
                == PopulationStabilityIndex.compute(baseline: [5, 7], current: [3, 9]))
        // Finite even when a side has a bin the other never saw, and never negative.
        let v = try PopulationStabilityIndex.compute(baseline: [100, 0], current: [0, 100])
        #expect(v.isFinite && v > 0)
        #expect(throws: KernelError.self) { try PopulationStabilityIndex.compute(baseline: [0, 0], current: [1, 2]) }
        #expect(throws: KernelError.self) { try PopulationStabilityIndex.compute(baseline: [1], current: [1, 2]) }
    }

    @Test("continuous in the counts: moving one value changes PSI by O(1/n)")
    func stability() throws {
        let b = [Int](repeating: 1000, count: 10)
        var c = b
        let before = try PopulationStabilityIndex.compute(baseline: b, current: c)
        c[0] -= 1
        c[9] += 1
        let after = try PopulationStabilityIndex.compute(baseline: b, current: c)
        #expect(Swift.abs(after - before) < 1e-5)
    }
}
