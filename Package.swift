// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "LuaStore",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LuaStore", targets: ["LuaStore"]),
        .executable(name: "luastore", targets: ["luastore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        // Lua 5.4 and Debian's lua-cjson, through pkg-config; prefixed shims for Lua's macros.
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4-cjson",
            providers: [.apt(["liblua5.4-dev", "lua-cjson-dev"])]
        ),
        // Stopping Lua runs (time limit, SCRIPT KILL, cancellation) by signal and watchdog,
        // without a per-instruction hook: C, since a signal handler must not run Swift.
        .target(name: "CLuaRun", dependencies: ["CLua"]),
        // Prefetch and spin-wait hints, for the shard lock and the key table's hot path.
        .target(name: "CPUHints"),
        // Byte strings, replies, errors and the collection encodings: no locks, no commands, no Lua.
        .target(name: "LuaStoreCore", dependencies: ["CPUHints"]),
        // The Lua bridge: states, sandbox, conversions, the `redis` table. Reaches the store
        // only through `ScriptHost`.
        .target(
            name: "LuaStoreScripting",
            dependencies: ["CLua", "CLuaRun", "LuaStoreCore", .product(name: "Logging", package: "swift-log")]
        ),
        // Keyspace, command layer, typed API.
        .target(
            name: "LuaStore",
            dependencies: ["CPUHints", "LuaStoreCore", "LuaStoreScripting", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "luastore",
            dependencies: ["LuaStore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // A reduction of an optimizer bug that ByteString works around, kept as a test.
        .target(name: "Reductions", path: "Tests/Reductions"),
        // What the test targets share: the one redis-server launcher, the one RESP client and
        // seeded-random helpers. Not a product, so users never see it.
        .target(name: "TestSupport", dependencies: ["LuaStoreCore"], path: "Tests/TestSupport"),
        .testTarget(name: "LuaStoreCoreTests", dependencies: ["LuaStoreCore", "Reductions"]),
        .testTarget(name: "LuaStoreScriptingTests", dependencies: ["LuaStoreScripting", "TestSupport"]),
        .testTarget(
            name: "LuaStoreTests",
            dependencies: ["LuaStore", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "luastoreTests", dependencies: ["luastore", "LuaStore", "TestSupport"]),
        // The documents' Swift blocks (generated; see Scripts/extract-doc-snippets.py): they
        // bind results only to show them, hence no warnings about unused values.
        .testTarget(name: "DocSnippetTests", dependencies: ["LuaStore", "TestSupport"], swiftSettings: [.unsafeFlags(["-suppress-warnings"])]),
    ],
    swiftLanguageModes: [.v6]
)

// The documentation plugin only when building the docs (`make docs`), so users who depend
// on LuaStore do not fetch it.
if Context.environment["LUASTORE_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
