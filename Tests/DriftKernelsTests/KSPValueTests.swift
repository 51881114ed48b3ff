import Foundation
import Testing
import DriftKernels

/// Reference values: `Tests/Fixtures/ks_pvalue.json`, written by `tools/fixtures/gen_ks_pvalue.py`
/// (SciPy values; mpmath / big-integer references where SciPy is inexact).
@Suite("Kolmogorov–Smirnov p-values")
struct KSPValueTests {
    static func rows(_ key: String) throws -> [[Any]] {
        let fixture = try Fixture.load("ks_pvalue.json")
        guard let rows = fixture[key] as? [[Any]], !rows.isEmpty else { throw FixtureError.malformed(key) }
        return rows
    }

    /// The agreement contract: 1e-9 absolute and 1e-6 relative wherever the reference is ≥ 1e-300.
    static func agrees(_ value: Double, _ reference: Double, abs absTol: Double = 1e-9, rel relTol: Double = 1e-6) -> Bool {
        if value.isNaN || reference.isNaN { return false }
        let err = Swift.abs(value - reference)
        if err > absTol { return false }
        if reference < 1e-300 { return true }
        return err <= relTol * reference
    }

    static func mode(_ s: String) -> TwoSampleKSPValue.Mode {
        switch s {
        case "exact": return .exact
        case "asymp": return .asymptotic
        default: return .auto
        }
    }

    // MARK: - One-sample two-sided (kstwo)

    @Test("KolmogorovDistribution matches scipy.stats.kstwo.sf across all regimes")
    func kolmogorovMatchesSciPy() throws {
        var failures = 0
        for row in try Self.rows("kstwo") {
            let n = Fixture.int(row[0]), d = Fixture.double(row[1]), p = Fixture.double(row[2])
            let mine = KolmogorovDistribution.survival(d, n: n)
            if !Self.agrees(mine, p) {
                failures += 1
                Issue.record("kstwo n=\(n) d=\(d): got \(mine), scipy \(p)")
            }
        }
        #expect(failures == 0)
    }

    /// n > 10⁶ and 2.2 ≤ n d² < 370: SciPy's kstwo uses 2·smirnov, and its smirnov switches to
    /// exp(−(6nd+1)²/18n) for n > 10⁶. We sum the exact series; the reference is 2× the mpmath value.
    @Test("KolmogorovDistribution is exact where SciPy approximates (n > 1e6)")
    func kolmogorovLargeNReference() throws {
        var scipyWorst = 0.0
        for row in try Self.rows("kstwo_reference") {
            let n = Fixture.int(row[0]), d = Fixture.double(row[1])
            let scipy = Fixture.double(row[2]), reference = Fixture.double(row[3])
            let mine = KolmogorovDistribution.survival(d, n: n)
            #expect(Self.agrees(mine, reference, abs: 1e-12, rel: 1e-10), "n=\(n) d=\(d): got \(mine), exact \(reference)")
            scipyWorst = max(scipyWorst, Swift.abs(scipy - reference) / reference)
        }
        // Documents the SciPy inexactness this case exists for (≈ 4e-2 relative in this grid).
        #expect(scipyWorst > 1e-4)
    }

    // MARK: - One-sided (smirnov)

    @Test("SmirnovDistribution matches scipy.special.smirnov")
    func smirnovMatchesSciPy() throws {
        var failures = 0
        for row in try Self.rows("smirnov") {
            let n = Fixture.int(row[0]), d = Fixture.double(row[1]), p = Fixture.double(row[2])
            let mine = SmirnovDistribution.survival(d, n: n)
            if !Self.agrees(mine, p) {
                failures += 1
                Issue.record("smirnov n=\(n) d=\(d): got \(mine), scipy \(p)")
            }
        }
        #expect(failures == 0)
    }

    @Test("SmirnovDistribution is exact where SciPy approximates (n > 1e6)")
    func smirnovLargeNReference() throws {
        var scipyWorst = 0.0
        for row in try Self.rows("smirnov_reference") {
            let n = Fixture.int(row[0]), d = Fixture.double(row[1])
            let scipy = Fixture.double(row[2]), reference = Fixture.double(row[3])
            let mine = SmirnovDistribution.survival(d, n: n)
            #expect(Self.agrees(mine, reference, abs: 1e-12, rel: 1e-10), "n=\(n) d=\(d): got \(mine), exact \(reference)")
            scipyWorst = max(scipyWorst, Swift.abs(scipy - reference) / reference)
        }
        #expect(scipyWorst > 1e-4)
    }

