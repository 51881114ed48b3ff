import Foundation
import Testing
import DriftTestSupport

@testable import DriftKernels

/// Every kernel against the numpy/scipy values in Tests/Fixtures/kernels.json (tools/gen_fixtures.py).
@Suite("Kernels match numpy/scipy fixtures")
struct ScipyFixtureTests {
    nonisolated(unsafe) static let fixture = try! Fixture.load("kernels.json")
    static let numericCases = (fixture["numeric"] as! [[String: Any]]).map { $0["name"] as! String }
    static let generatedCases = (fixture["generated"] as! [[String: Any]]).map { $0["name"] as! String }

    static func numeric(_ name: String) -> [String: Any] {
        (fixture["numeric"] as! [[String: Any]]).first { $0["name"] as! String == name }!
    }

    @Test("numeric case", arguments: numericCases)
    func numericCase(_ name: String) throws {
        let c = Self.numeric(name)
        let exp = c["expected"] as! [String: Any]
        let base = Fixture.doubles(c["baseline"]), cur = Fixture.doubles(c["current"])
        let bins = Fixture.int(c["bins"])
        if c["dtype"] as! String == "f32" {
            try check(base.map(Float.init), cur.map(Float.init), bins: bins, exp, floatTolerance: 1e-6)
        } else {
            try check(base, cur, bins: bins, exp, floatTolerance: 1e-11)
        }
    }

