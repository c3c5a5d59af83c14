import Foundation
import Testing
import LuaStore

/// The README's example, kept compiling and true: the lines between the markers below are
/// the README's first Swift block (after its `import`), and `readmeShowsThisCode` checks
/// that they still are.
@Suite struct ReadmeExampleTests {
    @Test func readmeExample() throws {
        // README begin
        let clock = ManualClock()                       // tests control time; default is the wall clock
        let store = LuaStore(configuration: .init(shardCount: 16, clock: clock))

        let id = 42
        try store.set("user:\(id)", "alice")            // keys and values: literals, interpolation
        try store.set("visits:\(id)", 5)                // numbers as Redis writes them: "5"
        try store.set("ratio", 2.5)                     // "2.5"
        let visits = try store.incr("visits:\(id)")     // 6
        try store.set("session", "abc", ttl: .seconds(60))
        clock.advance(by: .seconds(60))
        let session = try store.get("session")          // nil: expired, deterministically

        let total = store.execute(["INCRBY", "total", "41"])                // .integer(41), as redis-server answers
        store.execute(["ZADD", "board", "1.5", "alice"])
        let score = store.execute(["ZSCORE", "board", "alice"])             // .bulk("1.5"), as to a RESP2 client
        let score3 = store.execute(["ZSCORE", "board", "alice"], protocol: .resp3)  // .double(1.5), as after HELLO 3

        try store.transaction(keys: ["from", "to"]) { tx in   // atomic on its declared keys only
            let amount = try tx.get("from")?.int64Value ?? 0
            try tx.set("from", 0)
            try tx.incrby("to", amount)
        }

        let limiter = try store.scriptLoad("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            return n
            """)
        let hits = try store.eval(limiter, keys: ["hits:\(id)"], args: [60], as: Int.self)      // 1
        let names = try store.eval("return {'a', 'b'}", as: [String].self)                      // ["a", "b"]
        // README end

        #expect(try store.get("user:42") == "alice")
        #expect(try store.get("ratio") == "2.5")
        #expect(visits == 6)
        #expect(session == nil)
        #expect(total == .integer(41))
        #expect(score == .bulk("1.5"))
        #expect(score3 == .double(1.5))
        #expect(try store.get("from") == "0")
        #expect(hits == 1)
        #expect(try store.ttl("hits:42") == .milliseconds(60_000))
        #expect(names == ["a", "b"])
    }

    /// The README's first Swift block, less its `import` line, is the code above.
    @Test func readmeShowsThisCode() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let block = readme.components(separatedBy: "```swift\n")[1].components(separatedBy: "```")[0]
        let shown = block.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0 != "import LuaStore" }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let region = test.components(separatedBy: "// README begin\n")[1].components(separatedBy: "// README end")[0]
        let tested = region.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(shown == tested)
    }

    /// What the README's cache example calls: renders a page (as bytes).
    private func render(_ id: Int) async throws -> ByteString { "page \(id)" }

    @Test func readmeCacheExample() async throws {
        let id = 7
        // README cache begin
        let cache = LuaStore()
        let page = try await cache.getOrSet("page:\(id)", ttl: .seconds(30)) {
            try await render(id)        // runs once per miss, however many requests wait for it
        }
        // README cache end
        #expect(page == "page 7")
        #expect(try cache.get("page:7") == "page 7")
    }

    /// The Swift block under "Use it as a cache" is the code above.
    @Test func readmeShowsTheCacheCode() throws {
        try expectReadmeBlock(under: "## Use it as a cache", is: "cache")
    }

    @Test func readmeAsyncExample() async throws {
        let id = 3
        let limiter = try LuaStore().scriptLoad("return redis.call('INCR', KEYS[1])")
        // README async begin
        let store = LuaStore()
        let visits = try await store.async.incr("visits:\(id)")
        let hits = try await store.async.eval(limiter, keys: ["hits:\(id)"], args: [60], as: Int.self)
        let moved = try await store.async.transaction(keys: ["from", "to"]) { tx in
            try tx.incrby("to", try tx.getdel("from")?.int64Value ?? 0)
        }
        // README async end
        #expect(visits == 1)
        #expect(hits == 1)
        #expect(moved == 0)
    }

    /// The Swift block under "Async code" is the code above.
    @Test func readmeShowsTheAsyncCode() throws {
        try expectReadmeBlock(under: "## Async code", is: "async")
    }

    /// Expects the first Swift block under `heading` in the README to be this file's lines
    /// between `// README <region> begin` and `// README <region> end`.
    private func expectReadmeBlock(under heading: String, is region: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let section = readme.components(separatedBy: heading)[1]
        let block = section.components(separatedBy: "```swift\n")[1].components(separatedBy: "```")[0]
        let shown = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let lines = test.components(separatedBy: "// README \(region) begin\n")[1].components(separatedBy: "// README \(region) end")[0]
        let tested = lines.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(shown == tested)
    }
}