    // MARK: - Two-sample

    @Test("TwoSampleKSPValue matches scipy.stats.ks_2samp (value and method)")
    func twoSampleMatchesSciPy() throws {
        var failures = 0
        for row in try Self.rows("two_sample") {
            let n1 = Fixture.int(row[0]), n2 = Fixture.int(row[1]), d = Fixture.double(row[2])
            let modeName = row[3] as! String
            let p = Fixture.double(row[4])
            let method = row[5] as! String
            let scipyFellBack = Fixture.int(row[6]) == 1
            let r = TwoSampleKSPValue.pValue(d: d, n1: n1, n2: n2, mode: Self.mode(modeName))
            let label = "n1=\(n1) n2=\(n2) d=\(d) mode=\(modeName)"
            if n1 == 1 && n2 == 1 && modeName == "asymp" {
                // SciPy: round(0.5) = 0 effective samples → NaN. We use 1 effective sample.
                #expect(p.isNaN && r.p == KolmogorovDistribution.survival(d, n: 1), "\(label)")
                continue
            }
            if !Self.agrees(r.p, p) {
                failures += 1
                Issue.record("\(label): got \(r.p), scipy \(p)")
            }
            if scipyFellBack {
                // SciPy's n1 = n2 sum rounded above 1 (true p ≈ 1) and it switched to 'asymp'; ours stays exact.
                #expect(r.method == .exact && r.p > 1 - 1e-12, "\(label)")
            } else if r.method.rawValue != method {
                failures += 1
                Issue.record("\(label): method \(r.method.rawValue), scipy \(method)")
            }
        }
        #expect(failures == 0)
    }

    @Test("Exact two-sample p-values equal big-integer lattice-path counts")
    func twoSampleExactBigInteger() throws {
        for row in try Self.rows("two_sample_exact") {
            let n1 = Fixture.int(row[0]), n2 = Fixture.int(row[1]), d = Fixture.double(row[2])
            let exact = Fixture.double(row[3])
            let r = TwoSampleKSPValue.pValue(d: d, n1: n1, n2: n2, mode: .exact)
            #expect(r.method == .exact)
            #expect(Self.agrees(r.p, exact, abs: 1e-13, rel: 1e-12), "n1=\(n1) n2=\(n2) d=\(d): got \(r.p), exact \(exact)")
        }
    }

    /// Tiny exact p-values keep full relative precision (no 1 − inside cancellation).
    @Test("Tiny exact two-sample p-values")
    func tinyExactPValues() {
        // P(D_{n,n} = 1) = 2 / C(2n, n).
        let n = 30
        var logC = 0.0
        for k in 1...n { logC += log(Double(n + k) / Double(k)) }
        let expected = 2 * exp(-logC)
        let r = TwoSampleKSPValue.pValue(d: 1, n1: n, n2: n)
        #expect(Swift.abs(r.p - expected) <= 1e-13 * expected)
        // P(D_{m,n} = 1) = 2 / C(m+n, n) for m ≠ n as well.
        let m2 = 40, n2 = 25
        var logC2 = 0.0
        for k in 1...n2 { logC2 += log(Double(m2 + k) / Double(k)) }
        let r2 = TwoSampleKSPValue.pValue(d: 1, n1: m2, n2: n2)
        #expect(Swift.abs(r2.p - 2 * exp(-logC2)) <= 1e-12 * 2 * exp(-logC2))
    }

    // MARK: - Edge cases