    private func check<T: DriftFloat>(_ base: [T], _ cur: [T], bins: Int, _ exp: [String: Any],
                                      floatTolerance: Double) throws {
        let bp = base.withUnsafeBufferPointer { ColumnProfile._dispatch($0) }
        let cp = cur.withUnsafeBufferPointer { ColumnProfile._dispatch($0) }
        checkProfile(bp, exp["baseline_profile"] as! [String: Any], floatTolerance)
        checkProfile(cp, exp["current_profile"] as! [String: Any], floatTolerance)
        // The SIMD profile agrees with its scalar twin.
        let bs = base.withUnsafeBufferPointer { ColumnProfile.scalarReference($0) }
        #expect(bs.count == bp.count && bs.nullCount == bp.nullCount && bs.minimum == bp.minimum && bs.maximum == bp.maximum)
        #expect(close(bs.mean, bp.mean, abs: floatTolerance * (bp.standardDeviation ?? 1), rel: floatTolerance))

        let sb = SortedSample<T>._make(base), sc = SortedSample<T>._make(cur)
        if let edges = exp["edges"] as? [Any] {
            let frozen = try sb.withFiniteValues { try QuantileBins(sortedBaseline: $0, bins: bins) }
            #expect(frozen.edges == edges.map(Fixture.double), "edges")
            let hb = base.withUnsafeBufferPointer { frozen._dispatchHistogram($0) }
            let hc = cur.withUnsafeBufferPointer { frozen._dispatchHistogram($0) }
            #expect(hb.counts == (exp["baseline_counts"] as! [Int]))
            #expect(hc.counts == (exp["current_counts"] as! [Int]))
            #expect(hb.nullCount == Fixture.int(exp["baseline_nulls"]))
            #expect(hc.nullCount == Fixture.int(exp["current_nulls"]))
            #expect(hc == cur.withUnsafeBufferPointer { frozen.scalarHistogram($0) }, "SIMD vs scalar binning")
            if let psi = exp["psi"] {
                let value = try PopulationStabilityIndex.compute(baseline: hb, current: hc)
                #expect(close(value, Fixture.double(psi), abs: 1e-15, rel: 1e-12), "PSI \(value)")
                let js = try JensenShannonDistance.compute(baseline: hb.counts, current: hc.counts)
                #expect(close(js, Fixture.double(exp["js"]), abs: 1e-9, rel: 1e-9), "JS \(js)")
            } else {
                #expect(throws: KernelError.self) { try PopulationStabilityIndex.compute(baseline: hb, current: hc) }
            }
        } else {
            #expect(throws: KernelError.self) { try sb.withFiniteValues { try QuantileBins(sortedBaseline: $0, bins: bins) } }
        }
        if let d = exp["ks_d"] {
            let ks = try sb._ks(sc)
            #expect(ks.statistic.d == Fixture.double(d), "D \(ks.statistic.d) vs scipy \(Fixture.double(d))")
            let raw = try sb._statistic(sc)
            #expect(raw.d == KSStatistic.scalarReference(baseline: base, current: cur), "unsnapped D vs scalar twin")
            let p = Fixture.double(exp["ks_p"])
            #expect(close(ks.pValue, p, abs: 1e-9, rel: 0), "p \(ks.pValue) vs scipy \(p)")
            if p >= 1e-300 { #expect(close(ks.pValue, p, rel: 1e-6), "p \(ks.pValue) vs scipy \(p) (relative)") }
            #expect((ks.method == .exact) == (exp["ks_exact"] as! Bool))
        } else {
            #expect(throws: KernelError.self) { try sb._ks(sc) }
        }
        if let w = exp["wasserstein"] {
            let value = try sb._wasserstein(sc)
            #expect(close(value, Fixture.double(w), abs: 1e-300, rel: 1e-9), "W \(value)")
            let normed = WassersteinDistance.normed(value, baselineStandardDeviation: bp.standardDeviation!)
            // The baseline σ comes from the profile, whose float32 blocks carry ~1e-7 relative rounding.
            #expect(close(normed, Fixture.double(exp["wasserstein_normed"]), abs: 1e-300, rel: Swift.max(1e-9, floatTolerance)))
        } else {
            #expect(throws: KernelError.self) { try sb._wasserstein(sc) }
        }
        if let z = exp["null_z"] {
            let t = try TwoProportionZTest(baselineSuccesses: bp.nullCount, baselineTrials: bp.count,
                                           currentSuccesses: cp.nullCount, currentTrials: cp.count)
            #expect(close(t.z, Fixture.double(z), abs: 1e-12, rel: 1e-12))
            #expect(close(t.pValue, Fixture.double(exp["null_p"]), abs: 1e-15, rel: 1e-9))
        }
    }

    private func checkProfile(_ p: ColumnProfile, _ e: [String: Any], _ tol: Double) {
        #expect(p.count == Fixture.int(e["count"]))
        #expect(p.nullCount == Fixture.int(e["null_count"]))
        #expect(p.nanCount == Fixture.int(e["nan_count"]))
        #expect(p.positiveInfinityCount == Fixture.int(e["posinf"]))
        #expect(p.negativeInfinityCount == Fixture.int(e["neginf"]))
        #expect(p.minimum == e["min"].map(Fixture.double))
        #expect(p.maximum == e["max"].map(Fixture.double))
        if let mean = e["mean"], let variance = e["var"] {
            let sd = Fixture.double(variance).squareRoot()
            #expect(close(p.mean, Fixture.double(mean), abs: tol * sd + 1e-300, rel: tol), "mean \(p.mean)")
            #expect(close(p.populationVariance!, Fixture.double(variance), abs: 1e-300, rel: tol * 10), "var")
        } else {
            #expect(p.populationVariance == nil)
        }
    }

    @Test("large generated samples", arguments: generatedCases)
    func generatedCase(_ name: String) throws {
        let c = (Self.fixture["generated"] as! [[String: Any]]).first { $0["name"] as! String == name }!
        let g = c["gen"] as! [String: Any], exp = c["expected"] as! [String: Any]
        let base = TestData.irwinHall(seed: UInt64(Fixture.int(g["seed_baseline"])), count: Fixture.int(g["n"]),
                                      ties: g["ties"] as! Bool)
        let cur = TestData.irwinHall(seed: UInt64(Fixture.int(g["seed_current"])), count: Fixture.int(g["m"]),
                                     shift: Fixture.double(g["shift"]), ties: g["ties"] as! Bool)
        if c["dtype"] as! String == "f32" {
            try checkGenerated(base.map(Float.init), cur.map(Float.init), exp)
        } else {
            try checkGenerated(base, cur, exp)
        }
    }

    private func checkGenerated<T: DriftFloat>(_ base: [T], _ cur: [T], _ exp: [String: Any]) throws
    {
        let sb = SortedSample<T>._make(base), sc = SortedSample<T>._make(cur)
        let ks = try sb._ks(sc)
        #expect(ks.statistic.d == Fixture.double(exp["ks_d"]))
        let p = Fixture.double(exp["ks_p"])
        #expect(close(ks.pValue, p, abs: 1e-9, rel: 0))
        if p >= 1e-300 { #expect(close(ks.pValue, p, rel: 1e-6), "p \(ks.pValue) vs \(p)") }
        let bins = try sb.withFiniteValues { try QuantileBins(sortedBaseline: $0, bins: 10) }
        let hb = base.withUnsafeBufferPointer { bins._dispatchHistogram($0) }
        let hc = cur.withUnsafeBufferPointer { bins._dispatchHistogram($0) }
        #expect(hb.counts == (exp["baseline_counts"] as! [Int]))
        #expect(hc.counts == (exp["current_counts"] as! [Int]))
        #expect(close(try PopulationStabilityIndex.compute(baseline: hb, current: hc), Fixture.double(exp["psi"]),
                      rel: 1e-12))
        #expect(close(try sb._wasserstein(sc), Fixture.double(exp["wasserstein"]), rel: 1e-9))
        let prof = cur.withUnsafeBufferPointer { ColumnProfile._dispatch($0) }
        let tol = T.self == Float.self ? 1e-6 : 1e-11
        #expect(close(prof.mean, Fixture.double(exp["mean"]), abs: tol, rel: tol))
        #expect(close(prof.populationVariance!, Fixture.double(exp["var"]), rel: tol))
    }

