import Dispatch
import Foundation
import Testing
@testable import LuaStore
import TestSupport

/// The async view (`store.async`): waits for held keys suspend the task and resume on the
/// release, cancellation ends them having done nothing, scripts run on the script pool and
/// stop when their task is cancelled.
///
/// In a full test run other suites keep the cooperative pool's threads busy for long
/// stretches, so nothing here bounds how long a task takes to be scheduled: the waits
/// below allow minutes, and progress is asserted as an order of events (the unrelated
/// task finishes while the script still holds its key), not as a duration.
@Suite(.timeLimit(.minutes(5))) struct AsyncViewTests {
    let store = LuaStore()

    /// How many tasks are suspended waiting for a key-lock release, in every shard.
    var suspended: Int { store.core.keyspace.shards.reduce(0) { $0 + $1.parking.suspendedCount } }

    /// Waits (suspending) until `n` tasks are suspended on held keys.
    func suspendedTasks(_ n: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
        await until("\(n) tasks suspended", sourceLocation: sourceLocation) { suspended == n }
    }

    /// Waits (suspending) until a script runs.
    func scriptRuns(sourceLocation: SourceLocation = #_sourceLocation) async {
        await until("a script runs", sourceLocation: sourceLocation) { store.scriptEngine.runningCount > 0 }
    }

    /// Waits (suspending, sleeping 1 ms between checks) until `condition` holds; records an
    /// issue after 4 minutes instead of hanging.
    func until(_ what: String, sourceLocation: SourceLocation, _ condition: () -> Bool) async {
        let deadline = ContinuousClock.now + .seconds(240)
        while !condition() {
            if ContinuousClock.now > deadline {
                Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
                return
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Holds `keys` in a transaction on another thread until `release` is signalled;
    /// returns once the locks are taken. The transaction first writes `value` to each key.
    func hold(_ keys: [ByteString], writing value: ByteString, until release: DispatchSemaphore) -> DispatchSemaphore {
        let taken = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let store = store
        Thread.detachNewThread {
            try? store.transaction(keys: keys) { tx in
                for key in keys { try tx.set(key, value) }
                taken.signal()
                release.wait()
            }
            done.signal()
        }
        taken.wait()
        return done
    }

    @Test func callsOnFreeKeysRunAtOnce() async throws {
        try await store.async.set("k", "v")
        #expect(try await store.async.get("k") == "v")
        #expect(try await store.async.incr("n") == 1)
        #expect(try await store.async.rpush("l", ["a", "b"]) == 2)
        #expect(try await store.async.del("k", "l", "none") == 2)
        #expect(try await store.async.exists("n", "n") == 2)
        #expect(try await store.async.execute(["GET", "n"]) == .bulk("1"))
    }

    @Test func waiterResumesWhenTransactionReleases() async throws {
        let release = DispatchSemaphore(value: 0)
        let done = hold(["a"], writing: "tx", until: release)
        let reader = Task { try await store.async.get("a") }
        let writer = Task { try await store.async.append("a", "+") }
        await suspendedTasks(2)
        release.signal()
        let appended = try await writer.value
        let read = try await reader.value
        #expect(read == "tx" || read == "tx+")
        #expect(appended == 3)
        #expect(suspended == 0)
        done.wait()
    }

    @Test func waiterResumesWhenScriptReleases() async throws {
        let running = Task {
            try await store.async.eval("""
                redis.call('SET', KEYS[1], 'script')
                local t = redis.call('TIME')
                local start = t[1] * 1000000 + t[2]
                repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start > 1000000
                return 1
                """, keys: ["a"])
        }
        await scriptRuns()
        let value = try await store.async.getset("a", "after")
        #expect(value == "script")
        #expect(try await running.value == .integer(1))
        #expect(try store.get("a") == "after")
    }

    @Test func multiKeyCallsWaitToo() async throws {
        let release = DispatchSemaphore(value: 0)
        let done = hold(["b"], writing: "1", until: release)
        let mset = Task { try await store.async.mset([("a", "2"), ("b", "3")]) }
        let mget = Task { try await store.async.mget(["a", "b"]) }
        await suspendedTasks(2)
        #expect(try store.get("a") == nil)
        release.signal()
        try await mset.value
        let got = try await mget.value
        #expect(got == ["2", "3"] || got == [nil, "1"])
        done.wait()
    }

    @Test func cancelledWaiterThrowsAndChangesNothing() async throws {
        try store.set("a", "old")
        let release = DispatchSemaphore(value: 0)
        let done = hold(["a"], writing: "old", until: release)
        let writer = Task { try await store.async.set("a", "new") }
        await suspendedTasks(1)
        writer.cancel()
        await #expect(throws: CancellationError.self) { try await writer.value }
        #expect(suspended == 0)
        release.signal()
        done.wait()
        #expect(try store.get("a") == "old")
    }

    @Test func cancelledTaskDoesNotStart() async throws {
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await store.async.set("a", "new")
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try store.get("a") == nil)
    }

    /// Through `eval` or `execute`, alike.
    @Test(arguments: [false, true])
    func cancellingTheTaskStopsItsScriptAndReleasesItsLocks(throughExecute: Bool) async throws {
        let source = "redis.call('SET', KEYS[1], 'in'); while true do end"
        let store = store
        let running = Task {
            throughExecute ? try await store.async.execute(["EVAL", source, "1", "a"]) : try await store.async.eval(ByteString(source), keys: ["a"])
        }
        await scriptRuns()
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(store.scriptEngine.runningCount == 0)
        // The key is usable at once: a sync call would park on a lock still held.
        try await store.async.set("a", "free")
        #expect(try store.get("a") == "free")
    }

    /// How many pool threads sleep waiting for a key-lock release, in every shard.
    var sleepingThreads: Int { store.core.keyspace.shards.reduce(0) { $0 + $1.parking.sleepingThreadCount } }

    /// A script or transaction of the async view waiting on the pool for a held key ends
    /// at once when its task is cancelled, before the key is released, having done nothing.
    @Test(arguments: ["eval", "execute", "transaction"])
    func cancellingAPoolJobWaitingForItsKeyEndsItAtOnce(kind: String) async throws {
        let release = DispatchSemaphore(value: 0)
        let done = hold(["a", "b"], writing: "held", until: release)
        let store = store
        let waiting = Task { () async throws -> Void in
            switch kind {
            case "eval": try await store.async.eval("redis.call('SET', KEYS[1], 'script')", keys: ["b"])
            case "execute": try await store.async.execute(["EVAL", "redis.call('SET', KEYS[1], 'script')", "1", "b"])
            default: _ = try await store.async.transaction(keys: ["b"]) { tx in try tx.set("b", "tx") }
            }
        }
        await until("a pool thread waits", sourceLocation: #_sourceLocation) { sleepingThreads == 1 }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // Ended while the key is still held, and it never ran.
        await until("the pool thread stops waiting", sourceLocation: #_sourceLocation) { sleepingThreads == 0 }
        release.signal()
        done.wait()
        #expect(try store.get("b") == "held")
    }

    @Test func scriptsRunOffTheCallingThread() async throws {
        let n = try await store.async.eval("return redis.call('INCR', KEYS[1])", keys: ["n"], as: Int.self)
        #expect(n == 1)
        let sha = try store.scriptLoad("return ARGV[1]").sha1
        #expect(try await store.async.evalsha(sha, args: ["x"], as: String.self) == "x")
        #expect(try await store.async.execute(["EVAL", "return 7", "0"]) == .integer(7))
        let total = try await store.async.transaction(keys: ["n"]) { tx in try tx.incrby("n", 2) }
        #expect(total == 3)
        await #expect(throws: StoreError.noScript) { try await store.async.evalsha(String(repeating: "0", count: 40)) }
    }

    @Test func blockingPopOnHeldKeySuspends() async throws {
        let release = DispatchSemaphore(value: 0)
        let done = hold(["q"], writing: "x", until: release)
        let pop = Task { try await store.async.blpop(["q"], timeout: .seconds(5)) }
        await suspendedTasks(1)
        let pusher = Task.detached { [store] in
            release.signal()
            done.wait()
            try store.del(["q"])
            try store.rpush("q", ["e"])
        }
        try await pusher.value
        let popped = try await pop.value
        #expect(popped?.element == "e")
    }

    /// An unrelated task keeps running while many tasks wait for a key a script holds:
    /// none of them holds a cooperative thread. The script runs until its task is
    /// cancelled, after the unrelated task's sleep has ended.
    @Test func unrelatedTaskProgressesWhileManyWait() async throws {
        let script = Task { try await store.async.eval("redis.call('SET', KEYS[1], 'set'); while true do end", keys: ["a"]) }
        await scriptRuns()
        let waiters = (0..<32).map { _ in Task { try await store.async.get("a") } }
        await suspendedTasks(32)
        // With the synchronous API the script and the 32 callers would hold every
        // cooperative thread, and this sleep would not end while the script runs.
        try await Task.sleep(for: .milliseconds(10))
        #expect(store.scriptEngine.runningCount == 1)
        #expect(suspended == 32)
        script.cancel()
        await #expect(throws: CancellationError.self) { try await script.value }
        for waiter in waiters { _ = try await waiter.value }
        #expect(suspended == 0)
    }

    /// The sync API stays usable in async code without `await`.
    @Test func syncEvalCompilesInAsyncCode() async throws {
        try await Task.sleep(for: .zero)
        let reply = try store.eval("return 1")
        #expect(reply == .integer(1))
    }

    /// AsyncStore+Commands.swift is what Scripts/generate-async-view.py writes today.
    @Test func generatedCommandsAreUpToDate() throws {
        #expect(try generatedFileIsCurrent("Scripts/generate-async-view.py"), "run make async-view")
    }
}
