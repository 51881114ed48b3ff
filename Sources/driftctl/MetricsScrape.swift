/// One scrape of driftd's `/metrics` (Prometheus text format 0.0.4), parsed: every sample line as its name,
/// labels and value (comments and malformed lines skipped).
struct MetricsScrape: Equatable {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample]

    init(samples: [Sample]) { self.samples = samples }

    /// Parses the exposition text; label values are unescaped (`\\`, `\"`, `\n`).
    init(text: String) {
        samples = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            if let s = Self.parse(Substring(line)) { samples.append(s) }
        }
    }

    /// The sum of the samples named `name` whose labels include `matching`.
    func sum(_ name: String, _ matching: [String: String] = [:]) -> Double {
        samples.reduce(0) { acc, s in
            s.name == name && matching.allSatisfy({ s.labels[$0.key] == $0.value }) ? acc + s.value : acc
        }
    }

    /// The distinct values of `label` among the samples named `name`, sorted.
    func labelValues(_ name: String, _ label: String) -> [String] {
        Array(Set(samples.compactMap { $0.name == name ? $0.labels[label] : nil })).sorted()
    }

    /// The cumulative buckets of histogram `name` (`name_bucket`), summed over the samples matching `matching`,
    /// by upper bound (+Inf last).
    func buckets(_ name: String, _ matching: [String: String] = [:]) -> [(le: Double, count: Double)] {
        var byBound: [Double: Double] = [:]
        for s in samples where s.name == name + "_bucket" && matching.allSatisfy({ s.labels[$0.key] == $0.value }) {
            guard let le = s.labels["le"].flatMap(Self.number) else { continue }
            byBound[le, default: 0] += s.value
        }
        return byBound.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private static func parse(_ line: Substring) -> Sample? {
        var i = line.startIndex
        while i < line.endIndex, line[i] != "{", line[i] != " " { i = line.index(after: i) }
        let name = String(line[line.startIndex..<i])
        guard !name.isEmpty, i < line.endIndex else { return nil }
        var labels: [String: String] = [:]
        if line[i] == "{" {
            i = line.index(after: i)
            while i < line.endIndex, line[i] != "}" {
                guard let eq = line[i...].firstIndex(of: "=") else { return nil }
                let key = String(line[i..<eq]).trimmingLeading(",")
                var j = line.index(after: eq)
                guard j < line.endIndex, line[j] == "\"" else { return nil }
                j = line.index(after: j)
                var value = ""
                while j < line.endIndex, line[j] != "\"" {
                    if line[j] == "\\" {
                        j = line.index(after: j)
                        guard j < line.endIndex else { return nil }
                        value.append(line[j] == "n" ? "\n" : line[j])
                    } else {
                        value.append(line[j])
                    }
                    j = line.index(after: j)
                }
                guard j < line.endIndex else { return nil }
                labels[key] = value
                i = line.index(after: j)
                if i < line.endIndex, line[i] == "," { i = line.index(after: i) }
            }
            guard i < line.endIndex else { return nil }
            i = line.index(after: i)
        }
        let rest = line[i...].split(separator: " ")
        guard let first = rest.first, let v = number(String(first)) else { return nil }
        return Sample(name: name, labels: labels, value: v)
    }

    static func number(_ s: String) -> Double? {
        switch s {
        case "+Inf", "Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(s)
        }
    }
}

private extension String {
    func trimmingLeading(_ c: Character) -> String { String(drop { $0 == c }) }
}
