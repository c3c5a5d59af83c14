import Foundation
import Testing
import LuaStoreCore
import TestSupport
@testable import LuaStore

/// `allkeys-tinylfu`: the admission window, the admission filter between the window's
/// oldest key and the main region's victim, and the hit ratio it buys over LRU.
@Suite struct TinyLFUTests {
    /// A one-shard `allkeys-tinylfu` store with every key sampled, holding two hot keys
    /// (read three times each) in its main region and a cold one (never read) in its
    /// window, bounded at exactly what it uses.
    static func filledStore() throws -> LuaStore {
        let store = EvictionTests.store(.allKeysTinyLFU, samples: 64)
        for key in ["hot1", "hot2"] {
            try store.set(ByteString(key), "v")
            for _ in 0..<3 { _ = try store.get(ByteString(key)) }
        }
        try store.set("cold", "v")
        try store.updateSettings { $0.maxMemory = UInt64(EvictionTests.used(store)) }
        return store
    }

    static func exists(_ store: LuaStore, _ keys: String...) -> [Bool] { keys.map { EvictionTests.exists(store, $0) } }

    /// The newest key is safe in the window; the cold key that leaves the window to make
    /// room loses to the hot keys of the main region.
    @Test func aColdKeyLeavingTheWindowLosesToHotKeys() throws {
        let store = try Self.filledStore()
        try store.set("new", "v")
        #expect(Self.exists(store, "cold", "new", "hot1", "hot2") == [false, true, true, true])
    }

    /// A key read more often than the main region's victim is admitted when it leaves the
    /// window, and the victim goes.
    @Test func aFrequentKeyIsAdmittedOverTheVictim() throws {
        let store = try Self.filledStore()
        try store.set("new", "v")
        for _ in 0..<6 { _ = try store.get("new") }
        try store.set("next", "v")
        #expect(Self.exists(store, "new", "next") == [true, true])
        #expect(Self.exists(store, "hot1") != Self.exists(store, "hot2"))
    }

    /// A key a script writes (and holds while it runs) meets the filter once it leaves the
    /// window: read once (the script's miss), it loses to the hot keys.
    @Test func aScriptedWriteIsFilteredAfterTheScript() throws {
        let store = try Self.filledStore()
        for key in ["first", "second"] {
            #expect(store.execute(["EVAL", ByteString(CacheTrace.getOrSetScript), "1", ByteString(key), "v"]) == .integer(0))
        }
        #expect(Self.exists(store, "cold", "first", "second", "hot1", "hot2") == [false, false, true, true, true])
    }

    /// Leaving `allkeys-tinylfu` moves the window's keys to the main region, where the
    /// other policies sample them.
    @Test func anotherPolicyDissolvesTheWindow() throws {
        let store = try Self.filledStore()
        let inWindow = { (key: ByteString) in
            store.core.keyspace.shards[0].withState { s in s.table.find(key, hash: key.storeHash).map { s.table[$0].inWindow } }
        }
        #expect(inWindow("cold") == true && inWindow("hot1") == false)
        try store.updateSettings { $0.evictionPolicy = .allKeysLRU }
        store.core.keyspace.shards[0].withState { s in
            for slot in 0..<s.table.positions where !s.table.isFree(slot) { #expect(!s.table[slot].inWindow) }
        }
    }

    /// On the trace of Docs/Caching.md, scaled down (Zipf(0.9) over 12.5k keys with scans,
    /// a get-or-set script per request), `allkeys-tinylfu` hits clearly more often than
    /// `allkeys-lru` at the same bound. The full-size comparison with redis-server is the
    /// Benchmarks package's `hitratio`.
    @Test func hitRatioBeatsLRUOnTheTrace() {
        let keys = CacheTrace.keys(requests: 50_000, keys: 12_500)
        func hitRatio(_ policy: EvictionPolicy) -> Double {
            let store = LuaStore(configuration: .init(settings: .init(maxMemory: 1 << 20, evictionPolicy: policy)))
            let value = ByteString(String(repeating: "v", count: 200))
            let script = ByteString(CacheTrace.getOrSetScript)
            for key in keys { _ = store.execute(["EVAL", script, "1", key, value]) }
            guard case .bulk(let text) = store.execute(["INFO", "stats"]) else { return 0 }
            return CacheTrace.hitRatio(infoStats: text.string)
        }
        let lru = hitRatio(.allKeysLRU), tinyLFU = hitRatio(.allKeysTinyLFU)
        #expect(tinyLFU >= 1.06 * lru, "allkeys-tinylfu \(tinyLFU), allkeys-lru \(lru)")
    }
}
