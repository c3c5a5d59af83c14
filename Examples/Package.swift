// swift-tools-version:6.1
// Example programs for LuaStore: `swift run AntiCheat`, `swift run RateLimiter`,
// `swift run CacheServer`; `swift test` runs the examples' tests.
import PackageDescription

let package = Package(
    name: "LuaStoreExamples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LuaStore", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "AntiCheat",
            dependencies: [.product(name: "LuaStore", package: "LuaStore")]
        ),
        // The rate limiter and the leaderboard, as a library its tests drive with a ManualClock.
        .target(
            name: "GameLogic",
            dependencies: [.product(name: "LuaStore", package: "LuaStore")]
        ),
        .executableTarget(name: "RateLimiter", dependencies: ["GameLogic"]),
        // A Hummingbird 2 server caching rendered responses in LuaStore.
        .target(
            name: "CacheServerApp",
            dependencies: [
                .product(name: "LuaStore", package: "LuaStore"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(name: "CacheServer", dependencies: ["CacheServerApp"]),
        .testTarget(
            name: "GameLogicTests",
            dependencies: ["GameLogic", .product(name: "LuaStore", package: "LuaStore")]
        ),
        .testTarget(
            name: "CacheServerTests",
            dependencies: ["CacheServerApp", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
