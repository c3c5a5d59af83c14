import Testing
import LuaStore

/// Written as a user of the library writes code: a plain `import LuaStore` and only its
/// public names (PublicSurfaceTests checks that the internals are not among them).
@Suite struct ConsumerAPITests {
    @Test func keysValuesAndArgumentsFromSwiftValues() throws {
        let store = LuaStore()
        let id = 1000
        let visits = 5
        let ratio = 2.5
        let name = "alice"
        try store.set("user:\(id)", "alice")
        try store.set("visits:\(id)", 5)
        try store.set("ratio", 2.5)
        try store.set("visits:copy", ByteString(visits))
        try store.set("ratio:copy", ByteString(ratio))
        try store.set("name", ByteString(name))
        #expect(try store.get("user:\(id)") == "alice")
        #expect(try store.incr("visits:\(id)") == 6)
        #expect(try store.get("ratio") == "2.5")
        #expect(try store.get("visits:copy") == "5")
        #expect(try store.get("ratio:copy") == "2.5")
        #expect(try store.get("name")?.string == name)
    }

    @Test func typedScriptResults() throws {
        let store = LuaStore()
        let user = "bob"
        let limiter = try store.scriptLoad("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            return n
            """)
        #expect(try store.eval(limiter, keys: ["hits:\(user)"], args: [10], as: Int.self) == 1)
        #expect(try store.eval(limiter, keys: ["hits:\(user)"], args: [10], as: Int.self) == 2)
        #expect(try store.eval("return {ARGV[1], ARGV[2], ARGV[3]}", args: [10, 2.5, "x"], as: [String].self) == ["10", "2.5", "x"])
        #expect(try store.eval("return redis.call('GET', KEYS[1])", keys: ["nobody"], as: String?.self) == nil)
        #expect(try store.eval("return redis.call('EXISTS', KEYS[1]) == 1", keys: ["hits:\(user)"], as: Bool.self))
        #expect(try store.eval("return 'hello ' .. ARGV[1]", args: ["\(user)"], as: String.self) == "hello bob")
        do {
            _ = try store.eval("return 'x'", as: Int.self)
            Issue.record("a string decoded as Int")
        } catch {
            #expect(error == .unexpectedReply(expected: "Int", got: .bulk("x")))
        }
    }

    @Test func scanPagesAndTheClassNamespace() throws {
        let store = LuaStore()
        try store.sadd("tags", ["a", "b", "c"])
        var cursor: UInt64 = 0
        var seen: Set<ByteString> = []
        repeat {
            let page = try store.sscan("tags", cursor: cursor, count: 1)
            seen.formUnion(page.elements)
            cursor = page.cursor
        } while cursor != 0
        #expect(seen == ["a", "b", "c"])
        let reply: LuaStore.Reply = try store.eval("return 1")
        #expect(reply == .integer(1))
    }
}
