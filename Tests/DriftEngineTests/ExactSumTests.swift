import DriftEngine
import DriftTestSupport
import Foundation
import Testing

/// `ExactSum` against Python's `math.fsum` (Tests/Fixtures/window_sums.json, tools/gen_window_fixtures.py).
struct ExactSumTests {
    nonisolated(unsafe) static let root: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/window_sums.json")
        return try! JSONSerialization.jsonObject(with: try! Data(contentsOf: url)) as! [String: Any]
    }()

    static func cases(_ key: String) -> [[String: Any]] { root[key] as! [[String: Any]] }

    static func generatedValues(_ c: [String: Any]) -> [Double] {
        let seed = UInt64((c["seed"] as! NSNumber).uint64Value), count = (c["count"] as! NSNumber).intValue
        let scale = Double(c["scale"] as! String)!, flip = (c["flip"] as! NSNumber).intValue
        var x = TestData.irwinHall(seed: seed, count: count).map { $0 * scale }
        if flip > 0 { for i in stride(from: 0, to: x.count, by: flip) { x[i] = -x[i] } }
        return x
    }

    @Test func explicitCasesMatchFsum() {
        for c in Self.cases("explicit") {
            let values = (c["values"] as! [String]).map { Double($0)! }
            let expected = Double(c["fsum"] as! String)!
            let sum = ExactSum(values)
            #expect(sum.value.bitPattern == expected.bitPattern, "\(c["name"]!): \(sum.value) vs \(expected)")
            var reversed = ExactSum()
            for x in values.reversed() { reversed.add(x) }
            #expect(reversed == sum)
            #expect(reversed.value.bitPattern == expected.bitPattern)
        }
    }

    @Test func generatedCasesMatchFsumInAnyOrderAndSplit() {
        for c in Self.cases("generated") {
            let values = Self.generatedValues(c)
            let expected = Double(c["fsum"] as! String)!
            let sum = ExactSum(values)
            #expect(sum.value.bitPattern == expected.bitPattern, "\(c["name"]!): \(sum.value) vs \(expected)")
            var rng = SplitMix64(seed: 7)
            let shuffled = values.shuffled(using: &rng)
            // three partial sums merged in another order
            let third = shuffled.count / 3
            var a = ExactSum(shuffled[..<third]), b = ExactSum(shuffled[third..<(2 * third)])
            let c3 = ExactSum(shuffled[(2 * third)...])
            b.add(c3)
            a.add(b)
            #expect(a == sum)
            #expect(a.value.bitPattern == expected.bitPattern)
        }
    }

    @Test func specialValuesFollowIEEE() {
        #expect(ExactSum([1, .infinity, 2]).value == .infinity)
        #expect(ExactSum([-.infinity, 1e308]).value == -.infinity)
        #expect(ExactSum([.infinity, -.infinity]).value.isNaN)
        #expect(ExactSum([1, .nan]).value.isNaN)
        #expect(ExactSum([.nan, .infinity]).value.isNaN)
        let s = ExactSum([.infinity, .infinity, -.infinity, .nan, 3])
        #expect(s.positiveInfinityCount == 2 && s.negativeInfinityCount == 1 && s.nanCount == 1)
        // a finite exact sum beyond the float64 range rounds to infinity, as IEEE addition would
        #expect(ExactSum([.greatestFiniteMagnitude, .greatestFiniteMagnitude]).value == .infinity)
        #expect(ExactSum([-.greatestFiniteMagnitude, -.greatestFiniteMagnitude]).value == -.infinity)
        #expect(ExactSum([.greatestFiniteMagnitude, .greatestFiniteMagnitude]).value(scaledBy: -1) == .greatestFiniteMagnitude)
        #expect(ExactSum([]).value.bitPattern == 0.0.bitPattern)
        #expect(ExactSum([-0.0]).value == 0)
    }

    @Test func scaledValueAndProducts() {
        // value(scaledBy:) rounds once: 3 · 2^-1076 = 0.75 · 2^-1074 rounds to 2^-1074
        #expect(ExactSum([3]).value(scaledBy: -1076) == .leastNonzeroMagnitude)
        #expect(ExactSum([1]).value(scaledBy: -1075) == 0)  // exact tie with 0: even
        #expect(ExactSum([3]).value(scaledBy: -1075) == 2 * .leastNonzeroMagnitude)  // 1.5 ulp: tie to even (2)
        var p = ExactSum()
        let x = 1.0 + 0x1p-30
        p.addProduct(x, x)  // 1 + 2^-29 + 2^-60: exact with the error term
        p.add(-1)
        p.add(-0x1p-29)
        #expect(p.value == 0x1p-60)
    }

    @Test func manyAdditionsCarryCorrectly() {
        var s = ExactSum()
        for _ in 0..<100_000 { s.add(0.1); s.add(-0.1); s.add(0x1p-1074) }
        #expect(s.value == 100_000 * 0x1p-1074)
        var t = ExactSum()
        for _ in 0..<1000 { t.add(.greatestFiniteMagnitude) }
        for _ in 0..<999 { t.add(-.greatestFiniteMagnitude) }
        #expect(t.value == .greatestFiniteMagnitude)
    }
}
