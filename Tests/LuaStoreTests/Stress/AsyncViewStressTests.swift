import Dispatch
import Testing
@testable import LuaStore

/// Tasks calling the async view on keys that transactions (on threads) and scripts (on
/// the script pool) keep taking, with some of the tasks cancelled on the way: every
/// increment that returned is counted exactly once, and one that threw
/// `CancellationError` changed nothing. Run under `--sanitize=thread` too.
@Suite struct AsyncViewStressTests {
    @Test func suspendedCallsAndCancellationsLoseNothing() async throws {
        let store = LuaStore(configuration: .init(shardCount: 2))
        let keys: [ByteString] = ["k0", "k1", "k2", "k3"]
        let applied = Locked<Int>(0)
        let holderRounds = 1_500, perTask = 1_000
        let increment = try store.scriptLoad("for _, k in ipairs(KEYS) do redis.call('INCR', k) end return #KEYS")

        try await withThrowingTaskGroup(of: Void.self) { group in
            // Transactions on threads: each holds two keys and increments both.
            group.addTask {
                await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
                    DispatchQueue.global().async {
                        DispatchQueue.concurrentPerform(iterations: 2) { t in
                            for i in 0..<holderRounds {
                                let held = [keys[(t + i) % 4], keys[(t + i + 1) % 4]]
                                try? store.transaction(keys: held) { tx in
                                    for key in held { try tx.incr(key) }
                                    for _ in 0..<20 { _ = try tx.get(held[0]) }
                                }
                                applied.withLock { $0 += 2 }
                            }
                        }
                        finished.resume()
                    }
                }
            }
            // Scripts from tasks, on the script pool.
            for s in 0..<2 {
                group.addTask {
                    for i in 0..<holderRounds / 3 {
                        let held = [keys[(s + i) % 4], keys[(s + i + 2) % 4]]
                        let n = try await store.async.eval(increment, keys: held, as: Int.self)
                        applied.withLock { $0 += n }
                    }
                }
            }
            // Plain async calls, suspended whenever their key is held.
            for t in 0..<6 {
                group.addTask {
                    for i in 0..<perTask {
                        let key = keys[(t * 7 + i) % 4]
                        if i % 2 == 0 {
                            _ = try await store.async.incr(key)
                        } else {
                            _ = try await store.async.execute(["INCRBY", key, "1"])
                        }
                        applied.withLock { $0 += 1 }
                        if i % 50 == 0 { _ = try await store.async.mget(keys) }
                    }
                }
            }
            // Calls that get cancelled at random points: those that returned count.
            for t in 0..<4 {
                group.addTask {
                    for round in 0..<40 {
                        let task = Task {
                            for i in 0..<20 {
                                do {
                                    _ = try await store.async.incrby(keys[(t + i + round) % 4], 1)
                                    applied.withLock { $0 += 1 }
                                } catch is CancellationError {
                                    return
                                }
                            }
                        }
                        if round % 2 == 0 { await Task.yield() }
                        task.cancel()
                        _ = try await task.value
                    }
                }
            }
            try await group.waitForAll()
        }

        var total = 0
        for key in keys { total += Int(try store.get(key)?.int64Value ?? 0) }
        #expect(total == applied.withLock { $0 })
        #expect(store.core.keyspace.shards.allSatisfy { $0.parking.suspendedCount == 0 })
    }
}
