import DriftTestSupport
import Testing

@testable import DriftEngine

@Suite("Monitoring: Spearman and performance correlation")
struct MonitoringSpearmanTests {
    @Test("ρ and p equal scipy spearmanr (average ranks for ties; n < 3 and constant series undefined)")
    func scipyFixtures() throws {
        let cases = MonitoringFixture.cases("spearman")
        #expect(cases.count == 10)
        for c in cases {
            let name = c["name"] as! String
            let x = MonitoringFixture.doubles(c["x"]), y = MonitoringFixture.doubles(c["y"])
            let result = SpearmanCorrelation(x, y)
            guard let rho = MonitoringFixture.double(c["rho"]), let p = MonitoringFixture.double(c["p"]) else {
                #expect(result == nil, "\(name)")
                continue
            }
            let s = try #require(result, "\(name)")
            #expect(s.count == x.count)
            if Swift.abs(rho) > 1 - 1e-12 {
                // scipy's corrcoef rounds a perfect rank correlation to 0.9999999999999999 and then reports a
                // tiny p instead of 0; ours is exactly ±1 with p = 0.
                #expect(Swift.abs(s.rho) == 1 && close(s.rho, rho, rel: 1e-15), "\(name)")
                #expect(s.pValue == 0 && p < 1e-20, "\(name)")
            } else {
                #expect(close(s.rho, rho, abs: 1e-15, rel: 1e-13), "\(name): \(s.rho) vs \(rho)")
                #expect(close(s.pValue, p, rel: 1e-10), "\(name): \(s.pValue) vs \(p)")
            }
        }
    }

    @Test("average ranks; non-finite or mismatched input is undefined")
    func ranksAndEdges() {
        #expect(SpearmanCorrelation.averageRanks([3, 1, 3, 2, 3]) == [4, 1, 4, 2, 4])
        #expect(SpearmanCorrelation.averageRanks([]) == [])
        #expect(SpearmanCorrelation([1, 2, .nan], [1, 2, 3]) == nil)
        #expect(SpearmanCorrelation([1, 2, .infinity], [1, 2, 3]) == nil)
        #expect(SpearmanCorrelation([1, 2, 3], [1, 2]) == nil)
        #expect(SpearmanCorrelation([], []) == nil)
    }

    @Test("performance correlation over the last K windows and lags 0…L equals scipy; late metric excluded")
    func performanceFixture() throws {
        let f = MonitoringFixture.root["performance"] as! [String: Any]
        let hour = Int64(f["window_ms"] as! Int), start = Int64(f["start_ms"] as! Int)
        let k = f["K"] as! Int, l = f["L"] as! Int
        var scores: [String: [Int64: Double]] = [:]
        for (name, values) in f["scores"] as! [String: Any] {
            let v = MonitoringFixture.doubles(values)
            scores[name] = Dictionary(uniqueKeysWithValues: v.indices.map { (start + Int64($0) * hour, v[$0]) })
        }
        var metric: [Int64: Double] = [:]
        for (w, v) in f["metric"] as! [String: Any] { metric[start + Int64(w)! * hour] = MonitoringFixture.double(v)! }
        let pc = PerformanceCorrelation(windowLengthMs: hour, windowCount: k, maxLag: l, direction: .higherIsBetter)
        let expected = f["expected"] as! [String: [[String: Any]]]
        for (name, lags) in expected {
            let got = pc.associations(feature: name, scores: scores[name]!, metric: metric)
            #expect(got.count == l + 1)
            for (g, e) in zip(got, lags) {
                #expect(g.lag == e["lag"] as! Int)
                #expect(g.count == e["n"] as! Int)
                let s = try #require(g.spearman)
                #expect(close(s.rho, MonitoringFixture.double(e["rho"])!, rel: 1e-13), "\(name) lag \(g.lag)")
                #expect(close(s.pValue, MonitoringFixture.double(e["p"])!, rel: 1e-10), "\(name) lag \(g.lag)")
                #expect(g.degradationCorrelation == -s.rho, "accuracy: higher is better")
            }
        }
        // Feature a drives the accuracy with a lag of one window: it ranks first, at lag 1.
        let ranking = pc.ranking(driftScores: scores, metric: metric)
        #expect(ranking.map(\.best.feature) == ["a", "c", "b"])
        #expect(ranking[0].best.lag == 1)
        #expect(close(ranking[0].lagAdjustedPValue, 4 * ranking[0].best.spearman!.pValue))
        #expect(ranking.allSatisfy { $0.lagAdjustedPValue <= 1 })
    }

    @Test("direction: RMSE rising with drift ranks first; fewer than 3 pairs is undefined; no metric → no windows")
    func directionAndEdges() {
        let h: Int64 = 3_600_000
        var drift: [Int64: Double] = [:], rmse: [Int64: Double] = [:], flat: [Int64: Double] = [:]
        for w in 0..<8 {
            drift[Int64(w) * h] = Double(w)
            rmse[Int64(w) * h] = 1 + 0.1 * Double(w * w)
            flat[Int64(w) * h] = 0.5
        }
        let pc = PerformanceCorrelation(windowLengthMs: h, windowCount: 8, maxLag: 0, direction: .lowerIsBetter)
        let ranking = pc.ranking(driftScores: ["up": drift, "down": drift.mapValues { -$0 }, "flat": flat], metric: rmse)
        #expect(ranking.map(\.best.feature) == ["up", "down"], "flat has no defined ρ")
        #expect(ranking[0].best.degradationCorrelation == 1)
        #expect(ranking[1].best.degradationCorrelation == -1)
        #expect(pc.windows(metric: [:]).isEmpty)
        #expect(pc.windows(metric: [0: .nan]).isEmpty)
        let two = pc.associations(feature: "x", scores: drift, metric: [0: 1, h: 2])
        #expect(two.count == 1 && two[0].count == 2 && two[0].spearman == nil)
        // Only the last K windows count: with K = 3 the three newest pairs.
        let k3 = PerformanceCorrelation(windowLengthMs: h, windowCount: 3, maxLag: 0, direction: .lowerIsBetter)
        #expect(k3.windows(metric: rmse) == [5 * h, 6 * h, 7 * h])
        #expect(k3.associations(feature: "x", scores: drift, metric: rmse)[0].count == 3)
    }
}
