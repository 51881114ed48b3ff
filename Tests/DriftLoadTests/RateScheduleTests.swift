import Testing
@testable import DriftLoad

@Suite("RateSchedule")
struct RateScheduleTests {
    @Test("connections interleave: together they send request i at i / rate, each at C / rate intervals")
    func interleaving() {
        let s = RateSchedule(rate: 1000, connections: 3)
        var all: [Duration] = []
        for c in 0..<3 {
            var previous: Duration? = nil
            for k in 0..<50 {
                let t = s.offset(connection: c, sequence: k)
                if let previous { #expect(t - previous == .milliseconds(3)) }
                previous = t
                all.append(t)
            }
        }
        #expect(all.sorted() == (0..<150).map { Duration.milliseconds($0) })
    }

    @Test("fractional rates: offsets are rounded to the nanosecond and never drift")
    func fractional() {
        let s = RateSchedule(rate: 333.3, connections: 1)
        #expect(s.offset(ofRequest: 0) == .zero)
        #expect(s.offset(ofRequest: 1) == .nanoseconds(3_000_300))
        #expect(s.offset(ofRequest: 3333) == .seconds(10))
        #expect(s.offset(ofRequest: 1_000_000) == .nanoseconds(3_000_300_030_003))
    }

    @Test("requests due within a duration")
    func due() {
        #expect(RateSchedule(rate: 1000, connections: 2).requestsDue(within: .seconds(1)) == 1000)
        #expect(RateSchedule(rate: 1000, connections: 2).requestsDue(within: .milliseconds(500)) == 500)
        #expect(RateSchedule(rate: 3, connections: 1).requestsDue(within: .seconds(1)) == 3)
        #expect(RateSchedule(rate: 3, connections: 1).requestsDue(within: .zero) == 0)
        #expect(RateSchedule(rate: 0.5, connections: 1).requestsDue(within: .seconds(3)) == 2)
    }
}
