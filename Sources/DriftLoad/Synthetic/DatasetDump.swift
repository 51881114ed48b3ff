#if canImport(Glibc)
import Glibc
#endif

/// Writes a load test's data as raw little-endian float32 files plus `manifest.json`, so a numpy/scipy loop can
/// run the same checks on the same numbers:
///
///     baseline.f32         features × baselineRows values, feature-major (feature 0's rows, then feature 1's, …)
///     block-000.f32 …      features × blockRows values each, feature-major
///     manifest.json        {"format": "float32-le", "layout": "feature-major", "features": ["f0", …],
///                           "seed": 42, "baseline": {"file": "baseline.f32", "rows": N},
///                           "blocks": [{"file": "block-000.f32", "rows": R, "drifted": false}, …],
///                           "drift_shift": 0.3, "drifted_features": ["f0", …]}
///
///     m = json.load(open("manifest.json"))
///     base = np.fromfile("baseline.f32", dtype="<f4").reshape(len(m["features"]), m["baseline"]["rows"])
public struct DatasetDump: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Writes every file (creating the directory and its parents). `baseline` may be passed when already generated.
    /// - Throws: `DumpError` naming the file.
    public func write(_ dataset: SyntheticDataset, baseline: [[Float]]? = nil) throws(DumpError) {
        try makeDirectories(directory)
        try writeFloats(file: "baseline.f32", columns: baseline ?? dataset.baselineColumns())
        var blocks: [JSONValue] = []
        for b in 0..<dataset.blockCount {
            let name = "block-" + String(repeating: "0", count: max(0, 3 - String(b).count)) + String(b) + ".f32"
            try writeFloats(file: name, columns: dataset.blockColumns(b))
            blocks.append(.object([("file", .string(name)), ("rows", .int(Int64(dataset.blockRows))),
                                   ("drifted", .bool(dataset.isDrifted(block: b)))]))
        }
        let names = dataset.featureNames
        let manifest = JSONValue.object([
            ("format", .string("float32-le")),
            ("layout", .string("feature-major")),
            ("features", .array(names.map(JSONValue.string))),
            ("seed", .uint(dataset.seed)),
            ("baseline", .object([("file", .string("baseline.f32")), ("rows", .int(Int64(dataset.baselineRows)))])),
            ("blocks", .array(blocks)),
            ("drift_shift", .number(dataset.driftShift)),
            ("drifted_features", .array(dataset.driftedFeatureIndices.map { .string(names[$0]) })),
        ])
        try writeFile("manifest.json", Array((manifest.text + "\n").utf8))
    }

    private func writeFloats(file: String, columns: [[Float]]) throws(DumpError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(columns.reduce(0) { $0 + $1.count * 4 })
        for column in columns { column.withUnsafeBytes { bytes.append(contentsOf: $0) } }   // hosts are little-endian
        try writeFile(file, bytes)
    }

    private func writeFile(_ name: String, _ bytes: [UInt8]) throws(DumpError) {
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DumpError(path: path, reason: Self.errnoText()) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw DumpError(path: path, reason: Self.errnoText()) }
            offset += n
        }
    }

    private func makeDirectories(_ path: String) throws(DumpError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw DumpError(path: prefix, reason: Self.errnoText()) }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
