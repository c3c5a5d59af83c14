import Testing
@testable import LuaStore

/// The README's example, kept compiling and true.
@Suite struct ReadmeExampleTests {
    @Test func readmeExample() throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(shardCount: 16, clock: clock))

        try store.set("greeting", "hello")
        try store.append("greeting", " world")
        try store.set("session", "abc", ttl: .seconds(60))
        clock.advance(by: .seconds(60))
        #expect(try store.get("session") == nil)
        #expect(try store.get("greeting") == "hello world")

        #expect(store.execute(["INCRBY", "visits", "41"]) == .integer(41))
        #expect(store.execute(["ZADD", "board", "1.5", "alice"]) == .integer(1))
        #expect(store.execute(["ZSCORE", "board", "alice"]) == .bulk("1.5"))
        #expect(store.execute(["ZSCORE", "board", "alice"], protocol: .resp3) == .double(1.5))

        try store.set("from", "5")
        try store.transaction(keys: ["from", "to"]) { tx in
            let amount = try tx.get("from")?.int64Value ?? 0
            try tx.set("from", "0")
            try tx.incrby("to", amount)
        }
        #expect(try store.get("to") == "5")

        let limiter = try store.scriptLoad("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            return n
            """)
        #expect(try store.eval(limiter, keys: ["hits:alice"], args: ["60"]) == .integer(1))
        #expect(try store.ttl("hits:alice") == .milliseconds(60_000))
    }
}
