@testable import driftctl
import Testing

/// `TimeArgument`: the times and durations of the monitoring commands (--since, --window-start, schema "window").
@Suite("driftctl time arguments")
struct TimeArgumentTests {
    static let now: Int64 = 1_796_378_400_000   // 2026-12-04T10:00:00Z

    @Test("milliseconds since the epoch, with or without underscores")
    func epochMilliseconds() throws {
        #expect(try TimeArgument.parse("1796378400000", nowMs: 0) == 1_796_378_400_000)
        #expect(try TimeArgument.parse("1_796_378_400_000", nowMs: 0) == 1_796_378_400_000)
        #expect(try TimeArgument.parse("0", nowMs: 5) == 0)
        #expect(throws: TimeArgumentError.self) { try TimeArgument.parse("99999999999999999999", nowMs: 0) }
    }

    @Test("ISO-8601: Z, offsets, fractions, a date alone; impossible dates and missing zones refused")
    func iso8601() throws {
        #expect(try TimeArgument.parse("2026-12-04T10:00:00Z", nowMs: 0) == Self.now)
        #expect(try TimeArgument.parse("2026-12-04T10:00Z", nowMs: 0) == Self.now)
        #expect(try TimeArgument.parse("2026-12-04 10:00:00z", nowMs: 0) == Self.now)
        #expect(try TimeArgument.parse("2026-12-04T11:30:00+01:30", nowMs: 0) == Self.now)
        #expect(try TimeArgument.parse("2026-12-04T08:00:00-0200", nowMs: 0) == Self.now)
        #expect(try TimeArgument.parse("2026-12-04T10:00:00.25Z", nowMs: 0) == Self.now + 250)
        #expect(try TimeArgument.parse("2026-12-04T10:00:00.123456Z", nowMs: 0) == Self.now + 123)
        #expect(try TimeArgument.parse("2026-12-04", nowMs: 0) == Self.now - 10 * 3_600_000)
        #expect(try TimeArgument.parse("1970-01-01T00:00:00Z", nowMs: 0) == 0)
        #expect(try TimeArgument.parse("1969-12-31T23:59:59Z", nowMs: 0) == -1000)
        #expect(try TimeArgument.parse("2024-02-29T00:00:00Z", nowMs: 0) == 1_709_164_800_000)
        for bad in ["2026-02-29T00:00:00Z", "2026-13-01", "2026-12-04T24:00:00Z", "2026-12-04T10:00:00",
                    "2026-12-04T10:00:00Zjunk", "04/12/2026", "yesterday", "2026-12-4", "2026-12-04T10:00:00.Z"] {
            #expect(throws: TimeArgumentError.self, "\(bad)") { try TimeArgument.parse(bad, nowMs: 0) }
        }
        let missingZone = #expect(throws: TimeArgumentError.self) { try TimeArgument.parse("2026-12-04T10:00:00", nowMs: 0) }
        #expect(missingZone?.message.contains("add the zone") == true)
    }

    @Test("relative times count from now; a relative time needs a unit")
    func relative() throws {
        #expect(try TimeArgument.parse("-24h", nowMs: Self.now) == Self.now - 86_400_000)
        #expect(try TimeArgument.parse("-7d", nowMs: Self.now) == Self.now - 7 * 86_400_000)
        #expect(try TimeArgument.parse("-1h30m", nowMs: Self.now) == Self.now - 5_400_000)
        #expect(try TimeArgument.parse("+90s", nowMs: Self.now) == Self.now + 90_000)
        #expect(try TimeArgument.parse("-500ms", nowMs: Self.now) == Self.now - 500)
        #expect(try TimeArgument.parse("-2w", nowMs: Self.now) == Self.now - 14 * 86_400_000)
        #expect(try TimeArgument.parse(" now ", nowMs: Self.now) == Self.now)
        let noUnit = #expect(throws: TimeArgumentError.self) { try TimeArgument.parse("-24", nowMs: Self.now) }
        #expect(noUnit?.message.contains("needs a unit") == true)
        let badUnit = #expect(throws: TimeArgumentError.self) { try TimeArgument.parse("-3y", nowMs: Self.now) }
        #expect(badUnit?.message.contains("unknown unit 'y'") == true)
    }

    @Test("durations: unit pairs, fractions, plain milliseconds")
    func durations() throws {
        #expect(try TimeArgument.duration("1h") == 3_600_000)
        #expect(try TimeArgument.duration("15m") == 900_000)
        #expect(try TimeArgument.duration("1h30m") == 5_400_000)
        #expect(try TimeArgument.duration("1.5s") == 1500)
        #expect(try TimeArgument.duration("250") == 250)
        #expect(try TimeArgument.duration("2D") == 172_800_000)
        #expect(try TimeArgument.duration("1 h 30 m") == 5_400_000)
        for bad in ["", "h", "1x", "1h-2m", "1h30", "1 hour"] {
            #expect(throws: TimeArgumentError.self, "\(bad)") { try TimeArgument.duration(bad) }
        }
    }

    @Test("formatting: ISO UTC (milliseconds only when present), durations for people; round trips")
    func formatting() throws {
        #expect(TimeArgument.format(Self.now) == "2026-12-04T10:00:00Z")
        #expect(TimeArgument.format(Self.now + 7) == "2026-12-04T10:00:00.007Z")
        #expect(TimeArgument.format(0) == "1970-01-01T00:00:00Z")
        #expect(TimeArgument.format(-1) == "1969-12-31T23:59:59.999Z")
        #expect(TimeArgument.formatDuration(3_600_000) == "1h")
        #expect(TimeArgument.formatDuration(5_400_000) == "1h30m")
        #expect(TimeArgument.formatDuration(93_784_000) == "1d2h3m4s")
        #expect(TimeArgument.formatDuration(1500) == "1.5s")
        #expect(TimeArgument.formatDuration(250) == "250ms")
        #expect(TimeArgument.formatDuration(0) == "0s")
        var ms: Int64 = -5_000_000_000_000
        while ms < 5_000_000_000_000 {
            #expect(try TimeArgument.parse(TimeArgument.format(ms), nowMs: 0) == ms)
            ms += 86_399_999_937
        }
    }
}
