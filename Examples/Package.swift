// swift-tools-version:6.1
// Example programs for LuaStore: `swift run AntiCheat`, `swift run RateLimiter`.
import PackageDescription

let package = Package(
    name: "LuaStoreExamples",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "LuaStore", path: "..")],
    targets: [
        .executableTarget(
            name: "AntiCheat",
            dependencies: [.product(name: "LuaStore", package: "LuaStore")]
        ),
        .executableTarget(
            name: "RateLimiter",
            dependencies: [.product(name: "LuaStore", package: "LuaStore")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
