import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Testing
@testable import LuaStore

/// Stress tests of the locking: run them under `swift test --sanitize=thread` too.
@Suite struct ConcurrencyStressTests {
    @Test func parallelIncrementsLoseNothing() throws {
        let store = LuaStore(configuration: .init(shardCount: 4))
        let threads = 8, perThread = 2_000
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                _ = try? store.incr(ByteString("counter:\(i % 4)"))
                _ = store.execute(["INCR", "shared"])
                _ = try? store.set(ByteString("own:\(t):\(i % 16)"), "x")
            }
        }
        var total: Int64 = 0
        for i in 0..<4 { total += try store.get(ByteString("counter:\(i)"))?.int64Value ?? 0 }
        #expect(total == Int64(threads * perThread))
        #expect(try store.get("shared")?.int64Value == Int64(threads * perThread))
    }

    @Test func transactionsConserveTotalsAndReadersSeeConsistentState() throws {
        let store = LuaStore(configuration: .init(shardCount: 8))
        let accounts = (0..<10).map { ByteString("acct:\($0)") }
        for a in accounts { try store.set(a, "100") }
        let inconsistent = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 6) { t in
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<1_000 {
                if t == 0 {
                    // A reader: the sum over all accounts must always be 1000.
                    let sum = store.transaction(keys: accounts, readOnly: true) { tx in
                        accounts.reduce(Int64(0)) { $0 + ((try? tx.get($1))??.int64Value ?? 0) }
                    }
                    if sum != 1_000 { inconsistent.add(1, ordering: .relaxed) }
                } else {
                    let from = accounts[Int.random(in: 0..<10, using: &rng)]
                    let to = accounts[Int.random(in: 0..<10, using: &rng)]
                    store.transaction(keys: [from, to]) { tx in
                        _ = try? tx.decrby(from, 1)
                        _ = try? tx.incrby(to, 1)
                    }
                }
            }
        }
        #expect(inconsistent.load(ordering: .relaxed) == 0)
        var total: Int64 = 0
        for a in accounts { total += try store.get(a)?.int64Value ?? 0 }
        #expect(total == 1_000)
    }

    @Test func msetIsAtomicForMget() {
        let store = LuaStore(configuration: .init(shardCount: 16))
        let torn = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for i in 0..<3_000 {
                if t % 2 == 0 {
                    let v = ByteString("\(t)-\(i)")
                    _ = store.execute([ByteString("MSET"), "x", v, "y", v, "z", v])
                } else if case .array(let values) = store.execute(["MGET", "x", "y", "z"]),
                          values[0] != values[1] || values[1] != values[2] {
                    torn.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(torn.load(ordering: .relaxed) == 0)
    }

    @Test func heldKeyBlocksOnlyItself() throws {
        let store = LuaStore()
        try store.set("held", "1")
        try store.set("free", "2")
        let entered = DispatchSemaphore(value: 0)
        let finish = DispatchSemaphore(value: 0)
        let txDone = DispatchSemaphore(value: 0)
        let heldRead = Atomic<Bool>(false)
        let readDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            store.transaction(keys: ["held"]) { tx in
                _ = try? tx.set("held", "during")
                entered.signal()
                finish.wait()
                _ = try? tx.set("held", "after")
            }
            txDone.signal()
        }
        entered.wait()
        // Other keys are fully available while "held" is locked...
        for _ in 0..<1_000 { #expect(try store.get("free") == "2") }
        // ...while a reader of the held key waits for the transaction to end.
        DispatchQueue.global().async {
            let value = try? store.get("held")
            heldRead.store(true, ordering: .releasing)
            #expect(value == "after")
            readDone.signal()
        }
        #expect(readDone.wait(timeout: .now() + .milliseconds(100)) == .timedOut)
        let readEarly = heldRead.load(ordering: .acquiring)
        #expect(!readEarly)
        finish.signal()
        txDone.wait()
        readDone.wait()
        let readLate = heldRead.load(ordering: .acquiring)
        #expect(readLate)
    }

    @Test func overlappingTransactionsDoNotDeadlock() {
        let store = LuaStore(configuration: .init(shardCount: 4))
        let keys = (0..<6).map { ByteString("k\($0)") }
        DispatchQueue.concurrentPerform(iterations: 6) { t in
            for i in 0..<500 {
                // Each thread locks keys in a different order; the store must order them.
                let mine = [keys[(t + i) % 6], keys[(t + 2 * i + 1) % 6], keys[(5 * t + i) % 6]]
                store.transaction(keys: mine.reversed()) { tx in
                    for k in mine { _ = try? tx.incr(k) }
                }
            }
        }
        let total = keys.reduce(Int64(0)) { $0 + ((try? store.get($1))??.int64Value ?? 0) }
        #expect(total == 6 * 500 * 3)
    }

    @Test func churnWithScanAndExpiry() {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(shardCount: 4, clock: clock))
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            var cursor: UInt64 = 0
            for i in 0..<3_000 {
                let key = ByteString("c:\((i * 7 + t) % 500)")
                switch i % 5 {
                case 0:
                    _ = try? store.set(key, "v", ttl: .milliseconds(5))
                    clock.advance(by: .milliseconds(1))
                case 1: _ = try? store.del(key)
                case 2: _ = store.execute([ByteString("APPEND"), key, "tail-that-makes-it-long"])
                case 3: cursor = store.scan(cursor: cursor, count: 20).cursor
                default: _ = store.execute([ByteString("RENAME"), key, ByteString("c:\(i % 500)")])
                }
            }
        }
        clock.advance(by: .seconds(1))
        _ = store.purgeExpired()
        // Every key left is live, and KEYS, SCAN and DBSIZE agree on them.
        let all = Set(store.keys("*"))
        #expect(store.dbsize() == all.count)
        var scanned = Set<ByteString>()
        var cursor: UInt64 = 0
        repeat {
            let page = store.scan(cursor: cursor, count: 50)
            scanned.formUnion(page.keys)
            cursor = page.cursor
        } while cursor != 0
        #expect(scanned == all)
    }
    /// GETs that skip the shard lock (``ReadBiasedLock``) while other threads overwrite,
    /// insert and delete (shifting entries and growing and shrinking tables), expire and
    /// flush the same shards: a value read always belongs to its key, whole (inline and
    /// heap-sized values alike), and biased reads really happened.
    @Test func readBiasedGetsSeeWholeValuesDuringChurn() {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(shardCount: 4, clock: clock))
        let keys = (0..<400).map { ByteString("rb:\($0)") }
        @Sendable func value(_ k: Int, _ version: Int) -> ByteString {
            // Short (inline) and long (on the heap) values, each naming its key.
            ByteString("rb:\(k)|\(version)" + (version % 3 == 0 ? String(repeating: "x", count: 40) : ""))
        }
        for (k, key) in keys.enumerated() { _ = try? store.set(key, value(k, 0)) }
        let wrong = Atomic<Int>(0), hits = Atomic<Int>(0), sawBias = Atomic<Int>(0)
        let shards = store.core.keyspace.shards
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for i in 0..<6_000 {
                let k = (i &* 37 &+ t &* 11) % keys.count
                if t == 0 {
                    // Pauses let the readers bias the shards again, so that later writes
                    // revoke the bias with readers inside.
                    if i % 200 == 0 { usleep(1_500) }   // the inhibition lasts 1 ms
                    switch i % 8 {
                    case 0: _ = try? store.del(keys[k])
                    case 1: _ = try? store.set(keys[k], value(k, i), ttl: .milliseconds(3))
                    case 2: clock.advance(by: .milliseconds(1))
                    case 3 where i % 2_000 == 3: _ = store.execute(["FLUSHALL"])
                    case 4:
                        // Bursts of inserts and deletes grow and shrink the tables.
                        for j in 0..<64 { _ = try? store.set(ByteString("rb:tmp:\(i):\(j)"), "t") }
                        for j in 0..<64 { _ = try? store.del(ByteString("rb:tmp:\(i):\(j)")) }
                    default: _ = try? store.set(keys[k], value(k, i))
                    }
                } else {
                    if let got = try? store.get(keys[k]) {
                        hits.add(1, ordering: .relaxed)
                        if !got.description.hasPrefix("rb:\(k)|") { wrong.add(1, ordering: .relaxed) }
                    }
                    // The other reads that may skip the lock: their replies stay whole too.
                    switch i % 4 {
                    case 0:
                        if case .bulk(let b) = store.execute(["GETRANGE", keys[k], "0", "2"]), b != "rb:", !b.isEmpty { wrong.add(1, ordering: .relaxed) }
                    case 1:
                        if case .integer(let n) = store.execute(["STRLEN", keys[k]]), n != 0 && n < 5 { wrong.add(1, ordering: .relaxed) }
                    case 2:
                        if case .status(let t) = store.execute(["TYPE", keys[k]]), t != "string" && t != "none" { wrong.add(1, ordering: .relaxed) }
                    default:
                        if case .integer(let n) = store.execute(["EXISTS", keys[k]]), n > 1 { wrong.add(1, ordering: .relaxed) }
                    }
                    if i % 64 == 0, shards[i % shards.count].shardLock._isReadBiased { sawBias.add(1, ordering: .relaxed) }
                }
            }
        }
        let wrongValues = wrong.load(ordering: .relaxed), found = hits.load(ordering: .relaxed)
        let biasedSamples = sawBias.load(ordering: .relaxed)
        #expect(wrongValues == 0)
        #expect(found > 1_000)
        #expect(biasedSamples > 0, "the readers never found a shard read-biased")
    }
    /// EXISTS, TYPE, STRLEN and GETRANGE read a biased shard as GET does, without
    /// revoking the bias; a write revokes it.
    @Test func readOnlyCommandsKeepTheReadBias() throws {
        let store = LuaStore(configuration: .init(shardCount: 1))
        let lock = store.core.keyspace.shards[0].shardLock
        try store.set("k", "value")
        _ = try store.get("k")    // the first read through the lock sets the bias
        #expect(lock._isReadBiased)
        #expect(try store.exists("k") == 1)
        #expect(try store.type("k") == "string")
        #expect(store.execute(["STRLEN", "k"]) == .integer(5))
        #expect(store.execute(["GETRANGE", "k", "1", "2"]) == .bulk("al"))
        #expect(store.execute(["EXISTS", "k", "missing", "k"]) == .integer(2))
        #expect(lock._isReadBiased, "a read-only command revoked the bias")
        try store.set("k", "other")
        #expect(!lock._isReadBiased)
    }
}
