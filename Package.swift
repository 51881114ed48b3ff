// swift-tools-version:6.0
import PackageDescription

// MARK: - Code generation for the compute kernels
//
// Release builds of the compute modules target x86-64-v3 (AVX2, FMA, BMI2) by default: without a target CPU
// Swift emits SSE2-only code and the one-pass profile is 15x slower (Benchmarks/README.md has the measurements).
// -Ounchecked was measured too and made no difference, so the kernels keep Swift's checks (-O).
// Override with DRIFT_TARGET_CPU:
//   DRIFT_TARGET_CPU=native     swift build -c release   # this machine's CPU (AVX-512 where present)
//   DRIFT_TARGET_CPU=x86-64     swift build -c release   # baseline x86-64, runs anywhere
//   DRIFT_TARGET_CPU=x86-64-v3  swift build -c release   # the default
// Non-x86 hosts ignore the setting.
let targetCPU = Context.environment["DRIFT_TARGET_CPU"] ?? "x86-64-v3"
let isX86 = {
    #if arch(x86_64)
    return true
    #else
    return false
    #endif
}()
let kernelFlags: [SwiftSetting] = {
    var flags: [String] = []
    if isX86 && targetCPU != "x86-64" { flags += ["-Xcc", "-march=\(targetCPU)"] }
    return flags.isEmpty ? [] : [.unsafeFlags(flags, .when(configuration: .release))]
}()

let package = Package(
    name: "driftd",
    products: [
        .executable(name: "driftd", targets: ["driftd"]),
        .executable(name: "driftctl", targets: ["driftctl"]),
        .executable(name: "drift-bench", targets: ["drift-bench"]),
        .executable(name: "alert-bench", targets: ["alert-bench"]),
        .library(name: "DriftKernels", targets: ["DriftKernels"]),
        .library(name: "DriftEngine", targets: ["DriftEngine"]),
        .library(name: "DriftClient", targets: ["DriftClient"]),
    ],
    targets: [
        // MARK: - C system libraries (modulemap + shim header only)
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CEpoll"),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Test-only: the TLS of the loopback SMTP/HTTP test receivers (driftd's own TLS is libcurl's).
        .systemLibrary(name: "COpenSSL", path: "Tests/COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        // MARK: - Libraries, bottom up
        .target(name: "DriftKernels", swiftSettings: kernelFlags),
        .target(name: "DriftWire"),
        .target(name: "DriftTransport", dependencies: ["DriftWire", "CEpoll"]),
        .target(name: "DriftStore", dependencies: ["CSQLite", "DriftWire"]),
        .target(name: "DriftColumnar", dependencies: ["CZstd", "DriftWire"], swiftSettings: kernelFlags),
        .target(name: "DriftEngine", dependencies: ["DriftKernels"], swiftSettings: kernelFlags),
        // Alert delivery (Slack, email, webhooks) through libcurl; may use Foundation, does not need it.
        .target(name: "DriftNotify", dependencies: ["DriftEngine", "CCurl"]),
        .target(name: "DriftServer",
                dependencies: ["DriftTransport", "DriftWire", "DriftColumnar", "DriftStore", "DriftEngine", "DriftKernels",
                               "DriftNotify"]),
        .target(name: "DriftClient", dependencies: ["DriftWire", "DriftColumnar"]),
        .target(name: "DriftLoad", dependencies: ["DriftClient", "DriftWire", "DriftColumnar"]),

        // MARK: - Executables (thin)
        .executableTarget(name: "driftd", dependencies: ["DriftServer"]),
        .executableTarget(name: "driftctl",
                         dependencies: ["DriftEngine", "DriftKernels", "DriftColumnar", "DriftClient", "DriftLoad", "DriftWire"]),
        .executableTarget(
            name: "drift-bench", dependencies: ["DriftKernels", "DriftEngine", "DriftStore"],
            path: "Benchmarks/DriftBenchmarks", swiftSettings: kernelFlags),
        // Alert latency: verdict → webhook through an in-process driftd and a loopback receiver (Benchmarks/README.md).
        .executableTarget(
            name: "alert-bench", dependencies: ["DriftServer", "DriftClient", "DriftColumnar", "DriftWire", "DriftTestReceivers", "DriftTestSupport"],
            path: "Benchmarks/AlertLatency"),

        // MARK: - Tests
        .target(name: "DriftTestSupport", path: "Tests/DriftTestSupport"),
        // A raw imitation of driftd for client-side tests (shared by the client and CLI tests).
        .target(name: "DriftFakeServer", dependencies: ["DriftWire"], path: "Tests/DriftFakeServer"),
        // Loopback HTTP and SMTP servers that record what they receive (alert delivery tests; STARTTLS/HTTPS with
        // the test certificates of Tests/Fixtures/tls).
        .target(name: "DriftTestReceivers", dependencies: ["COpenSSL"], path: "Tests/DriftTestReceivers"),
        .testTarget(name: "DriftKernelsTests", dependencies: ["DriftKernels", "DriftTestSupport"]),
        .testTarget(name: "DriftColumnarTests", dependencies: ["DriftColumnar", "DriftWire", "DriftTestSupport"]),
        .testTarget(name: "DriftWireTests", dependencies: ["DriftWire", "DriftTestSupport"]),
        .testTarget(name: "DriftTransportTests", dependencies: ["DriftTransport", "DriftWire"]),
        .testTarget(name: "DriftStoreTests", dependencies: ["DriftStore", "DriftWire", "CSQLite"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CSQLite", "CZstd"]),
        .testTarget(name: "DriftEngineTests", dependencies: ["DriftEngine", "DriftTestSupport"]),
        .testTarget(name: "DriftNotifyTests", dependencies: ["DriftNotify", "DriftEngine", "DriftTestReceivers"]),
        .testTarget(name: "DriftCLITests", dependencies: ["driftctl", "driftd", "DriftServer", "DriftClient", "DriftTransport", "DriftWire",
                                                         "DriftFakeServer"]),
        .testTarget(name: "DriftLoadTests",
                    dependencies: ["DriftLoad", "DriftClient", "DriftServer", "DriftColumnar", "DriftWire", "DriftTestSupport"]),
        .testTarget(name: "DriftServerTests",
                    dependencies: ["DriftServer", "DriftTransport", "DriftWire", "DriftColumnar", "DriftStore", "driftd",
                                   "DriftClient", "DriftEngine", "DriftNotify", "DriftTestReceivers"]),
        .testTarget(name: "DriftClientTests",
                    dependencies: ["DriftClient", "DriftServer", "DriftWire", "DriftColumnar", "DriftTestSupport",
                                   "DriftFakeServer"]),
    ]
)
