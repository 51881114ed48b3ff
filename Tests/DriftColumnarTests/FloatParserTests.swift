import DriftTestSupport
import Foundation
import Testing

@testable import DriftColumnar

#if canImport(Glibc)
import Glibc
#endif

@Suite("float parser")
struct FloatParserTests: CSVTestHelpers {
    private func cFormat(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    private func ours(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            FloatParser.parse(b.baseAddress!, b.baseAddress! + b.count)
        }
    }

    /// Compares our parse with strtod bit for bit; returns the mismatching inputs.
    private func mismatches(_ inputs: [String]) -> [String] {
        var bad: [String] = []
        for text in inputs {
            let reference = strtod(text, nil)
            guard let value = ours(text), value.bitPattern == reference.bitPattern else {
                bad.append(text)
                continue
            }
        }
        return bad
    }

    private func randomFiniteDouble(_ rng: inout SplitMix64) -> Double {
        while true {
            let d = Double(bitPattern: rng.next())
            if d.isFinite { return d }
        }
    }

    @Test func hardCasesMatchStrtod() {
        let cases = [
            "0", "-0", "0.0", "1", "-1", "9007199254740992", "9007199254740993", "9007199254740995",
            "18446744073709551615", "18446744073709551616", "99999999999999999999",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "1e-324", "3e-324", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "1e308", "1e309", "1e-400", "1e400", "0e999999999", "0.000000000000000000000000000001",
            "123456789012345678901234567890", "0.1", "0.2", "0.3", "1.1", "3.14159265358979323846",
            "7.038531e-26", "9.109383e-31", "1e23", "8.988465674311579e307", "4.4501477170144023e-308",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "9007199254740993.0000000000000000001", ".5", "5.", "+.5e1", "1E+22", "1e22", "1e23", "1e-22",
            "1e-23", "4503599627370496.5", "4503599627370497.5", "123456789e-330", "000000000000000000000001",
            "0.0000000000000000000000000000000000000000000000000001e52",
            "-9223372036854775808", "9223372036854775807", "1844674407370955161.5",
        ]
        #expect(mismatches(cases) == [])
        #expect(ours("inf") == .infinity)
        #expect(ours("-Infinity") == -.infinity)
        #expect(ours("+INF") == .infinity)
        for bad in ["", "-", "+", ".", "e1", "1e", "1e+", "1.2.3", "0x1p3", "nan", "in", "infinityy", "1 ", " 1", "1_0"] {
            #expect(ours(bad) == nil, "\(bad)")
        }
    }

    @Test func randomDoublesMatchStrtod() {
        var rng = SplitMix64(seed: 2024)
        var inputs: [String] = []
        inputs.reserveCapacity(420_000)
        for _ in 0..<100_000 {
            let d = randomFiniteDouble(&rng)
            inputs.append("\(d)")  // shortest round-trip form
            inputs.append(cFormat("%.17g", d))
            inputs.append(cFormat("%.12e", d))
        }
        for _ in 0..<100_000 {
            let d = Double.random(in: -1e6...1e6, using: &rng) / Double([1, 10, 1000, 1e6][Int(rng.next() % 4)])
            inputs.append(cFormat(["%.3f", "%.1f", "%.10f", "%.17g", "%g"][Int(rng.next() % 5)], d))
            inputs.append("\(d)")
        }
        let bad = mismatches(inputs)
        #expect(bad.isEmpty, "\(bad.count) mismatches, e.g. \(bad.prefix(10))")
        // Shortest forms must also round-trip to the original value.
        var roundTrip = 0
        for _ in 0..<20_000 {
            let d = randomFiniteDouble(&rng)
            if ours("\(d)")?.bitPattern != d.bitPattern { roundTrip += 1 }
        }
        #expect(roundTrip == 0)
    }

    @Test func randomDigitStringsMatchStrtod() {
        var rng = SplitMix64(seed: 99)
        var inputs: [String] = []
        for _ in 0..<100_000 {
            let digits = Int(rng.next() % 26) + 1
            var s = rng.next() % 2 == 0 ? "" : "-"
            let point = Int(rng.next() % UInt64(digits + 1))
            for i in 0..<digits {
                if i == point && i > 0 { s += "." }
                // Bias towards runs of 9s and 0s, where rounding is delicate.
                let r = rng.next() % 10
                let digit = r < 3 ? 9 : r < 5 ? 0 : Int(rng.next() % 10)
                s += String(digit)
            }
            if rng.next() % 3 != 0 {
                s += "e\(Int(rng.next() % 700) - 360)"
            }
            inputs.append(s)
        }
        let bad = mismatches(inputs)
        #expect(bad.isEmpty, "\(bad.count) mismatches, e.g. \(bad.prefix(10))")
    }

    @Test func csvNumbersMatchStrtod() throws {
        var rng = SplitMix64(seed: 5)
        var values: [String] = []
        for i in 0..<20_000 {
            let d = i % 2 == 0 ? randomFiniteDouble(&rng) : Double.random(in: -10...10, using: &rng)
            values.append(i % 3 == 0 ? "\(d)" : cFormat(i % 3 == 1 ? "%.17g" : "%.10f", d))
        }
        let text = "v\n" + values.map { " \($0) " }.joined(separator: "\n") + "\n"
        for reader in [CSVReader(), splittingReader(threads: 2, minBytes: 1000)] {
            let table = try reader.read(bytes: Array(text.utf8), name: "n.csv")
            let parsed = try #require(numbers(table.columns.first))
            let expected = values.map { strtod($0, nil) }
            #expect(sameBits(parsed, expected))
        }
    }
}
