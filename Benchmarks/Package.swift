// swift-tools-version:6.1
// LuaStore's benchmarks, in their own package so the library stays free of benchmark
// dependencies. `swift package benchmark` runs the ordo-one suites (time and malloc
// counts); `swift run -c release ratios` prints ratios measured in one run
// (Docs/Benchmarks.md).
import PackageDescription

let package = Package(
    name: "LuaStoreBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LuaStore", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "LuaStore", package: "LuaStore")],
            path: "Sources/BenchmarkSupport"
        ),
        .executableTarget(
            name: "KeyspaceBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LuaStore", package: "LuaStore"),
            ],
            path: "Benchmarks/KeyspaceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The tests' redis-server launcher and RESP client: Sources/RedisSupport is a symlink
        // to ../Tests/TestSupport (a target path may not leave the package root, and the root
        // package keeps TestSupport out of its products).
        .target(
            name: "RedisSupport",
            dependencies: [.product(name: "LuaStore", package: "LuaStore")],
            path: "Sources/RedisSupport"
        ),
        .executableTarget(
            name: "ratios",
            dependencies: ["BenchmarkSupport", "RedisSupport", .product(name: "LuaStore", package: "LuaStore")],
            path: "Sources/Ratios"
        ),
        // The hit ratio of LuaStore's eviction policies against redis-server's on one trace
        // (Docs/Caching.md): `swift run -c release hitratio`.
        .executableTarget(
            name: "hitratio",
            dependencies: ["RedisSupport", .product(name: "LuaStore", package: "LuaStore")],
            path: "Sources/HitRatio"
        ),
    ],
    swiftLanguageModes: [.v6]
)
