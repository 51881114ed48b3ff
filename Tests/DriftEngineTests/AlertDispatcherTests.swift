import Testing
@testable import DriftEngine

func alertTestAlert(_ source: String, _ feature: String?, kind: String = "drift", severity: String = "warning",
                    startsAtMs: Int64 = 0) -> Alert {
    var labels = ["source": source, "kind": kind, "severity": severity]
    if let feature { labels["feature"] = feature }
    return Alert(labels: labels, annotations: ["summary": "\(source)/\(feature ?? "")"], startsAtMs: startsAtMs)
}

private func features(_ n: [Alert]) -> [String] { n.map { $0[label: "feature"] }.sorted() }

@Suite struct AlertDispatcherTests {
    @Test func fourteenDriftingFeaturesMakeOneNotification() throws {
        var d = AlertDispatcher(config: try alertTestConfig())
        let alerts = (1...14).map { alertTestAlert("X", "f\($0)") } + [alertTestAlert("Y", "g")]
        #expect(d.update(firing: alerts, nowMs: 0).isEmpty)
        #expect(d.nextWakeMs == 30_000)
        #expect(d.tick(nowMs: 29_999).isEmpty)
        let sent = d.tick(nowMs: 30_000)
        #expect(sent.count == 2)
        let x = try #require(sent.first { $0.groupLabels == ["source": "X"] })
        #expect(x.receiver == "slack")
        #expect(x.groupKey == "{}/{severity=~\"warning|critical\"}:{source=\"X\"}")
        #expect(x.firing.count == 14 && x.resolved.isEmpty && x.status == "firing")
        #expect(x.commonLabels == ["source": "X", "kind": "drift", "severity": "warning"])
        #expect(x.sequence == 1 && x.createdMs == 30_000 && x.dedupKey.utf8.count == 16)
        #expect(sent.first { $0.groupLabels == ["source": "Y"] }?.firing.count == 1)
    }

    @Test func criticalGoesToPagerAndSlackThroughContinue() throws {
        var d = AlertDispatcher(config: try alertTestConfig())
        _ = d.update(firing: [alertTestAlert("X", "a", severity: "critical"), alertTestAlert("X", "b", severity: "info")],
                     nowMs: 0)
        let sent = d.tick(nowMs: 30_000)
        #expect(sent.map(\.receiver).sorted() == ["default", "pager", "slack"])
        #expect(sent.first { $0.receiver == "default" }.map { features($0.firing) } == ["b"])
    }

    @Test func groupWaitIntervalAndRepeatAtExactBoundaries() throws {
        var d = AlertDispatcher(config: try alertTestConfig(groupWait: "30s", groupInterval: "5m", repeatInterval: "10m"))
        #expect(d.update(firing: [alertTestAlert("X", "a")], nowMs: 0).isEmpty)
        #expect(d.tick(nowMs: 29_999).isEmpty)
        let n1 = d.tick(nowMs: 30_000)
        #expect(n1.count == 1 && features(n1[0].firing) == ["a"])
        // A new alert in the group waits for the group interval, not the group wait.
        #expect(d.update(firing: [alertTestAlert("X", "a"), alertTestAlert("X", "b")], nowMs: 60_000).isEmpty)
        #expect(d.nextWakeMs == 330_000)
        #expect(d.tick(nowMs: 329_999).isEmpty)
        let n2 = d.tick(nowMs: 330_000)
        #expect(n2.count == 1 && features(n2[0].firing) == ["a", "b"] && n2[0].sequence == 2)
        // Unchanged: nothing at the next interval (300 000 ms after the last notification < repeat 600 000)...
        #expect(d.tick(nowMs: 630_000).isEmpty)
        // ...and a repeat at the interval where repeat_interval has passed exactly (≥).
        let n3 = d.tick(nowMs: 930_000)
        #expect(n3.count == 1 && features(n3[0].firing) == ["a", "b"] && n3[0].sequence == 3)
        #expect(n3[0].dedupKey != n2[0].dedupKey)
        // A late tick flushes once (here a repeat: 1 070 000 ms since the last) and the cadence restarts from it.
        #expect(d.tick(nowMs: 2_000_000).map(\.sequence) == [4])
        #expect(d.nextWakeMs == 2_300_000)
    }

    @Test func groupWaitZeroFlushesInTheSameUpdate() throws {
        var d = AlertDispatcher(config: try alertTestConfig(groupWait: "0s"))
        let sent = d.update(firing: [alertTestAlert("X", "a")], nowMs: 5)
        #expect(sent.count == 1 && sent[0].createdMs == 5)
    }

