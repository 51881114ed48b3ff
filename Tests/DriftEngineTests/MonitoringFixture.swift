import Foundation

/// Loads Tests/Fixtures/monitoring.json (tools/gen_monitoring_fixtures.py, scipy). Floats are repr strings,
/// undefined expectations JSON null.
enum MonitoringFixture {
    nonisolated(unsafe) static let root: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/monitoring.json")
        let data = try! Data(contentsOf: url)
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func cases(_ key: String) -> [[String: Any]] { root[key] as! [[String: Any]] }

    /// A repr string as a Double; nil for JSON null.
    static func double(_ value: Any?) -> Double? {
        guard let s = value as? String else { return nil }
        return Double(s)!
    }

    static func doubles(_ value: Any?) -> [Double] { (value as! [Any]).map { double($0)! } }

    static func optionalDoubles(_ value: Any?) -> [Double?] { (value as! [Any]).map { double($0) } }
}
