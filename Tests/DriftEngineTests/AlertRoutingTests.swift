import Testing
@testable import DriftEngine

/// Shorthands for configuration trees.
func cfgObject(_ members: [String: AlertConfigValue]) -> AlertConfigValue { .object(members) }
func cfgStrings(_ items: [String]) -> AlertConfigValue { .array(items.map { .string($0) }) }

func alertTestConfig(groupWait: String = "30s", groupInterval: String = "5m", repeatInterval: String = "4h",
                     inhibitRules: AlertConfigValue? = nil, sendResolved: Bool = true) throws -> AlertConfig {
    var top: [String: AlertConfigValue] = [
        "route": cfgObject([
            "receiver": .string("default"),
            "group_by": cfgStrings(["source"]),
            "group_wait": .string(groupWait),
            "group_interval": .string(groupInterval),
            "repeat_interval": .string(repeatInterval),
            "routes": .array([
                cfgObject(["matchers": cfgStrings(["severity=\"critical\""]), "receiver": .string("pager"),
                           "continue": .bool(true)]),
                cfgObject(["matchers": cfgStrings(["severity=~\"warning|critical\""]), "receiver": .string("slack")]),
            ]),
        ]),
        "receivers": .array([
            cfgObject(["name": .string("default")]),
            cfgObject(["name": .string("pager"), "send_resolved": .bool(sendResolved)]),
            cfgObject(["name": .string("slack"), "send_resolved": .bool(sendResolved),
                       "slack_configs": .array([cfgObject(["channel": .string("#drift")])])]),
        ]),
    ]
    if let inhibitRules { top["inhibit_rules"] = inhibitRules }
    return try AlertConfig.parse(.object(top))
}