    @Test func resolvedNotificationAndGroupRemoval() throws {
        var d = AlertDispatcher(config: try alertTestConfig())
        _ = d.update(firing: [alertTestAlert("X", "a"), alertTestAlert("X", "b")], nowMs: 0)
        #expect(d.tick(nowMs: 30_000).count == 1)
        // b resolves: reported at the next interval with its end time.
        #expect(d.update(firing: [alertTestAlert("X", "a")], nowMs: 100_000).isEmpty)
        let partial = d.tick(nowMs: 330_000)
        #expect(partial.count == 1)
        #expect(features(partial[0].firing) == ["a"] && features(partial[0].resolved) == ["b"])
        #expect(partial[0].resolved[0].endsAtMs == 100_000 && partial[0].status == "firing")
        // a resolves: the all-resolved notification, then the group is gone.
        #expect(d.update(firing: [], nowMs: 400_000).isEmpty)
        let done = d.tick(nowMs: 630_000)
        #expect(done.count == 1 && done[0].firing.isEmpty && features(done[0].resolved) == ["a"])
        #expect(done[0].status == "resolved")
        #expect(d.nextWakeMs == nil && d.groupKeys.isEmpty && d.firing.isEmpty)
        // A later incident is a new group with a new group_wait and a new dedup key.
        _ = d.update(firing: [alertTestAlert("X", "a")], nowMs: 700_000)
        #expect(d.tick(nowMs: 729_999).isEmpty)
        let again = d.tick(nowMs: 730_000)
        #expect(again.count == 1 && again[0].sequence == 1)
    }

    @Test func withoutSendResolvedResolutionsAreNotSent() throws {
        var d = AlertDispatcher(config: try alertTestConfig(sendResolved: false))
        _ = d.update(firing: [alertTestAlert("X", "a"), alertTestAlert("X", "b")], nowMs: 0)
        #expect(d.tick(nowMs: 30_000).count == 1)
        _ = d.update(firing: [alertTestAlert("X", "a")], nowMs: 100_000)
        #expect(d.tick(nowMs: 330_000).isEmpty)
        _ = d.update(firing: [], nowMs: 400_000)
        #expect(d.tick(nowMs: 630_000).isEmpty)
        #expect(d.groupKeys.isEmpty)
    }

    @Test func flappingBeforeTheFlushSendsNothing() throws {
        var d = AlertDispatcher(config: try alertTestConfig())
        _ = d.update(firing: [alertTestAlert("X", "a")], nowMs: 0)
        #expect(d.tick(nowMs: 30_000).count == 1)
        _ = d.update(firing: [], nowMs: 40_000)
        _ = d.update(firing: [alertTestAlert("X", "a")], nowMs: 50_000)
        #expect(d.tick(nowMs: 330_000).isEmpty)
    }

    @Test func updatePerSourceLeavesOtherSourcesFiring() throws {
        var d = AlertDispatcher(config: try alertTestConfig())
        _ = d.update(firing: [alertTestAlert("X", "a"), alertTestAlert("Y", "b")], nowMs: 0)
        _ = d.update(source: "X", firing: [alertTestAlert("Y", "ignored")], nowMs: 10)
        #expect(d.firing.map { $0[label: "source"] } == ["Y"])
        #expect(features(d.firing) == ["b"])
    }

    @Test func silenceWindowStartInclusiveEndExclusive() throws {
        var d = AlertDispatcher(config: try alertTestConfig())
        d.silences = [Silence(id: "s1", matchers: [try Matcher.parse("feature=a")], startsAtMs: 30_000,
                              endsAtMs: 330_000, createdBy: "ops", comment: "known")]
        try d.silences[0].validate()
        let a = alertTestAlert("X", "a"), b = alertTestAlert("X", "b")
        _ = d.update(firing: [a, b], nowMs: 0)
        #expect(d.muteState(of: a, nowMs: 29_999) == .active)
        #expect(d.muteState(of: a, nowMs: 30_000) == .silenced(["s1"]))
        #expect(d.muteState(of: a, nowMs: 329_999) == .silenced(["s1"]))
        #expect(d.muteState(of: a, nowMs: 330_000) == .active)
        let first = d.tick(nowMs: 30_000)
        #expect(first.count == 1 && features(first[0].firing) == ["b"] && features(first[0].silenced) == ["a"])
        let second = d.tick(nowMs: 330_000)
        #expect(second.count == 1 && features(second[0].firing) == ["a", "b"] && second[0].silenced.isEmpty)
    }

