import DriftTestSupport
import Testing
@testable import DriftLoad

@Suite("LatencyHistogram")
struct LatencyHistogramTests {
    /// The value of nearest rank ⌈pm/1000 · n⌉ (pm in per mille, integer arithmetic) of sorted data.
    static func exact(_ sorted: [UInt64], perMille pm: Int) -> UInt64 {
        let rank = max(1, (pm * sorted.count + 999) / 1000)
        return sorted[rank - 1]
    }

    /// Log-uniform latencies from 1 µs to 10 s (seeded), in nanoseconds.
    static func logUniform(count: Int, seed: UInt64) -> [UInt64] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let exponent = 3 + 7 * rng.uniform()          // 10^3 … 10^10 ns
            var x = 1.0
            var e = exponent
            while e >= 1 { x *= 10; e -= 1 }
            x *= pow10(e)
            return UInt64(x)
        }
    }

    static func pow10(_ e: Double) -> Double {
        // 10^e for 0 <= e < 1 by the exponential series of e·ln 10 (enough terms for double precision).
        let y = e * 2.302585092994046
        var term = 1.0, sum = 1.0
        for k in 1..<40 { term *= y / Double(k); sum += term }
        return sum
    }

    @Test("percentiles of known data are within 1 % of the exact nearest-rank values (within 1/256 in fact)")
    func percentilesMatchExact() {
        for (count, seed) in [(1, UInt64(1)), (7, 2), (1000, 3), (100_000, 4)] {
            let values = Self.logUniform(count: count, seed: seed)
            var h = LatencyHistogram()
            for v in values { h.record(nanoseconds: v) }
            let sorted = values.sorted()
            for pm in [1, 100, 250, 500, 900, 990, 999, 1000] {
                let want = Self.exact(sorted, perMille: pm)
                let got = h.percentile(Double(pm) / 10)!
                let error = Double(got > want ? got - want : want - got)
                #expect(error <= Double(want) / 256 + 0.5, "n \(count), p \(Double(pm) / 10): \(got) vs exact \(want)")
                #expect(error <= Double(want) * 0.01)
            }
            #expect(h.percentile(100) == sorted.last)
            #expect(h.count == UInt64(count))
            #expect(h.minNanoseconds == sorted.first && h.maxNanoseconds == sorted.last)
            let mean = Double(values.reduce(0, +)) / Double(count)
            #expect(abs(h.meanNanoseconds! - mean) <= mean * 1e-12)
        }
    }

    @Test("small values have exact buckets; a constant sample reports that constant")
    func smallAndConstant() {
        var h = LatencyHistogram()
        for v: UInt64 in [10, 20, 30, 40, 50] { h.record(nanoseconds: v) }
        #expect(h.percentile(50) == 30)
        #expect(h.percentile(0) == 10)
        #expect(h.percentile(80) == 40)
        var c = LatencyHistogram()
        for _ in 0..<1000 { c.record(.milliseconds(7)) }
        #expect(c.percentile(50) == 7_000_000 && c.percentile(99.9) == 7_000_000 && c.percentile(100) == 7_000_000)
    }

    @Test("bucket indices are monotone and every bucket is at most 1/128 of its lower bound wide")
    func buckets() {
        var previous = -1
        var v: UInt64 = 0
        while v < LatencyHistogram.highestTrackableNanoseconds {
            let i = LatencyHistogram.index(of: v)
            #expect(i >= previous)
            let (lower, width) = LatencyHistogram.bucketRange(i)
            #expect(lower <= v && v < lower + width, "\(v) in bucket \(i) = [\(lower), +\(width))")
            if lower >= 256 { #expect(width * 128 <= lower) }
            previous = i
            v = v < 1000 ? v + 1 : v + v / 97
        }
        #expect(LatencyHistogram.index(of: .max) == LatencyHistogram.bucketCount - 1)
    }

    @Test("merging two halves equals recording everything into one histogram")
    func merge() {
        let values = Self.logUniform(count: 5000, seed: 9)
        var whole = LatencyHistogram(), a = LatencyHistogram(), b = LatencyHistogram()
        for (i, v) in values.enumerated() {
            whole.record(nanoseconds: v)
            if i % 3 == 0 { a.record(nanoseconds: v) } else { b.record(nanoseconds: v) }
        }
        var merged = a
        merged.merge(b)
        #expect(merged == whole)
        #expect(merged.percentile(99) == whole.percentile(99))
        var empty = LatencyHistogram()
        empty.merge(LatencyHistogram())
        #expect(empty.count == 0 && empty.percentile(50) == nil && empty.meanNanoseconds == nil)
        empty.merge(whole)
        #expect(empty == whole)
    }

    @Test("values beyond 100 s land in the last bucket; the maximum stays exact; negative durations count as 0")
    func outOfRange() {
        var h = LatencyHistogram()
        h.record(.seconds(500))
        h.record(.milliseconds(-5))
        #expect(h.maxNanoseconds == 500_000_000_000)
        #expect(h.minNanoseconds == 0)
        #expect(h.percentile(100) == 500_000_000_000)
        let p99 = h.percentile(99)!
        #expect(p99 <= 500_000_000_000 && p99 >= LatencyHistogram.highestTrackableNanoseconds * 99 / 100)
    }

    @Test("summary in milliseconds, percentiles ordered")
    func summary() {
        var h = LatencyHistogram()
        for v in Self.logUniform(count: 2000, seed: 5) { h.record(nanoseconds: v) }
        let s = h.summary
        #expect(s.count == 2000)
        #expect(s.p50Ms! <= s.p90Ms! && s.p90Ms! <= s.p99Ms! && s.p99Ms! <= s.p999Ms! && s.p999Ms! <= s.maxMs!)
        #expect(s.maxMs == Double(h.maxNanoseconds!) / 1e6)
    }
}
