import Dispatch
import Synchronization
import Testing
@testable import LuaStore
import LuaStoreCore
import TestSupport

/// Eviction racing scripts, readers and blocking pops under a small bound: scripts never
/// see a key they hold vanish, the bound holds, the accounting stays exact, and pops get
/// what was pushed or time out. Run under `swift test --sanitize=thread` too.
@Suite struct EvictionStressTests {
    @Test func evictionRacesScriptsReadersAndBlockingPops() async throws {
        let bound: UInt64 = 128 << 10
        let store = LuaStore(configuration: .init(settings: .init(maxMemory: bound, evictionPolicy: .allKeysLRU)))
        let lostHeldKeys = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)
        let rounds = 3_000
        let value = ByteString(String(repeating: "v", count: 100))
        // A script sets its first key, writes enough to force evictions, then reads the
        // first key back: held for the whole run, it must still be there.
        let script = """
            redis.call('SET', KEYS[1], 'mine')
            for i = 2, #KEYS do redis.call('SET', KEYS[i], ARGV[1]) end
            if redis.call('GET', KEYS[1]) ~= 'mine' then return 0 end
            return 1
            """
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: 4) { t in
                var random = SplitMix64(seed: UInt64(t) + 1)
                for i in 0..<rounds {
                    let n = random.next() % 5_000
                    switch t {
                    case 0:
                        _ = store.execute(["SET", ByteString("s:\(n)"), value])
                        if i % 10 == 0 { _ = store.execute(["RPUSH", "queue", ByteString("\(i)")]) }
                    case 1:
                        let keys = (0..<8).map { ByteString("h:\(n):\($0)") }
                        let reply = store.execute(["EVAL", ByteString(script), "8"] + keys + [value])
                        if reply != .integer(1) { lostHeldKeys.add(1, ordering: .relaxed) }
                    case 2:
                        _ = store.execute(["GET", ByteString("s:\(n)")])
                        _ = store.execute(["HSET", ByteString("hash:\(n % 50)"), ByteString("\(n)"), value])
                    default:
                        if i % 20 == 0 { _ = store.execute(["BLPOP", "queue", "0.01"]) }
                        _ = store.execute(["SADD", ByteString("set:\(n % 50)"), ByteString("\(n)")])
                    }
                }
            }
            finished.signal()
        }
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: finished.wait(timeout: .now() + 300)) }
        }
        #expect(result == .success, "eviction deadlocked")
        #expect(lostHeldKeys.load(ordering: .relaxed) == 0)
        let info = store.info()
        #expect(info.memory.used <= Int(bound))
        #expect(info.stats.evictedKeys > 0)
        for shard in store.core.keyspace.shards {
            shard.withState { #expect($0.heapBytes == $0._recountHeapBytes()) }
        }
    }
}
