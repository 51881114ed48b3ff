import DriftClient
import DriftColumnar
import DriftServer
import DriftTestSupport
import DriftWire
import Foundation
import Testing

let features = [
    FeatureSpec(name: "x", type: 2),  // FLOAT64
    FeatureSpec(name: "c", type: 5),  // CATEGORICAL
]

/// A block with x ~ N(xShift, 1) and c over {a, b, c} at 50/30/20 %.
func block(rows: Int, seed: UInt64, xShift: Double = 0, compressed: Bool = true) throws -> EncodedBlock {
    let x = TestData.normal(seed: seed, count: rows, mean: xShift)
    var rng = SplitMix64(seed: seed ^ 0xC0FFEE)
    let c = (0..<rows).map { _ -> UInt32 in
        let u = rng.uniform()
        return u < 0.5 ? 0 : u < 0.8 ? 1 : 2
    }
    var e = ColumnBlockEncoder(rowCount: rows)
    try e.addFloat64("x", x)
    try e.addCategorical("c", codes: c, dictionary: ["a", "b", "c"])
    return compressed ? try EncodedBlock(e) : EncodedBlock(uncompressed: e)
}

/// A driftd server on 127.0.0.1:0 over a temporary store directory; `close()` stops it and removes the directory.
final class ServerFixture: @unchecked Sendable {
    let dir: String
    private(set) var server: DriftServer
    let maxConcurrentStreams: UInt32
    let workers: Int
    let limits: FrameLimits

    init(workers: Int = 2, maxConcurrentStreams: UInt32 = 100, limits: FrameLimits = .default) throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("driftclient-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        self.maxConcurrentStreams = maxConcurrentStreams
        self.workers = workers
        self.limits = limits
        server = try DriftServer(configuration: Self.configuration(dir, port: 0, workers: workers,
                                                                   maxConcurrentStreams: maxConcurrentStreams, limits: limits))
    }

    private static func configuration(_ dir: String, port: UInt16, workers: Int, maxConcurrentStreams: UInt32,
                                      limits: FrameLimits) -> DriftServerConfiguration {
        DriftServerConfiguration(storePath: dir + "/store.sqlite", port: port, limits: limits, workers: workers,
                                 maxConcurrentStreams: maxConcurrentStreams)
    }

    var port: UInt16 { server.port }

    func stop() { server.stop() }

    /// A new server on the same port and store (after `stop()`).
    func restart() throws {
        let port = server.port
        server.stop()
        server = try DriftServer(configuration: Self.configuration(dir, port: port, workers: workers,
                                                                   maxConcurrentStreams: maxConcurrentStreams, limits: limits))
    }

    func client(_ configure: (inout DriftClientConfiguration) -> Void = { _ in }) throws -> DriftClient {
        var config = DriftClientConfiguration(port: port, clientName: "driftclient-tests")
        configure(&config)
        return try DriftClient(configuration: config)
    }

    func close() {
        server.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// The error a throwing expression threw (a non-`DriftClientError` shows up as UNKNOWN), or nil.
func caught<T>(_ body: () throws -> T) -> DriftClientError? {
    do {
        _ = try body()
        return nil
    } catch let error as DriftClientError {
        return error
    } catch {
        return DriftClientError(status: .unknown, message: "not a DriftClientError: \(error)", origin: .local)
    }
}
