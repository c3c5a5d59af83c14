import Dispatch
import Synchronization
import Testing
@testable import LuaStore

/// The typed API's blocking pops: wake-ups, timeouts, FIFO order, cancellation.
@Suite struct BlockingTests {
    let store = LuaStore()

    /// Waits (suspending) until `n` blocking pops are registered.
    func waiters(_ n: Int) async {
        while store.core.keyspace.readiness.waiterCount != n { await Task.yield() }
    }

    @Test func answersAtOnceWhenDataIsThere() async throws {
        try store.rpush("q", ["a"])
        let popped = try await store.blpop(["none", "q"], timeout: .seconds(5))
        #expect(popped?.key == "q" && popped?.element == "a")
        #expect(store.core.keyspace.readiness.waiterCount == 0)
    }

    @Test func wokenByExecutePush() async throws {
        let waiting = Task { try await store.blpop(["q"], timeout: .seconds(10)) }
        await waiters(1)
        expect(store, ["RPUSH", "q", "x"], .integer(1))
        let popped = try await waiting.value
        #expect(popped?.key == "q" && popped?.element == "x")
        expect(store, ["EXISTS", "q"], .integer(0))
    }

    @Test func wokenByTypedPushFromAnotherTask() async throws {
        let waiting = Task { try await store.brpop(["a", "b"], timeout: .zero) }
        await waiters(1)
        let pusher = Task { try store.lpush("b", ["1", "2"]) }
        _ = try await pusher.value
        let popped = try await waiting.value
        #expect(popped?.key == "b" && popped?.element == "1")
        #expect(try store.lrange("b", 0, -1) == ["2"])
    }

    @Test func wokenByScriptPush() async throws {
        let waiting = Task { try await store.blmove("src", "dst", from: .left, to: .right, timeout: .seconds(10)) }
        await waiters(1)
        expect(store, ["EVAL", "return redis.call('RPUSH', KEYS[1], 'v')", "1", "src"], .integer(1))
        #expect(try await waiting.value == "v")
        #expect(try store.lrange("dst", 0, -1) == ["v"])
    }

    @Test func wokenByLmoveAndLinsert() async throws {
        try store.rpush("src", ["m"])
        let first = Task { try await store.blpop(["dst"], timeout: .seconds(10)) }
        await waiters(1)
        try store.lmove("src", "dst", from: .left, to: .left)
        #expect(try await first.value?.element == "m")
        try store.rpush("w", ["p"])
        let second = Task { try await store.blmpop(["w2"], from: .right, count: 5, timeout: .seconds(10)) }
        await waiters(1)
        expect(store, ["RPOPLPUSH", "w", "w2"], .bulk("p"))
        #expect(try await second.value?.elements == ["p"])
    }

    @Test func sortedSetPops() async throws {
        let waiting = Task { try await store.bzpopmin(["z"], timeout: .seconds(10)) }
        await waiters(1)
        expect(store, ["ZADD", "z", "2", "b", "1", "a"], .integer(2))
        let popped = try await waiting.value
        #expect(popped?.member == "a" && popped?.score == 1)
        #expect(try await store.bzpopmax(["z"], timeout: .seconds(1))?.member == "b")
    }

    @Test func bzmpopWaitsThenPopsSeveral() async throws {
        let waiting = Task { try await store.bzmpop(["none", "z"], max: true, count: 2, timeout: .seconds(10)) }
        await waiters(1)
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c"], .integer(3))
        let popped = try await waiting.value
        #expect(popped?.key == "z")
        #expect(popped?.entries == [SortedSetEntry(member: "c", score: 3), SortedSetEntry(member: "b", score: 2)])
        // Through execute it answers at once.
        expect(store, ["BZMPOP", "0", "1", "none", "MIN"], .nullArray)
        expect(store, ["BZMPOP", "x", "1", "z", "MIN"], .err("ERR timeout is not a float or out of range"))
        expect(store, ["BZMPOP", "x", "1", "z", "BOGUS"], .err("ERR syntax error"))
        expect(store, ["BZMPOP", "0", "1", "z", "MIN"], .array([.bulk("z"), .array([.array([.bulk("a"), .bulk("1")])])]))
    }