@Suite struct AlertRoutingTests {
    @Test func matcherOperatorsAndAnchoring() throws {
        let eq = try Matcher.parse("severity=\"critical\"")
        #expect(eq.matches(["severity": "critical"]) && !eq.matches(["severity": "criticalx"]))
        let ne = try Matcher.parse("kind != drift")
        #expect(ne.op == .notEqual && ne.value == "drift")
        #expect(ne.matches([:]) && !ne.matches(["kind": "drift"]))
        let re = try Matcher.parse("source=~\"pay|ord.*\"")
        #expect(re.matches(["source": "pay"]) && re.matches(["source": "orders"]))
        #expect(!re.matches(["source": "xpay"]) && !re.matches(["source": "payx"]))
        let nre = try Matcher.parse("feature!~\"tmp_.*\"")
        #expect(nre.matches(["feature": "amount"]) && !nre.matches(["feature": "tmp_1"]))
        #expect(nre.matches([:]))
        let quoted = try Matcher.parse(#"feature="a \"b\" \\ c""#)
        #expect(quoted.value == #"a "b" \ c"#)
        #expect(try Matcher.parse(quoted.description) == quoted)
        #expect(throws: AlertConfigError.self) { try Matcher.parse("severity") }
        #expect(throws: AlertConfigError.self) { try Matcher.parse("1bad=x") }
        #expect(throws: AlertConfigError.self) { try Matcher.parse("a=~\"(\"") }
        #expect(throws: AlertConfigError.self) { try Matcher.parse("a=\"open") }
    }

    @Test func durations() {
        #expect(AlertDuration.parse("30s") == 30_000)
        #expect(AlertDuration.parse("5m") == 300_000)
        #expect(AlertDuration.parse("4h") == 14_400_000)
        #expect(AlertDuration.parse("1h30m") == 5_400_000)
        #expect(AlertDuration.parse("250ms") == 250)
        #expect(AlertDuration.parse("1d2h3m4s5ms") == 93_784_005)
        #expect(AlertDuration.parse("0") == 0)
        for bad in ["", "5", "m", "5x", "3m2h", "1.5h", "-5m", "5m5m"] { #expect(AlertDuration.parse(bad) == nil) }
        #expect(AlertDuration.format(5_400_000) == "1h30m")
    }

    @Test func routeMatchingWithContinueAndInheritance() throws {
        let config = try alertTestConfig()
        let root = config.route
        #expect(root.key == "{}")
        #expect(root.routes[0].key == "{}/{severity=\"critical\"}")
        // Children inherit group_by and timers.
        #expect(root.routes[1].groupBy == .labels(["source"]))
        #expect(root.routes[1].groupWaitMs == 30_000 && root.routes[1].repeatIntervalMs == 14_400_000)
        #expect(!root.routes[1].continueMatching)
        // critical: the first child continues, so the second matches too.
        #expect(root.match(["severity": "critical"]).map(\.receiver) == ["pager", "slack"])
        // warning: only the second.
        #expect(root.match(["severity": "warning"]).map(\.receiver) == ["slack"])
        // info: no child, the root itself.
        #expect(root.match(["severity": "info"]).map(\.receiver) == ["default"])
        // Without continue the first matching child stops the search.
        let stop = try Route.parse(cfgObject([
            "receiver": .string("r0"),
            "routes": .array([
                cfgObject(["matchers": cfgStrings(["kind=drift"]), "receiver": .string("r1"),
                           "group_wait": .string("0s"),
                           "routes": .array([cfgObject(["matchers": cfgStrings(["source=a"]), "receiver": .string("r3")])])]),
                cfgObject(["matchers": cfgStrings(["kind=~\".*\""]), "receiver": .string("r2")]),
            ]),
        ]))
        #expect(stop.match(["kind": "drift"]).map(\.receiver) == ["r1"])
        #expect(stop.match(["kind": "drift", "source": "a"]).map(\.receiver) == ["r3"])
        #expect(stop.routes[0].routes[0].groupWaitMs == 0)  // grandchild inherits group_wait 0
        #expect(stop.routes[0].routes[0].key == "{}/{kind=\"drift\"}/{source=\"a\"}")
        #expect(stop.match(["kind": "null_rate"]).map(\.receiver) == ["r2"])
        #expect(stop.groupWaitMs == Route.defaultGroupWaitMs && stop.groupIntervalMs == 300_000)
    }

    @Test func configErrorsNameTheKeyPath() throws {
        func error(_ v: AlertConfigValue) -> String? {
            do { _ = try AlertConfig.parse(v); return nil } catch { return error.description }
        }
        let receivers: AlertConfigValue = .array([cfgObject(["name": .string("a")])])
        #expect(error(cfgObject(["receivers": receivers])) == "route: missing")
        #expect(error(cfgObject(["route": cfgObject(["receiver": .string("a"), "group_wait": .string("soon")]),
                                 "receivers": receivers]))
                == "route.group_wait: invalid duration \"soon\" (e.g. 30s, 5m, 4h, 1h30m)")
        #expect(error(cfgObject(["route": cfgObject(["receiver": .string("a"), "routes": .array([
            cfgObject(["matchers": cfgStrings(["a=b", "=x"])])])]), "receivers": receivers]))
                == "route.routes[0].matchers[1]: invalid label name \"\"")
        #expect(error(cfgObject(["route": cfgObject(["receiver": .string("a"), "routes": .array([
            cfgObject(["receiver": .string("nobody")])])]), "receivers": receivers]))
                == "route.routes[0].receiver: undefined receiver \"nobody\"")
        #expect(error(cfgObject(["route": cfgObject(["receiver": .string("a"), "grouping": .bool(true)]),
                                 "receivers": receivers])) == "route.grouping: unknown key")
        #expect(error(cfgObject(["route": cfgObject(["receiver": .string("a"), "group_by": cfgStrings(["...", "x"])]),
                                 "receivers": receivers])) == "route.group_by: \"...\" cannot be combined with other labels")
        #expect(error(cfgObject(["route": cfgObject(["receiver": .string("a"), "group_interval": .string("0s")]),
                                 "receivers": receivers])) == "route.group_interval: must be positive")
        #expect(error(cfgObject(["route": cfgObject(["receiver": .string("a")]), "receivers": receivers,
                                 "inhibit_rules": .array([cfgObject(["target_matchers": .number(1)])])]))
                == "inhibit_rules[0].target_matchers: expected an array, found number")
        #expect(error(cfgObject(["route": cfgObject(["receiver": .string("a"), "matchers": cfgStrings(["a=b"])]),
                                 "receivers": receivers])) == "route.matchers: the root route must not have matchers")
    }

    @Test func receiversAndInhibitRulesParse() throws {
        let config = try alertTestConfig(sendResolved: false)
        #expect(config.receiver(named: "default").sendResolved)
        #expect(!config.receiver(named: "slack").sendResolved)
        #expect(config.receiver(named: "slack").settings["slack_configs"] != nil)
        #expect(config.inhibitRules == InhibitionRule.defaults)
        let none = try alertTestConfig(inhibitRules: .array([]))
        #expect(none.inhibitRules.isEmpty)
        let custom = try alertTestConfig(inhibitRules: .array([cfgObject([
            "source_matchers": cfgStrings(["kind=freshness"]), "target_matchers": cfgStrings(["kind!=freshness"]),
            "equal": cfgStrings(["source"])])]))
        #expect(custom.inhibitRules.count == 1 && custom.inhibitRules[0].equal == ["source"])
    }

    @Test func groupByAllAndGroupLabels() {
        let labels = ["source": "s", "feature": "f"]
        #expect(GroupBy.all.groupLabels(of: labels) == labels)
        #expect(GroupBy.labels(["source", "missing"]).groupLabels(of: labels) == ["source": "s"])
        #expect(GroupBy.labels([]).groupLabels(of: labels).isEmpty)
        #expect(AlertGroup.key(routeKey: "{}", groupLabels: ["source": "s", "feature": "f"])
                == "{}:{feature=\"f\",source=\"s\"}")
    }

    @Test func silencesParseAndValidate() throws {
        let s = try Silence.parse(cfgObject([
            "id": .string("s1"), "matchers": cfgStrings(["source=payments", "feature=~\"amount|fee\""]),
            "startsAt": .number(1_000), "endsAt": .number(2_000), "createdBy": .string("ops"),
            "comment": .string("deploy")]))
        #expect(s.matchers.count == 2 && s.startsAtMs == 1_000 && s.endsAtMs == 2_000 && s.createdBy == "ops")
        #expect(s.mutes(["source": "payments", "feature": "fee"], atMs: 1_000))
        #expect(!s.mutes(["source": "payments", "feature": "fee"], atMs: 2_000))
        func error(_ members: [String: AlertConfigValue]) -> String? {
            do { _ = try Silence.parse(cfgObject(members)); return nil } catch { return error.description }
        }
        let base: [String: AlertConfigValue] = ["id": .string("s"), "matchers": cfgStrings(["a=b"]),
                                                "startsAt": .number(0), "endsAt": .number(1)]
        #expect(error(base) == nil)
        #expect(error(base.merging(["endsAt": .number(0)]) { $1 }) == "endsAt: the end must be after the start")
        #expect(error(base.merging(["startsAt": .number(0.5)]) { $1 })
                == "startsAt: expected an integer number of ms, found number")
        #expect(error(base.merging(["matchers": cfgStrings(["a=~\".*\""])]) { $1 })
                == "matchers: at least one matcher must not match the empty string")
        #expect(error(base.merging(["matchers": cfgStrings(["a=b", "oops"])]) { $1 })
                == "matchers[1]: no operator (=, !=, =~, !~) in matcher \"oops\"")
        #expect(error(base.filter { $0.key != "id" }) == "id: missing")
    }
}