    @Test("Empty samples, clamping, NaN")
    func edgeCases() {
        let empty1 = TwoSampleKSPValue.pValue(d: 0.5, n1: 0, n2: 10)
        #expect(empty1.p == 1 && empty1.method == .exact)
        let empty2 = TwoSampleKSPValue.pValue(d: 0.5, n1: 10, n2: 0)
        #expect(empty2.p == 1 && empty2.method == .exact)
        #expect(TwoSampleKSPValue.pValue(d: 0, n1: 10, n2: 7).p == 1)
        #expect(TwoSampleKSPValue.pValue(d: -0.25, n1: 10, n2: 7).p == 1)
        #expect(TwoSampleKSPValue.pValue(d: 1.5, n1: 10, n2: 7).p == TwoSampleKSPValue.pValue(d: 1, n1: 10, n2: 7).p)
        #expect(TwoSampleKSPValue.pValue(d: .nan, n1: 10, n2: 7).p.isNaN)
        #expect(TwoSampleKSPValue.pValue(d: 0.3, n1: 20_000, n2: 30).method == .asymptotic)
        #expect(TwoSampleKSPValue.pValue(d: 0.3, n1: 10_000, n2: 30).method == .exact)
        #expect(TwoSampleKSPValue.pValue(d: 0.3, n1: 20_000, n2: 30, mode: .exact).method == .exact)
        // lcm beyond SciPy's int32 guard → asymptotic even in exact mode.
        #expect(TwoSampleKSPValue.pValue(d: 0.001, n1: 100_003, n2: 100_019, mode: .exact).method == .asymptotic)
        let one = TwoSampleKSPValue.pValue(d: 1, n1: 1, n2: 1, mode: .asymptotic)
        #expect(!one.p.isNaN && one.method == .asymptotic)

        #expect(KolmogorovDistribution.survival(0.5, n: 0).isNaN)
        #expect(KolmogorovDistribution.survival(.nan, n: 5).isNaN)
        #expect(KolmogorovDistribution.survival(-1, n: 5) == 1)
        #expect(KolmogorovDistribution.survival(2, n: 5) == 0)
        #expect(KolmogorovDistribution.survival(0.1, n: 1) == 1)  // d ≤ 1/(2n)
        #expect(SmirnovDistribution.survival(0.5, n: 0).isNaN)
        #expect(SmirnovDistribution.survival(-1, n: 5) == 1)
        #expect(SmirnovDistribution.survival(2, n: 5) == 0)
        #expect(SmirnovDistribution.survival(0.25, n: 1) == 0.75)
    }

    @Test("Valid inputs never give NaN and stay in [0, 1]; survival is non-increasing in d")
    func sanityGrid() {
        for n in [1, 2, 3, 9, 50, 140, 141, 999, 12_345, 100_000, 2_000_000, 10_000_000] {
            var previousK = 1.0, previousS = 1.0
            for step in 0...64 {
                let d = Double(step) / 64
                let k = KolmogorovDistribution.survival(d, n: n)
                let s = SmirnovDistribution.survival(d, n: n)
                #expect(k >= 0 && k <= 1 && s >= 0 && s <= 1, "n=\(n) d=\(d): \(k) \(s)")
                #expect(k <= previousK + 1e-12 && s <= previousS + 1e-12, "n=\(n) d=\(d)")
                previousK = k
                previousS = s
            }
        }
        for (n1, n2) in [(1, 1), (1, 2), (2, 1), (5, 3), (17, 40), (200, 199)] {
            for step in 0...32 {
                let d = Double(step) / 32
                for mode in [TwoSampleKSPValue.Mode.auto, .exact, .asymptotic] {
                    let p = TwoSampleKSPValue.pValue(d: d, n1: n1, n2: n2, mode: mode).p
                    #expect(p >= 0 && p <= 1, "\(n1) \(n2) \(d) \(mode): \(p)")
                }
            }
        }
    }

    @Test("Two-sample exact p-value is symmetric in the sample sizes")
    func symmetry() {
        for (n1, n2) in [(3, 7), (100, 37), (250, 1000)] {
            for i in stride(from: 0, through: n1, by: max(1, n1 / 7)) {
                let d = Swift.abs(Double(i) / Double(n1) - Double(n2 / 2) / Double(n2))
                let a = TwoSampleKSPValue.pValue(d: d, n1: n1, n2: n2)
                let b = TwoSampleKSPValue.pValue(d: d, n1: n2, n2: n1)
                #expect(a.p == b.p && a.method == b.method)
            }
        }
    }
}
