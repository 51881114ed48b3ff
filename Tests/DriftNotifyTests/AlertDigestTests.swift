import DriftEngine
@testable import DriftNotify
import Testing

/// One alert's line in Slack and e-mail messages: statistics named and rounded as people read them.
@Suite("AlertDigest: an alert's detail line")
struct AlertDigestTests {
    static func alert(kind: String, severity: String = "critical", _ annotations: [String: String]) -> Alert {
        Alert(labels: ["source": "payments", "feature": "amount", "kind": kind, "severity": severity],
              annotations: annotations, startsAtMs: 0)
    }

    @Test("engine names and full-precision numbers become KS D / χ² / PSI / W/σ / JS with 3 significant digits")
    func driftDetails() {
        let ks = Self.alert(kind: "drift", ["test": "ks", "statistic": "0.35201234", "p_value": "8.99e-133",
                                            "adjusted_p_value": "1.7976989306261702e-132",
                                            "effect": "normed_wasserstein", "effect_value": "1.145406893188144"])
        #expect(AlertDigest.detail(ks) == "drift critical — KS D 0.352, p 1.8e-132, W/σ 1.15")
        let chi = Self.alert(kind: "drift", ["test": "chi-square", "statistic": "777.2613576180516",
                                             "adjusted_p_value": "2.5855553026164316e-166", "effect": "psi",
                                             "effect_value": "0.9295994307115226"])
        #expect(AlertDigest.detail(chi) == "drift critical — χ² 777, p 2.59e-166, PSI 0.93")
        let nulls = Self.alert(kind: "null_rate", severity: "warning",
                               ["test": "two-proportion-z", "statistic": "23.816242859291165", "p_value": "0",
                                "effect": "null_rate_change", "effect_value": "0.12483333333333334"])
        #expect(AlertDigest.detail(nulls) == "null_rate warning — z 23.8, p < 1e-300, Δ null rate 0.125")
        let js = Self.alert(kind: "drift", ["test": "chi-square", "statistic": "12", "effect": "jensen_shannon",
                                            "effect_value": "0.2623"])
        #expect(AlertDigest.detail(js) == "drift critical — χ² 12, JS 0.262")
    }

    @Test("a freshness alert gives its reason, not a raw age in milliseconds")
    func freshnessReason() {
        let stale = Self.alert(kind: "freshness", ["test": "freshness-sla", "statistic": "31926234.0",
                                                   "effect": "event_age_ms", "effect_value": "31926234.0",
                                                   "reasons": "newest event is 8 h 52 min old, more than the SLA's 2 h"])
        #expect(AlertDigest.detail(stale) == "freshness critical — newest event is 8 h 52 min old, more than the SLA's 2 h")
        let sourceLevel = Alert(labels: ["source": "payments", "kind": "freshness", "severity": "critical"], startsAtMs: 0)
        #expect(AlertDigest.subject(sourceLevel) == "whole source")
        #expect(AlertDigest.subject(Self.alert(kind: "drift", [:])) == "amount")
    }

    @Test("annotations that are not numbers are shown clipped; a resolved alert says so")
    func textAndResolved() {
        let odd = Self.alert(kind: "drift", ["test": "custom", "statistic": "n/a", "effect": "", "effect_value": "big"])
        #expect(AlertDigest.detail(odd) == "drift critical — custom n/a, effect big")
        var resolved = Self.alert(kind: "drift", ["test": "ks", "statistic": "0.01"])
        resolved.endsAtMs = 1
        #expect(AlertDigest.detail(resolved) == "drift critical — KS D 0.01, resolved")
    }
}
