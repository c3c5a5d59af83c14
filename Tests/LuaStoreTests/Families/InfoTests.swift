import Testing
import LuaStoreCore
@testable import LuaStore

/// INFO, MEMORY USAGE and the typed `info()`: one set of figures, read either way.
@Suite struct InfoTests {
    @Test func infoCountsHitsMissesEvictionsAndExpiries() throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(shardCount: 1, clock: clock, settings: .init(evictionPolicy: .allKeysLRU)))
        try store.set("a", "1")
        try store.set("t", "1", expiration: .at(milliseconds: clock.nowMilliseconds() + 10_000))
        _ = try store.get("a")
        _ = try store.get("missing")
        var info = store.info()
        #expect(info.stats.keyspaceHits == 1 && info.stats.keyspaceMisses == 1)
        #expect(info.keyspace.keys == 2 && info.keyspace.expires == 1 && info.keyspace.averageTTL == 10_000)
        #expect(info.memory.used == 2 * ShardState.entryBytes + ShardState.deadlineBytes)
        #expect(info.memory.peak >= info.memory.used && info.memory.policy == .allKeysLRU)
        clock.advance(by: .seconds(11))
        _ = try store.get("t")
        try store.updateSettings { $0.maxMemory = UInt64(ShardState.entryBytes) }
        try store.set("b", "1")
        info = store.info()
        #expect(info.stats.expiredKeys == 1 && info.stats.evictedKeys == 1 && info.keyspace.keys == 1)
        let text = store.execute(["INFO", "stats"])
        #expect(text == .bulk("# Stats\r\nexpired_keys:1\r\nevicted_keys:1\r\nkeyspace_hits:1\r\nkeyspace_misses:2\r\n"))
        expect(store, ["CONFIG", "RESETSTAT"], .status("OK"))
        #expect(store.info().stats == .init(expiredKeys: 0, evictedKeys: 0, keyspaceHits: 0, keyspaceMisses: 0))
    }

    @Test func memoryUsageAgreesWithTheTypedAPI() throws {
        let store = LuaStore()
        try store.set("k", ByteString(String(repeating: "x", count: 100)))
        let bytes = try #require(store.memoryUsage(of: "k"))
        #expect(bytes == ShardState.entryBytes + ByteString(String(repeating: "x", count: 100)).heapBytes)
        expect(store, ["MEMORY", "USAGE", "k"], .integer(Int64(bytes)))
        expect(store, ["MEMORY", "USAGE", "nope"], .null)
        #expect(store.memoryUsage(of: "nope") == nil)
    }

    @Test func infoPrintsRedisHumanUnits() {
        #expect(InfoFamily.human(1023) == "1023B")
        #expect(InfoFamily.human(1536) == "1.50K")
        #expect(InfoFamily.human(3 << 30) == "3.00G")
    }
}
