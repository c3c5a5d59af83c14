import Foundation
import Testing
@testable import LuaStore

/// The background sweep (``ActiveExpiry``): expired keys are reclaimed without being
/// touched, by the store's clock.
@Suite struct ActiveExpiryTests {
    /// Polls `condition` for up to `seconds`; the sweep runs every 100 ms.
    private func eventually(within seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() >= deadline { return false }
            usleep(20_000)
        }
        return true
    }

    @Test func expiredKeysGoWithoutBeingTouched() throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        for i in 0..<3_000 {
            try store.set(ByteString("k\(i)"), "v", ttl: .seconds(1))
        }
        for i in 0..<100 {
            try store.set(ByteString("live\(i)"), "v")
        }
        #expect(store.dbsize() == 3_100)
        clock.advance(by: .seconds(2))
        // Each cycle takes at most 25 ms of every 100: slow under Thread Sanitizer.
        #expect(eventually(within: 60) { store.dbsize() == 100 }, "dbsize still \(store.dbsize())")
        #expect(store.core.keyspace.expiry.swept.load(ordering: .relaxed) == 3_000)
    }

    @Test func keysNotYetDueStay() throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        for i in 0..<1_000 {
            try store.set(ByteString("k\(i)"), "v", ttl: .seconds(i < 500 ? 1 : 60))
        }
        clock.advance(by: .seconds(2))
        #expect(eventually(within: 60) { store.dbsize() == 500 })
        usleep(300_000)   // a few more cycles: the rest stays
        #expect(store.dbsize() == 500)
        #expect(try store.exists("k999") == 1)
    }

    /// A key a transaction holds does not vanish under it; it goes after the release.
    @Test func heldKeysAreSkipped() throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        try store.set("held", "v", ttl: .seconds(1))
        try store.set("other", "v", ttl: .seconds(1))
        store.transaction(keys: ["held"]) { _ in
            clock.advance(by: .seconds(2))
            #expect(eventually { store.dbsize() == 1 })
            usleep(300_000)
            #expect(store.dbsize() == 1)
        }
        #expect(eventually { store.dbsize() == 0 })
    }

    /// One cycle repeats on a shard while more than a quarter of the keys it examined
    /// were expired: with every key expired, a cycle empties a small store.
    @Test func aCycleRepeatsWhileManyAreExpired() throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(shardCount: 1, clock: clock))
        let keyspace = store.core.keyspace
        keyspace.expiry.preventTimer()
        for i in 0..<200 {
            try store.set(ByteString("k\(i)"), "v", ttl: .seconds(1))
        }
        clock.advance(by: .seconds(2))
        // 20 keys per loop: only the repetition deletes all 200 in one cycle.
        #expect(keyspace.expiry.cycle(keyspace, budget: .seconds(30)) == 200)
        #expect(store.dbsize() == 0)
    }

    /// Inserts take a short expiry step; its deletions can shrink the table under it.
    @Test func expirySteppingSurvivesTheTableShrinking() {
        let clock = ManualClock()
        var state = ShardState(clock: clock)
        for i in 0..<4_000 {
            let key = ByteString("k\(i)")
            let slot = state.store(key, hash: key.storeHash, value: .string("v"))
            state.setDeadline(slot: slot, clock.nowMilliseconds() + 1_000)
        }
        clock.advance(by: .seconds(2))
        for _ in 0..<20_000 { state.expireSome(limit: 2) }
        #expect(state.table.count == 0)
        #expect(state.expiredKeys == 4_000)
    }
}