    /// With a ManualClock, a blocking pop's timeout ends when the clock passes it, not
    /// before, and with no wall-clock wait.
    @Test(.timeLimit(.minutes(1))) func manualClockDrivesTheTimeout() async throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        let started = ContinuousClock.now
        let waiting = Task { try await store.blpop(["jobs"], timeout: .seconds(3600)) }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(3599))
        #expect(clock.sleeperCount == 1)
        try store.rpush("other", ["x"])
        clock.advance(by: .seconds(1))
        #expect(try await waiting.value == nil)
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(clock.sleeperCount == 0)
        #expect(store.core.keyspace.readiness.waiterCount == 0)
    }

    /// A pop served before its timeout leaves no sleeper behind; a cancelled one neither.
    @Test(.timeLimit(.minutes(1))) func manualClockSleepersEndWithTheirWaiters() async throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        let served = Task { try await store.bzpopmin(["z"], timeout: .seconds(10)) }
        await clock.waitForSleepers(1)
        try store.zadd("z", [(1, "a")])
        #expect(try await served.value?.member == "a")
        let cancelled = Task { try await store.blmove("src", "dst", from: .left, to: .right, timeout: .seconds(10)) }
        await clock.waitForSleepers(1)
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        while clock.sleeperCount != 0 { await Task.yield() }
    }

    @Test func timesOut() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let popped = try await store.blpop(["never"], timeout: .milliseconds(50))
        #expect(popped == nil)
        #expect(clock.now - start >= .milliseconds(50))
        #expect(store.core.keyspace.readiness.waiterCount == 0)
        #expect(try await store.brpoplpush("never", "d", timeout: .milliseconds(10)) == nil)
    }

    @Test func waitersAreServedInArrivalOrder() async throws {
        var tasks: [Task<(key: ByteString, element: ByteString)?, Error>] = []
        for i in 0..<4 {
            tasks.append(Task { try await store.blpop(["q"], timeout: .seconds(10)) })
            await waiters(i + 1)
        }
        expect(store, ["RPUSH", "q", "a", "b", "c", "d"], .integer(4))
        var got: [ByteString] = []
        for task in tasks { got.append(try await task.value?.element ?? "timeout") }
        #expect(got == ["a", "b", "c", "d"])
        // One push at a time, on either of the keys: each goes to the longest waiter.
        tasks = []
        for i in 0..<3 {
            tasks.append(Task { try await store.brpop(["q", "other"], timeout: .seconds(10)) })
            await waiters(i + 1)
        }
        for (i, element) in ["x", "y", "z"].enumerated() {
            try store.rpush(element == "y" ? "other" : "q", [ByteString(element)])
            #expect(try await tasks[i].value?.element == ByteString(element))
        }
    }

    @Test func cancellationEndsTheWaitAndConsumesNothing() async throws {
        let waiting = Task { try await store.blpop(["q"], timeout: .zero) }
        await waiters(1)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(store.core.keyspace.readiness.waiterCount == 0)
        try store.rpush("q", ["kept"])
        #expect(try store.llen("q") == 1)
    }

    @Test func aCancelledHeadPassesItsTurnOn() async throws {
        let first = Task { try await store.blpop(["q"], timeout: .zero) }
        await waiters(1)
        let second = Task { try await store.blpop(["q"], timeout: .seconds(10)) }
        await waiters(2)
        first.cancel()
        try store.rpush("q", ["e"])
        #expect(try await second.value?.element == "e")
        _ = try? await first.value
    }

    @Test func negativeTimeoutIsRefused() async throws {
        await #expect(throws: StoreError.timeoutNegative) { try await store.blpop(["q"], timeout: .milliseconds(-1)) }
    }

    @Test func wrongTypeIsThrown() async throws {
        try store.set("s", "v")
        await #expect(throws: StoreError.wrongType) { try await store.blpop(["s"], timeout: .seconds(1)) }
        #expect(store.core.keyspace.readiness.waiterCount == 0)
    }
}