    @Test func expiringASilenceUnmutesAtTheNextFlush() throws {
        var d = AlertDispatcher(config: try alertTestConfig())
        d.silences = [Silence(id: "s", matchers: [try Matcher.parse("source=X")], startsAtMs: 0, endsAtMs: .max,
                              createdBy: "ops", comment: "")]
        _ = d.update(firing: [alertTestAlert("X", "a")], nowMs: 0)
        #expect(d.tick(nowMs: 30_000).isEmpty)  // everything silenced: nothing to say
        d.silences[0] = d.silences[0].expired(atMs: 100_000)
        #expect(d.silences[0].endsAtMs == 100_000 && !d.silences[0].isActive(atMs: 100_000))
        let sent = d.tick(nowMs: 330_000)
        #expect(sent.count == 1 && features(sent[0].firing) == ["a"])
        d.pruneSilences(beforeMs: 100_001)
        #expect(d.silences.isEmpty)
        let empty = Silence(id: "e", matchers: [try Matcher.parse("source=~\".*\"")], startsAtMs: 0, endsAtMs: 1,
                            createdBy: "", comment: "")
        #expect(throws: AlertConfigError.self) { try empty.validate() }
    }

    @Test func staleSourceInhibitsDriftAndNullRateOfThatSource() throws {
        var d = AlertDispatcher(config: try alertTestConfig())
        let stale = alertTestAlert("X", nil, kind: "freshness", severity: "critical")
        let alerts = [stale, alertTestAlert("X", "a"), alertTestAlert("X", "b", kind: "null_rate"),
                      alertTestAlert("X", "c", kind: "correlation"), alertTestAlert("Y", "a")]
        _ = d.update(firing: alerts, nowMs: 0)
        let sent = d.tick(nowMs: 30_000)
        let slackX = try #require(sent.first { $0.receiver == "slack" && $0.groupLabels == ["source": "X"] })
        #expect(slackX.firing.map { $0[label: "kind"] }.sorted() == ["correlation", "freshness"])
        #expect(features(slackX.inhibited) == ["a", "b"])
        #expect(sent.first { $0.groupLabels == ["source": "Y"] }?.firing.count == 1)
        // The source becomes fresh: the drift and null-rate alerts are notified at the next interval.
        _ = d.update(firing: Array(alerts.dropFirst()), nowMs: 60_000)
        let after = d.tick(nowMs: 330_000).first { $0.receiver == "slack" && $0.groupLabels == ["source": "X"] }
        #expect(after.map { features($0.firing) } == ["a", "b", "c"])
        #expect(after?.inhibited.isEmpty == true)
    }

    @Test func criticalInhibitsWarningOfTheSameFeatureAndKind() throws {
        var d = AlertDispatcher(config: try alertTestConfig())
        let warnA = alertTestAlert("X", "a"), critA = alertTestAlert("X", "a", severity: "critical")
        let nullA = alertTestAlert("X", "a", kind: "null_rate"), warnB = alertTestAlert("X", "b")
        _ = d.update(firing: [warnA, critA, nullA, warnB], nowMs: 0)
        #expect(d.muteState(of: warnA, nowMs: 0) == .inhibited)
        #expect(d.muteState(of: critA, nowMs: 0) == .active)
        #expect(d.muteState(of: nullA, nowMs: 0) == .active)
        #expect(d.muteState(of: warnB, nowMs: 0) == .active)
        let slack = try #require(d.tick(nowMs: 30_000).first { $0.receiver == "slack" })
        #expect(slack.inhibited == [warnA])
        #expect(slack.firing.count == 3)
        // No inhibition when the rules are turned off.
        var plain = AlertDispatcher(config: try alertTestConfig(inhibitRules: .array([])))
        _ = plain.update(firing: [warnA, critA], nowMs: 0)
        #expect(plain.muteState(of: warnA, nowMs: 0) == .active)
    }

    @Test func stateRoundTripKeepsDecisionsAndDedupKeys() throws {
        let config = try alertTestConfig()
        var d = AlertDispatcher(config: config)
        d.silences = [Silence(id: "s1", matchers: [try Matcher.parse("feature=~\"z.*\""), try Matcher.parse("kind!=x")],
                              startsAtMs: 0, endsAtMs: 10_000_000, createdBy: "ops ✓", comment: "line\nbreak")]
        _ = d.update(firing: [alertTestAlert("X", "a"), alertTestAlert("X", "z1", severity: "critical"),
                             alertTestAlert("Y", "b")], nowMs: 0)
        _ = d.tick(nowMs: 30_000)
        _ = d.update(firing: [alertTestAlert("X", "a"), alertTestAlert("Y", "c")], nowMs: 100_000)
        let bytes = d.encode()
        var restored = try AlertDispatcher.decode(bytes, config: config)
        #expect(restored.encode() == bytes)
        #expect(restored.silences == d.silences && restored.firing == d.firing)
        for t: Int64 in [130_000, 330_000, 630_000, 14_730_000] {
            let a = d.tick(nowMs: t), b = restored.tick(nowMs: t)
            #expect(a == b)
            #expect(Set(a.map(\.dedupKey)).count == a.count)
        }
        #expect(d.encode() == restored.encode())
    }

