import Testing
@testable import DriftLoad

@Suite("Load reports, JSON text and number formatting")
struct ReportTests {
    @Test("JSON: escapes, non-finite numbers as null, key order kept")
    func json() {
        let v = JSONValue.object([
            ("s", .string("a\"b\\c\nd\u{01}")), ("inf", .number(.infinity)), ("x", .number(0.25)), ("i", .int(-3)),
            ("whole", .number(2)), ("arr", .array([.bool(true), .null, .uint(7)])), ("opt", .optional(nil as Double?)),
        ])
        #expect(v.text == #"{"s":"a\"b\\c\nd\u0001","inf":null,"x":0.25,"i":-3,"whole":2,"arr":[true,null,7],"opt":null}"#)
    }

    @Test("number formatting")
    func format() {
        #expect(Format.fixed(1.005, 1) == "1.0" && Format.fixed(2.5, 0) == "3" && Format.fixed(-0.04, 1) == "0.0")
        #expect(Format.fixed(0.0123, 3) == "0.012" && Format.fixed(nil, 2) == "-" && Format.fixed(.infinity, 2) == "inf")
        #expect(Format.significant(0.000123456) == "0.000123" && Format.significant(12345) == "12345")
        #expect(Format.significant(3.14159, 3) == "3.14" && Format.significant(1.5e-9, 2) == "1.5e-9")
        #expect(Format.significant(0) == "0" && Format.significant(2.5e12, 3) == "2.50e+12")
        #expect(Format.compact(50) == "50" && Format.compact(12.5) == "12.5" && Format.compact(0.1234, maxDecimals: 2) == "0.12")
        #expect(Format.grouped(1_234_567) == "1,234,567" && Format.grouped(-1000) == "-1,000" && Format.grouped(12) == "12")
        #expect(Format.rate(1_534_000) == "1.53M" && Format.rate(950) == "950" && Format.rate(12_500) == "12.5k")
    }

    static func report(phase: String = "closed", mode: LoadReport.Mode = .closed) -> LoadReport {
        var a = LoadTally(), b = LoadTally()
        for i in 1...100 { a.latency.record(.milliseconds(i)) }
        a.sent = 100; a.bytesSent = 2_000_000
        a.statusCounts = ["OK": 98, "DEADLINE_EXCEEDED": 2]
        a.valuesChecked = 98 * 4000
        a.driftResponses = 49
        a.queueWaitUsSum = 98 * 10; a.decodeUsSum = 98 * 20; a.computeUsSum = 98 * 300
        b.sent = 1; b.statusCounts = ["UNAVAILABLE": 1]; b.delayedSends = 3
        b.latency.record(.milliseconds(500))
        a.merge(b)
        return LoadReport(phase: phase, mode: mode, targetRate: mode == .open ? 50 : nil, connections: 2, inFlight: 4,
                          rowsPerRequest: 1000, featuresPerRequest: 4, duration: .seconds(2), tally: a,
                          serverBudgetMisses: 2)
    }

    @Test("tallies merge; derived rates, shares and means")
    func derived() {
        let r = Self.report()
        #expect(r.tally.sent == 101 && r.tally.completed == 101 && r.tally.ok == 98 && r.errors == 3)
        #expect(r.tally.delayedSends == 3 && r.tally.latency.count == 101)
        #expect(r.requestsPerSecond == 50.5 && r.valuesPerSecond == 98 * 4000 / 2 && r.megabytesPerSecond == 1)
        #expect(r.clientDeadlineExceeded == 2 && r.driftShare == 0.5)
        #expect(r.meanQueueWaitUs == 10 && r.meanDecodeUs == 20 && r.meanComputeUs == 300)
        #expect(r.approximateShare == 0)
    }

    @Test("report JSON carries every figure; the table has one row per phase and the details")
    func rendering() {
        let r = Self.report()
        let text = r.json.text
        for needle in [#""phase":"closed""#, #""requests":101"#, #""ok":98"#, #""status":{"DEADLINE_EXCEEDED":2,"OK":98,"UNAVAILABLE":1}"#,
                       #""budget_misses":{"client_deadline_exceeded":2,"server":2}"#, #""drift_share":0.5"#,
                       #""server_timings_us":{"queue_wait":10,"decode":20,"compute":300}"#, #""max":500"#] {
            #expect(text.contains(needle), "\(needle) in \(text)")
        }
        let table = LoadReport.table([r, Self.report(phase: "open 50%", mode: .open)])
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("phase") && lines[2].hasPrefix("closed") && lines[3].hasPrefix("open 50%"))
        #expect(table.contains("DEADLINE_EXCEEDED 2, OK 98, UNAVAILABLE 1"))
        #expect(table.contains("delayed sends") && table.contains("drift verdicts: 50.0 %"))
    }
}
