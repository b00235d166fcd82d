// swift-tools-version:6.0
// Roost: a Raft-replicated MVCC key-value store and service-discovery server.
// Toolchain only: no package dependencies (see docs/architecture.md).
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Roost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "roost", targets: ["roost"]),
        .executable(name: "raft-sim", targets: ["raft-sim"]),
        .executable(name: "roost-bench", targets: ["roost-bench"]),
    ],
    targets: [
        // Exposes epoll, eventfd and timerfd, which `import Glibc` does not.
        .target(name: "CGlibcShims"),
        .target(name: "Platform", dependencies: ["CGlibcShims"], swiftSettings: strict),
        .target(name: "Raft", dependencies: ["Platform"], swiftSettings: strict),
        .target(name: "KVStore", dependencies: ["Platform"], swiftSettings: strict),
        // Go text/template with confd's functions, for `roost confd` (pure).
        .target(name: "TemplateEngine", dependencies: ["Platform"], swiftSettings: strict),
        // Consul's catalog records, their JSON shapes, health views and check executors.
        .target(name: "ServiceCatalog", dependencies: ["Platform"], swiftSettings: strict),
        .target(
            name: "DiscoveryHTTP", dependencies: ["Platform", "KVStore", "ServiceCatalog"],
            swiftSettings: strict),
        // The DNS interface for service names (RFC 1035 codec, answerer, UDP/TCP shell).
        .target(name: "DNSResponder", dependencies: ["Platform"], swiftSettings: strict),
        // A typed client of the etcd gateway (and later the Consul API): the CLI, tests
        // and agents use it; it knows nothing of server internals.
        .target(name: "RoostClient", dependencies: ["Platform"], swiftSettings: strict),
        // Checks client histories against a sequential model (Wing & Gong, Porcupine).
        .target(name: "Linearizability", swiftSettings: strict),
        // A deterministic multi-node simulator that checks the Raft core (raft-sim).
        .target(
            name: "RaftSimulation", dependencies: ["Raft", "Linearizability"], swiftSettings: strict
        ),
        // `roost confd`: template resources rendered from keys and services over HTTP.
        .target(
            name: "ConfdAgent", dependencies: ["Platform", "TemplateEngine", "RoostClient"],
            swiftSettings: strict),
        .target(
            name: "RoostServer",
            dependencies: [
                "Platform", "Raft", "KVStore", "DiscoveryHTTP", "DNSResponder", "ServiceCatalog",
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "roost",
            dependencies: [
                "Platform", "RoostClient", "RoostServer", "DiscoveryHTTP", "ConfdAgent",
            ],
            swiftSettings: strict),

        .testTarget(name: "PlatformTests", dependencies: ["Platform"], swiftSettings: strict),
        .testTarget(
            name: "RaftTests", dependencies: ["Raft", "Platform"], exclude: ["testdata"],
            swiftSettings: strict),
        .testTarget(name: "KVStoreTests", dependencies: ["KVStore"], swiftSettings: strict),
        .testTarget(
            name: "DiscoveryHTTPTests",
            dependencies: ["DiscoveryHTTP", "KVStore", "ServiceCatalog", "Platform"],
            swiftSettings: strict),
        .testTarget(
            name: "RoostServerTests",
            dependencies: [
                "roost", "RoostServer", "RoostClient", "Platform", "Linearizability", "KVStore",
                "Raft",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ConfdAgentTests",
            dependencies: ["ConfdAgent", "TemplateEngine", "RoostClient", "Platform"],
            swiftSettings: strict),
        .testTarget(
            name: "TemplateEngineTests", dependencies: ["TemplateEngine"], swiftSettings: strict),
        .testTarget(
            name: "ServiceCatalogTests", dependencies: ["ServiceCatalog", "Platform"],
            swiftSettings: strict),
        .testTarget(
            name: "DNSResponderTests", dependencies: ["DNSResponder", "Platform"],
            swiftSettings: strict),
        .testTarget(
            name: "LinearizabilityTests", dependencies: ["Linearizability"], swiftSettings: strict),
        .testTarget(
            name: "RaftSimulationTests", dependencies: ["RaftSimulation"], swiftSettings: strict),

        .executableTarget(
            name: "raft-sim", dependencies: ["RaftSimulation"], swiftSettings: strict),
        .executableTarget(
            name: "roost-bench", dependencies: ["Platform"], path: "Benchmarks/LoadGenerator",
            swiftSettings: strict),
        .executableTarget(
            name: "RaftThroughput", dependencies: ["Raft"], path: "Benchmarks/RaftThroughput",
            swiftSettings: strict),
        .executableTarget(
            name: "MVCCThroughput", dependencies: ["KVStore", "Platform"],
            path: "Benchmarks/MVCCThroughput", swiftSettings: strict),
    ]
)