    @Test func dedupKeysAreFixedForAFixedHistory() throws {
        func run() throws -> [String] {
            var d = AlertDispatcher(config: try alertTestConfig())
            _ = d.update(firing: [alertTestAlert("X", "a")], nowMs: 0)
            return d.tick(nowMs: 30_000).map(\.dedupKey)
        }
        let keys = try run()
        #expect(keys == (try run()))
        #expect(keys.count == 1 && keys[0].allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func decodingRejectsDamagedState() throws {
        let config = try alertTestConfig()
        var d = AlertDispatcher(config: config)
        d.silences = [Silence(id: "s", matchers: [try Matcher.parse("a=b")], startsAtMs: 0, endsAtMs: 1,
                              createdBy: "", comment: "")]
        _ = d.update(firing: [alertTestAlert("X", "a")], nowMs: 0)
        let bytes = d.encode()
        for n in 0..<bytes.count {
            #expect(throws: AlertDispatcherDecodingError.self) { try AlertDispatcher.decode(Array(bytes[0..<n]), config: config) }
        }
        #expect(throws: AlertDispatcherDecodingError.trailingBytes) { try AlertDispatcher.decode(bytes + [0], config: config) }
        var bad = bytes
        bad[0] = 0
        #expect(throws: AlertDispatcherDecodingError.badMagic) { try AlertDispatcher.decode(bad, config: config) }
        bad = bytes
        bad[4] = 9
        #expect(throws: AlertDispatcherDecodingError.unsupportedVersion(9)) { try AlertDispatcher.decode(bad, config: config) }
        // A group whose route is gone from the configuration is dropped.
        let other = AlertConfig(route: Route(receiver: "default"), receivers: [AlertReceiver(name: "default")])
        let moved = try AlertDispatcher.decode(bytes, config: other)
        #expect(moved.groupKeys.isEmpty && moved.firing.count == 1)
    }

    @Test func repeatIntervalBoundaryIsInclusive() throws {
        for (repeat_, expected) in [("5m", 1), ("5m1ms", 0)] {
            var d = AlertDispatcher(config: try alertTestConfig(groupWait: "0s", groupInterval: "5m", repeatInterval: repeat_))
            #expect(d.update(firing: [alertTestAlert("X", "a")], nowMs: 0).count == 1)
            #expect(d.tick(nowMs: 299_999).isEmpty)
            #expect(d.tick(nowMs: 300_000).count == expected)
        }
    }

    @Test func derivedIncidentsOfOneSourceBecomeOneNotification() throws {
        var tracker = FeatureStatusTracker()
        var verdicts: [FeatureWindowVerdict] = []
        let hour: Int64 = 3_600_000
        for w in 0..<2 {
            for f in 0..<20 {
                let drifting = f < 14
                let signal = MonitoredSignal(feature: "f\(f)", kind: .drift)
                let status = tracker.advance(signal, decision: drifting ? .drifting : .clean,
                                             severity: drifting ? .warning : .none, windowStartMs: Int64(w) * hour,
                                             persistence: 2, recovery: 2)
                var v = alertTestVerdict(source: "X", feature: "f\(f)", windowStartMs: Int64(w) * hour, state: .ok)
                v.status = status
                verdicts.append(v)
            }
        }
        let alerts = AlertDerivation.alerts(from: verdicts)
        #expect(alerts.count == 14)
        var d = AlertDispatcher(config: try alertTestConfig())
        #expect(d.update(source: "X", firing: alerts, nowMs: 2 * hour).isEmpty)
        let sent = d.tick(nowMs: 2 * hour + 30_000)
        #expect(sent.count == 1)
        #expect(sent[0].groupLabels == ["source": "X"] && sent[0].firing.count == 14)
        #expect(sent[0].firing.allSatisfy { $0.startsAtMs == 0 })
    }

    @Test func alertsMatchingBothSidesOfARuleDoNotInhibitEachOther() throws {
        let rule = InhibitionRule(sourceMatchers: [try Matcher.parse("kind=~\"drift|null_rate\"")],
                                  targetMatchers: [try Matcher.parse("kind=~\"drift|null_rate\"")], equal: ["source"])
        let a = alertTestAlert("X", "a"), b = alertTestAlert("X", "b", kind: "null_rate")
        #expect(!rule.inhibits(a, by: b) && !rule.inhibits(b, by: a) && !rule.inhibits(a, by: a))
        let oneSided = InhibitionRule(sourceMatchers: [try Matcher.parse("kind=null_rate")],
                                      targetMatchers: [try Matcher.parse("kind=drift")], equal: ["source"])
        #expect(oneSided.inhibits(a, by: b) && !oneSided.inhibits(b, by: a))
        #expect(!oneSided.inhibits(a, by: alertTestAlert("Y", "b", kind: "null_rate")))
    }
}
