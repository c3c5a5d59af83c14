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
            scanned.formUnion(page.elements)
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
                    switch i % 5 {
                    case 0:
                        if case .bulk(let b) = store.execute(["GETRANGE", keys[k], "0", "2"]), b != "rb:", !b.isEmpty { wrong.add(1, ordering: .relaxed) }
                    case 1:
                        if case .integer(let n) = store.execute(["STRLEN", keys[k]]), n != 0 && n < 5 { wrong.add(1, ordering: .relaxed) }
                    case 2:
                        if case .status(let t) = store.execute(["TYPE", keys[k]]), t != "string" && t != "none" { wrong.add(1, ordering: .relaxed) }
                    case 3:
                        // No TTL (-1), no key (-2), or what is left of 3 ms.
                        if case .integer(let n) = store.execute(["PTTL", keys[k]]), n < -2 || n > 3 { wrong.add(1, ordering: .relaxed) }
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
    /// Collection reads run on a read-biased shard without its lock, alongside each other
    /// and against writes that grow collections past their compact encodings, shrink and
    /// delete them: every reply must be whole (each field with its own value, each member
    /// with its own score).
    @Test func collectionReadsSeeWholeCollectionsDuringWrites() {
        let store = LuaStore(configuration: .init(shardCount: 2))
        let wrong = Atomic<Int>(0), nonEmpty = Atomic<Int>(0), sawBias = Atomic<Int>(0)
        let shards = store.core.keyspace.shards
        @Sendable func bulk(_ r: Reply) -> String? { if case .bulk(let b) = r { b.description } else { nil } }
        @Sendable func elements(_ r: Reply) -> [Reply]? {
            if case .array(let a) = r { return a }
            wrong.add(1, ordering: .relaxed)    // an error reply, say
            return nil
        }
        // Filled first, and never left empty at the end, so that readers find data even if
        // the pool runs them before or after the writer.
        for j in 0..<50 {
            for argv: [String] in [["HSET", "h", "f\(j)", "v\(j)"], ["ZADD", "z", "\(j)", "m\(j)"], ["RPUSH", "l", "e\(j)"], ["SADD", "s", "m\(j)"]] {
                _ = store.execute(argv)
            }
        }
        DispatchQueue.concurrentPerform(iterations: 3) { t in
            for i in 0..<4_000 {
                let j = (i &* 7) % 300
                if t == 0 {
                    if i % 250 == 0 { usleep(1_500) }   // lets the readers bias the shards again
                    switch i % 1_000 {
                    case 500: _ = store.execute(["DEL", "h", "z", "l", "s"])
                    default:
                        _ = store.execute(["HSET", "h", "f\(j)", "v\(j)"])
                        _ = store.execute(["ZADD", "z", "\(j)", "m\(j)"])
                        _ = store.execute(["RPUSH", "l", "e\(j)"])
                        _ = store.execute(["LTRIM", "l", "-200", "-1"])
                        _ = store.execute(["SADD", "s", "m\(j)"])
                        if i % 3 == 0 {
                            _ = store.execute(["HDEL", "h", "f\((j &* 13) % 300)"])
                            _ = store.execute(["ZREM", "z", "m\((j &* 13) % 300)"])
                            _ = store.execute(["SREM", "s", "m\((j &* 13) % 300)"])
                        }
                    }
                    continue
                }
                // Every other shared-path read, for Thread Sanitizer: any reply but an error.
                let others: [[String]] = [
                    ["HMGET", "h", "f\(j)", "f1"], ["HEXISTS", "h", "f\(j)"], ["HLEN", "h"], ["HSTRLEN", "h", "f\(j)"],
                    ["HKEYS", "h"], ["HVALS", "h"], ["HRANDFIELD", "h", "3", "WITHVALUES"], ["HSCAN", "h", "0", "MATCH", "f1*"],
                    ["LLEN", "l"], ["LINDEX", "l", "-1"], ["LPOS", "l", "e\(j)"],
                    ["SISMEMBER", "s", "m\(j)"], ["SMISMEMBER", "s", "m1", "m\(j)"], ["SCARD", "s"],
                    ["SRANDMEMBER", "s", "-3"], ["SSCAN", "s", "0", "COUNT", "20"],
                    ["ZMSCORE", "z", "m1", "m\(j)"], ["ZCARD", "z"], ["ZCOUNT", "z", "10", "(200"], ["ZLEXCOUNT", "z", "-", "+"],
                    ["ZREVRANK", "z", "m\(j)"], ["ZRANGEBYSCORE", "z", "5", "50", "LIMIT", "0", "5"],
                    ["ZREVRANGEBYLEX", "z", "+", "-"], ["ZRANDMEMBER", "z", "3", "WITHSCORES"], ["ZSCAN", "z", "0"],
                ]
                if case .error(let e) = store.execute(others[(i &* 5 &+ t) % others.count]) {
                    Issue.record("\(others[(i &* 5 &+ t) % others.count]): \(e)")
                }
                switch i % 6 {
                case 0:
                    guard let a = elements(store.execute(["HGETALL", "h"])) else { break }
                    if !a.isEmpty { nonEmpty.add(1, ordering: .relaxed) }
                    for p in stride(from: 0, to: a.count - 1, by: 2) {
                        guard let f = bulk(a[p]), let v = bulk(a[p + 1]), v == "v" + f.dropFirst() else { wrong.add(1, ordering: .relaxed); break }
                    }
                case 1:
                    guard let a = elements(store.execute(["ZRANGE", "z", "0", "-1", "WITHSCORES"])) else { break }
                    for p in stride(from: 0, to: a.count - 1, by: 2) {
                        guard let m = bulk(a[p]), let sc = bulk(a[p + 1]), "m" + sc == m else { wrong.add(1, ordering: .relaxed); break }
                    }
                case 2:
                    switch store.execute(["ZSCORE", "z", "m\(j)"]) {
                    case .null: break
                    case let r: if bulk(r) != "\(j)" { wrong.add(1, ordering: .relaxed) }
                    }
                    switch store.execute(["ZRANK", "z", "m\(j)"]) {
                    case .null: break
                    case .integer(let r) where r >= 0 && r < 300: break
                    default: wrong.add(1, ordering: .relaxed)
                    }
                case 3:
                    guard let a = elements(store.execute(["LRANGE", "l", "0", "-1"])) else { break }
                    // RPUSH and its LTRIM are two commands: a read between them sees 201.
                    if a.count > 201 || a.contains(where: { bulk($0)?.hasPrefix("e") != true }) { wrong.add(1, ordering: .relaxed) }
                case 4:
                    guard let a = elements(store.execute(["SMEMBERS", "s"])) else { break }
                    if a.contains(where: { bulk($0)?.hasPrefix("m") != true }) { wrong.add(1, ordering: .relaxed) }
                default:
                    switch store.execute(["HGET", "h", "f\(j)"]) {
                    case .null: break
                    case let r: if bulk(r) != "v\(j)" { wrong.add(1, ordering: .relaxed) }
                    }
                }
                if i % 64 == 0, shards[i % shards.count].shardLock._isReadBiased { sawBias.add(1, ordering: .relaxed) }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
        #expect(nonEmpty.load(ordering: .relaxed) > 50)
        #expect(sawBias.load(ordering: .relaxed) > 0, "the readers never found a shard read-biased")
    }

    /// EXISTS, TYPE, STRLEN, GETRANGE, the TTL family and the collection reads read a
    /// biased shard as GET does, without revoking the bias; a write revokes it.
    @Test func readOnlyCommandsKeepTheReadBias() throws {
        let clock = ManualClock(milliseconds: 1_000_000)
        let store = LuaStore(configuration: .init(shardCount: 1, clock: clock))
        let lock = store.core.keyspace.shards[0].shardLock
        try store.set("k", "value")
        _ = try store.set("t", "value", ttl: .seconds(60))
        _ = try store.get("k")    // the first read through the lock sets the bias
        #expect(lock._isReadBiased)
        #expect(try store.exists("k") == 1)
        #expect(try store.type("k") == "string")
        #expect(store.execute(["STRLEN", "k"]) == .integer(5))
        #expect(store.execute(["GETRANGE", "k", "1", "2"]) == .bulk("al"))
        #expect(store.execute(["EXISTS", "k", "missing", "k"]) == .integer(2))
        #expect(store.execute(["TTL", "k"]) == .integer(-1))
        #expect(store.execute(["PTTL", "t"]) == .integer(60_000))
        #expect(store.execute(["EXPIRETIME", "t"]) == .integer(1_060))
        #expect(store.execute(["PEXPIRETIME", "missing"]) == .integer(-2))
        #expect(lock._isReadBiased, "a read-only command revoked the bias")
        // The collection families' reads.
        for argv: [ByteString] in [["HSET", "h", "f", "v"], ["RPUSH", "l", "a", "b"], ["SADD", "s", "m"], ["ZADD", "z", "1", "m"]] {
            _ = store.execute(argv)
        }
        // The writes revoked the bias; a read through the lock sets it again once 1 ms
        // has passed, checking the time every 32 such reads.
        usleep(2_000)
        for _ in 0..<64 where !lock._isReadBiased { _ = try store.get("k") }
        #expect(lock._isReadBiased)
        #expect(store.execute(["HGET", "h", "f"]) == .bulk("v"))
        #expect(store.execute(["HLEN", "h"]) == .integer(1))
        #expect(store.execute(["LRANGE", "l", "0", "-1"]) == .array([.bulk("a"), .bulk("b")]))
        #expect(store.execute(["LINDEX", "l", "1"]) == .bulk("b"))
        #expect(store.execute(["SISMEMBER", "s", "m"]) == .integer(1))
        #expect(store.execute(["SMEMBERS", "s"]) == .array([.bulk("m")]))
        #expect(store.execute(["ZSCORE", "z", "m"]) == .bulk("1"))
        #expect(store.execute(["ZRANK", "z", "m"]) == .integer(0))
        #expect(store.execute(["ZRANGE", "z", "0", "-1"]) == .array([.bulk("m")]))
        #expect(store.execute(["HGET", "k", "f"]) == .error("WRONGTYPE Operation against a key holding the wrong kind of value"))
        #expect(lock._isReadBiased, "a collection read revoked the bias")
        try store.set("k", "other")
        #expect(!lock._isReadBiased)
    }
}
