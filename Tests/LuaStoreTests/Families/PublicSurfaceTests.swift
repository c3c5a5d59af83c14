import Foundation
import Testing
import TestSupport

/// What a consumer of the library can name: a file that imports `LuaStore` as another
/// package does (no `package` access, no SPI, no `@testable`) is type-checked against the
/// modules this test run was built with, and every internal name must fail to resolve
/// while the public API checks clean.
@Suite struct PublicSurfaceTests {
    /// Internals a consumer must not see: locks, the RNG, collection encodings, the script
    /// host and the command scope, among others.
    static let hiddenTypes = [
        "SpinLock", "ReadBiasedLock", "VisibleReaders", "Locked<Int>", "SplitMix64", "ByteStorage",
        "HashValue", "SetValue", "ListValue", "SortedSetValue", "OrderTree", "SlotIndex", "PackedList", "RingBuffer",
        "GlobPattern", "Score", "RedisIndex", "LongDouble", "LongDoubleText",
        "ScriptHost", "ScriptInvocation", "ScriptWriteGate", "ScriptErrors", "ScriptCancellation",
        "CommandScope", "Keyspace", "StoreCore", "Owner", "CommandTable",
    ]

    /// Public names a consumer writes; the checked file must have no error about them.
    static let publicUse = """
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        let id = 7
        try store.set("user:\\(id)", "alice")
        try store.set("visits:\\(id)", 5)
        try store.set("ratio", 2.5)
        let script: Script = try store.scriptLoad("return 1")
        let n: Int = try store.eval(script, keys: ["k:\\(id)"], args: [10, 2.5, "x"], as: Int.self)
        let page: ScanResult<ByteString> = store.scan(cursor: 0)
        let reply: LuaStore.Reply = .integer(Int64(n + page.elements.count))
        let error: StoreError = .unexpectedReply(expected: "Int", got: reply)
        let entry = HashEntry(field: "f", value: ByteString(2.5))
        print(error, entry, ByteString(id), LuaStore.Transaction.self, SortedSetEntry.self, ScriptFlags.noWrites)
        """

    @Test func internalsAreNotVisibleToAConsumer() throws {
        var source = "import LuaStore\n" + Self.publicUse + "\n"
        for (index, name) in Self.hiddenTypes.enumerated() { source += "func hidden\(index)(_: \(name)?) {}\n" }
        source += "_ = makeAdaptiveMutex\n"
        source += "_ = store.commandScope\n"
        let diagnostics = try Self.typeCheck(source)
        let errors = diagnostics.split(separator: "\n").filter { $0.contains("error:") && !$0.contains("`-") }
        for name in Self.hiddenTypes {
            let base = name.prefix { $0 != "<" }
            #expect(errors.contains { $0.contains("cannot find type '\(base)' in scope") }, "\(name) is visible")
        }
        #expect(errors.contains { $0.contains("cannot find 'makeAdaptiveMutex' in scope") })
        #expect(errors.contains { $0.contains("'commandScope' is inaccessible due to '@_spi' protection level") })
        // Nothing else failed: the public part type-checks.
        #expect(errors.count == Self.hiddenTypes.count + 2, "\(errors.joined(separator: "\n"))")
    }

    /// `swiftc -typecheck` of `source` against this build's modules; returns its diagnostics.
    static func typeCheck(_ source: String) throws -> String {
        let binDirectory = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent()
        let modules = binDirectory.appendingPathComponent("Modules")
        guard FileManager.default.fileExists(atPath: modules.appendingPathComponent("LuaStore.swiftmodule").path) else {
            throw TestFailure("no LuaStore.swiftmodule in \(modules.path)")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("luastore-surface-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("main.swift")
        let output = directory.appendingPathComponent("diagnostics.txt")
        try source.write(to: file, atomically: true, encoding: .utf8)
        try Data().write(to: output)
        let moduleMaps = [
            root.appendingPathComponent("Sources/CLua/module.modulemap").path,
            binDirectory.appendingPathComponent("CLuaRun.build/module.modulemap").path,
            binDirectory.appendingPathComponent("CPUHints.build/module.modulemap").path,
        ]
        let command = "swiftc -typecheck -swift-version 6 -I '\(modules.path)' "
            + "$(pkg-config --cflags lua5.4-cjson | sed 's/-I/-Xcc -I/g') "
            + moduleMaps.map { "-Xcc -fmodule-map-file='\($0)'" }.joined(separator: " ")
            + " '\(file.path)' 2>&1"
        let child = try ChildProcess("/bin/sh", ["-c", command], output: output.path)
        guard child.wait(seconds: 300) else {
            child.stop()
            throw TestFailure("swiftc -typecheck did not finish")
        }
        return try String(contentsOf: output, encoding: .utf8)
    }
}
