import Dispatch
import Synchronization
import Testing
@testable import LuaStore
import LuaStoreCore
import TestSupport

/// FLUSHALL never waits for key locks: inside scripts that hold their keys, beside plain
/// callers and transactions, it can neither deadlock nor break a holder's atomicity. Run
/// under `swift test --sanitize=thread` too.
@Suite struct FlushStressTests {
    /// The report: two threads each running an atomic script that holds its key and calls
    /// FLUSHALL (`luastore benchmark -c 2 ... EVAL "redis.call('FLUSHALL') return 1" 1
    /// k:__rand_int__`), with a plain FLUSHALL and a whole-store script beside them. Before
    /// the fix each side held its keys and waited for the other's: the run never ended.
    @Test func flushInsideScriptsAndBesideThemNeverDeadlocks() async throws {
        let store = LuaStore()
        let done = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)
        let rounds = 4_000
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: 4) { t in
                var random = SplitMix64(seed: UInt64(t))
                for i in 0..<rounds {
                    switch t {
                    case 0, 1:
                        let key = ByteString("k:\(random.next() % 1_000)")
                        _ = store.execute(["EVAL", "redis.call('FLUSHALL') return 1", "1", key])
                    case 2:
                        if i % 4 == 0 { _ = store.execute(["FLUSHALL"]) } else { _ = store.execute(["SET", ByteString("p:\(i)"), "x"]) }
                    default:
                        if i % 8 == 0 {
                            _ = store.execute(["EVAL", "#!lua flags=allow-undeclared-keys\nredis.call('SET', 'u', 1) redis.call('FLUSHALL') return 1", "0"])
                        } else {
                            store.transaction(keys: [ByteString("t:\(i % 5)")]) { tx in
                                _ = try? tx.set(ByteString("t:\(i % 5)"), "1")
                            }
                        }
                    }
                }
                done.add(1, ordering: .relaxed)
            }
            finished.signal()
        }
        // Bounded: a deadlock fails the test instead of hanging the run (generously: a
        // Thread Sanitizer build on a busy machine takes minutes).
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: finished.wait(timeout: .now() + 300)) }
        }
        #expect(result == .success, "FLUSHALL deadlocked with key-lock holders")
        #expect(done.load(ordering: .relaxed) == 4)
    }

    /// A FLUSHALL from outside drops every free key at once, leaves the keys a running
    /// transaction holds as that transaction sees them, and drops those when it ends: as
    /// if the flush ran right after the transaction.
    @Test func flushDropsHeldKeysWhenTheirHolderReleasesThem() throws {
        let store = LuaStore(configuration: .init(shardCount: 4))
        try store.set("free", "1")
        try store.set("held", "1")
        let inside = DispatchSemaphore(value: 0)
        let flushed = DispatchSemaphore(value: 0)
        let seen = Locked<(ByteString?, ByteString?)>((nil, nil))
        let holderDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            defer { holderDone.signal() }
            store.transaction(keys: ["held", "created"]) { tx in
                inside.signal()
                flushed.wait()
                let held = try? tx.get("held")
                _ = try? tx.set("created", "2")
                seen.withLock { $0 = (held ?? nil, (try? tx.get("created")) ?? nil) }
            }
        }
        inside.wait()
        let flushReturned = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = store.execute(["FLUSHALL"])
            flushReturned.signal()
        }
        // FLUSHALL does not wait for the holder (which waits for it here).
        let returned = flushReturned.wait(timeout: .now() + 10) == .success
        #expect(returned, "FLUSHALL waited for a key-lock holder")
        #expect(try store.get("free") == nil)
        flushed.signal()
        holderDone.wait()
        if !returned { flushReturned.wait() }
        seen.withLock {
            #expect($0.0 == "1", "the holder's keys stay as it saw them while it runs")
            #expect($0.1 == "2")
        }
        #expect(try store.get("held") == nil)
        #expect(try store.get("created") == nil)
        #expect(store.execute(["DBSIZE"]) == .integer(0))
    }

    /// A script that flushes sees its own keys gone at once.
    @Test func flushInsideAScriptDropsItsOwnKeys() {
        let store = LuaStore()
        _ = store.execute(["SET", "a", "1"])
        let reply = store.execute(["EVAL", "redis.call('FLUSHALL') return redis.call('EXISTS', KEYS[1])", "1", "a"])
        #expect(reply == .integer(0))
        #expect(store.execute(["DBSIZE"]) == .integer(0))
    }
}
