import Testing
import LuaStoreCore
@testable import LuaStore

/// The per-shard memory figures kept on the write path agree with a full recount.
@Suite struct MemoryAccountingTests {
    /// Every shard's kept heap figure equals a walk over its keys.
    static func expectConsistent(_ store: LuaStore, sourceLocation: SourceLocation = #_sourceLocation) {
        for shard in store.core.keyspace.shards {
            shard.withState { s in
                #expect(s.heapBytes == s._recountHeapBytes(), "shard \(shard.index)", sourceLocation: sourceLocation)
            }
        }
    }

    /// A random mix of writes over every type, with long keys and values, TTLs, renames,
    /// copies, stores and pops: after each command the kept figures match a recount.
    @Test func keptFiguresMatchARecountAfterEveryWrite() {
        let store = LuaStore(configuration: .init(shardCount: 4))
        var random = SplitMix64(seed: 42)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let long = String(repeating: "v", count: 100)
        for _ in 0..<3000 {
            let key = (pick(3) == 0 ? "a-rather-long-key-name-" : "k") + String(pick(40))
            let other = "k" + String(pick(40))
            let element = pick(2) == 0 ? String(pick(1000)) : long + String(pick(1000))
            let argv: [String]
            switch pick(22) {
            case 0: argv = ["SET", key, element]
            case 1: argv = ["APPEND", key, element]
            case 2: argv = ["RPUSH", key, element, element]
            case 3: argv = ["LPOP", key]
            case 4: argv = ["SADD", key, element, String(pick(600))]
            case 5: argv = ["SREM", key, element]
            case 6: argv = ["ZADD", key, String(pick(100)), element]
            case 7: argv = ["ZREM", key, element]
            case 8: argv = ["HSET", key, element, element]
            case 9: argv = ["HDEL", key, element]
            case 10: argv = ["DEL", key]
            case 11: argv = ["EXPIRE", key, "100"]
            case 12: argv = ["RENAME", key, other]
            case 13: argv = ["COPY", key, other, "REPLACE"]
            case 14: argv = ["SUNIONSTORE", other, key, other]
            case 15: argv = ["SETRANGE", key, String(pick(200)), element]
            case 16: argv = ["INCR", key]
            case 17: argv = ["LMOVE", key, other, "LEFT", "RIGHT"]
            case 18: argv = ["ZUNIONSTORE", other, "2", key, other]
            case 19: argv = ["PFADD", key, element]
            case 20: argv = ["SMOVE", key, other, element]
            default: argv = ["SETBIT", key, String(pick(5000)), "1"]
            }
            store.execute(argv)
            let consistent = store.core.keyspace.shards.allSatisfy { $0.withState { $0.heapBytes == $0._recountHeapBytes() } }
            #expect(consistent, "after \(argv)")
            if !consistent { break }
        }
        Self.expectConsistent(store)
        store.execute(["FLUSHALL"])
        #expect(store.core.keyspace.totals().usedMemory == 0)
    }

    /// A collection grown in place is counted at its new size once the write returns.
    @Test func aCollectionGrownInPlaceIsCounted() {
        let store = LuaStore(configuration: .init(shardCount: 1))
        store.execute(["RPUSH", "list", "a"])
        let small = store.core.keyspace.totals().usedMemory
        for i in 0..<1000 { store.execute(["RPUSH", "list", String(repeating: "x", count: 40) + String(i)]) }
        let large = store.core.keyspace.totals().usedMemory
        #expect(large > small + 1000 * 40)
        store.execute(["DEL", "list"])
        #expect(store.core.keyspace.totals().usedMemory == 0)
    }

    /// Keys and values within their inline bytes cost their share of the table only.
    @Test func inlineKeysCostTheirEntryOnly() throws {
        let store = LuaStore(configuration: .init(shardCount: 1))
        for i in 0..<100 { try store.set(ByteString("k\(i)"), "v") }
        #expect(store.core.keyspace.totals().usedMemory == 100 * ShardState.entryBytes)
        try store.set("k0", ByteString(String(repeating: "x", count: 1000)))
        #expect(store.core.keyspace.totals().usedMemory == 100 * ShardState.entryBytes + ByteString(String(repeating: "x", count: 1000)).heapBytes)
    }
}
