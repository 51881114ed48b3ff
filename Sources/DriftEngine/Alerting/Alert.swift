/// One alert: a label set that identifies it, annotations that describe it, and its active interval.
///
/// Labels written by ``AlertDerivation``: `source`, `feature` (absent for source-level alerts such as
/// freshness), `partner` (the second feature of a correlation pair), `kind` (``AlertKind`` raw value) and
/// `severity` (`info`, `warning`, `critical`). As in Prometheus, a label with an empty value is the same as no
/// label: the initializer drops empty values, and matchers see an absent label as "".
public struct Alert: Sendable, Equatable {
    public static let sourceLabel = "source"
    public static let featureLabel = "feature"
    public static let partnerLabel = "partner"
    public static let kindLabel = "kind"
    public static let severityLabel = "severity"

    /// The identifying labels (never an empty value).
    public private(set) var labels: [String: String]
    /// Descriptive text (summary, statistic, window …); not part of the identity.
    public var annotations: [String: String]
    /// Start of the incident (ms since the Unix epoch).
    public var startsAtMs: Int64
    /// When the alert stopped firing; nil while it fires.
    public var endsAtMs: Int64?

    public init(labels: [String: String], annotations: [String: String] = [:], startsAtMs: Int64,
                endsAtMs: Int64? = nil) {
        self.labels = labels.filter { !$0.value.isEmpty }
        self.annotations = annotations
        self.startsAtMs = startsAtMs
        self.endsAtMs = endsAtMs
    }

    /// The value of a label, "" when absent.
    public subscript(label name: String) -> String { labels[name] ?? "" }

    /// True once ``endsAtMs`` is set.
    public var isResolved: Bool { endsAtMs != nil }

    /// The label names in UTF-8 byte order (the order of the fingerprint and of every JSON output).
    public var sortedLabelNames: [String] { labels.keys.sorted(by: AlertHash.byteOrder) }

    /// The identity of the alert: 64-bit FNV-1a over the labels sorted by name (UTF-8 byte order), each as
    /// name, 0xFF, value, 0xFF — the same value as Prometheus/Alertmanager's label-set fingerprint, so the
    /// webhook's `fingerprint` matches what Alertmanager tooling computes. Deterministic across runs (no
    /// `Hasher`). Annotations and times are not part of it; severity is, so an incident that escalates from
    /// warning to critical becomes a new alert (and the warning one resolves).
    public var fingerprint: UInt64 { Alert.fingerprint(of: labels) }

    /// ``fingerprint`` as 16 lower-case hex digits.
    public var fingerprintHex: String { AlertHash.hex(fingerprint) }

    /// The fingerprint of a label set (empty values dropped first, as ``init(labels:annotations:startsAtMs:endsAtMs:)`` does).
    public static func fingerprint(of labels: [String: String]) -> UInt64 {
        var h = AlertHash.offsetBasis
        for name in labels.keys.sorted(by: AlertHash.byteOrder) {
            let value = labels[name]!
            if value.isEmpty { continue }
            h = AlertHash.add(h, name)
            h = AlertHash.add(h, byte: AlertHash.separator)
            h = AlertHash.add(h, value)
            h = AlertHash.add(h, byte: AlertHash.separator)
        }
        return h
    }
}