    @Test("categorical: chi-square, PSI, JS")
    func categorical() throws {
        for c in Self.fixture["categorical"] as! [[String: Any]] {
            let b = c["baseline_counts"] as! [Int], cur = c["current_counts"] as! [Int]
            let exp = c["expected"] as! [String: Any]
            guard let chi2 = exp["chi2"] else {
                #expect(throws: KernelError.self) { try ChiSquareTest(baseline: b, current: cur) }
                continue
            }
            let t = try ChiSquareTest(baseline: b, current: cur)
            #expect(close(t.statistic, Fixture.double(chi2), abs: 1e-12, rel: 1e-12), "\(c["name"]!)")
            #expect(t.degreesOfFreedom == Fixture.int(exp["dof"]))
            #expect(close(t.pValue, Fixture.double(exp["chi2_p"]), abs: 1e-300, rel: 1e-9),
                    "\(c["name"]!): p \(t.pValue) vs \(Fixture.double(exp["chi2_p"]))")
            #expect(close(try PopulationStabilityIndex.compute(baseline: b, current: cur), Fixture.double(exp["psi"]),
                          rel: 1e-12))
            #expect(close(try JensenShannonDistance.compute(baseline: b, current: cur), Fixture.double(exp["js"]),
                          abs: 1e-9, rel: 1e-9))
        }
    }

    @Test("two-proportion z-test")
    func proportions() throws {
        for c in Self.fixture["proportions"] as! [[String: Any]] {
            let t = try TwoProportionZTest(baselineSuccesses: Fixture.int(c["x1"]), baselineTrials: Fixture.int(c["n1"]),
                                           currentSuccesses: Fixture.int(c["x2"]), currentTrials: Fixture.int(c["n2"]))
            #expect(close(t.z, Fixture.double(c["z"]), abs: 1e-12, rel: 1e-12))
            #expect(close(t.pValue, Fixture.double(c["p"]), abs: 1e-300, rel: 1e-9), "p \(t.pValue)")
        }
    }

    @Test("correlation matrix and Fisher z")
    func correlation() throws {
        for c in Self.fixture["correlation"] as! [[String: Any]] {
            let exp = c["expected"] as! [String: Any]
            let b = try CoMoments(columns: (c["baseline"] as! [Any]).map(Fixture.doubles))
            let cur = try CoMoments(columns: (c["current"] as! [Any]).map(Fixture.doubles))
            for (m, key) in [(b, "baseline_matrix"), (cur, "current_matrix")] {
                let e = (exp[key] as! [[Any]]).map { $0.map(Fixture.double) }
                for i in 0..<m.dimension {
                    for j in 0..<m.dimension {
                        #expect(close(try m.correlation(i, j), e[i][j], abs: 1e-12, rel: 1e-12))
                    }
                }
            }
            #expect(b.count == Fixture.int(exp["n1"]) && cur.count == Fixture.int(exp["n2"]))
            let pair = c["pair"] as! [Int]
            let f = try FisherZTest(baseline: b.correlation(pair[0], pair[1]), baselineCount: b.count,
                                    current: cur.correlation(pair[0], pair[1]), currentCount: cur.count)
            #expect(close(f.z, Fixture.double(exp["fisher_z"]), abs: 1e-9, rel: 1e-9))
            #expect(close(f.pValue, Fixture.double(exp["fisher_p"]), abs: 1e-300, rel: 1e-7))
        }
    }
}

// Generic bridges so one test body covers float32 and float64 (the public API is concrete per type).
extension SortedSample {
    static func _make(_ values: [T]) -> SortedSample<T> {
        // (Checked on the type: an empty [Double] also casts to [Float].)
        if T.self == Float.self { return SortedSample<Float>(values as! [Float]) as! SortedSample<T> }
        return SortedSample<Double>(values as! [Double]) as! SortedSample<T>
    }

    func _ks(_ other: SortedSample<T>) throws -> KolmogorovSmirnovTest {
        if let a = self as? SortedSample<Float> {
            return try KolmogorovSmirnovTest(baseline: a, current: other as! SortedSample<Float>)
        }
        return try KolmogorovSmirnovTest(baseline: self as! SortedSample<Double>, current: other as! SortedSample<Double>)
    }

    func _statistic(_ other: SortedSample<T>) throws -> KSStatistic {
        if let a = self as? SortedSample<Float> { return try KSStatistic(baseline: a, current: other as! SortedSample<Float>) }
        return try KSStatistic(baseline: self as! SortedSample<Double>, current: other as! SortedSample<Double>)
    }

    func _wasserstein(_ other: SortedSample<T>) throws -> Double {
        if let a = self as? SortedSample<Float> {
            return try WassersteinDistance.compute(baseline: a, current: other as! SortedSample<Float>)
        }
        return try WassersteinDistance.compute(baseline: self as! SortedSample<Double>, current: other as! SortedSample<Double>)
    }
}

extension ColumnProfile {
    static func _dispatch<T: DriftFloat>(_ v: UnsafeBufferPointer<T>) -> ColumnProfile {
        if let f = v as? UnsafeBufferPointer<Float> { return ColumnProfile(f) }
        return ColumnProfile(v as! UnsafeBufferPointer<Double>)
    }
}

extension QuantileBins {
    func _dispatchHistogram<T: DriftFloat>(_ v: UnsafeBufferPointer<T>) -> BinCounts {
        if let f = v as? UnsafeBufferPointer<Float> { return histogram(f) }
        return histogram(v as! UnsafeBufferPointer<Double>)
    }
}
