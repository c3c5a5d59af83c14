import Testing
@testable import LuaStore

/// The stream typed API: IDs from the store's clock, ranges, trims, XREAD and its
/// blocking form, and the stream's memory accounting.
@Suite struct StreamFamilyTests {
    @Test func autoIDsComeFromTheStoreClock() throws {
        let clock = ManualClock(milliseconds: 1_000)
        let store = LuaStore(configuration: .init(clock: clock))
        #expect(try store.xadd("s", [("a", "1")]) == StreamID(ms: 1_000, seq: 0))
        #expect(try store.xadd("s", [("a", "2")]) == StreamID(ms: 1_000, seq: 1))
        clock.advance(by: .milliseconds(5))
        #expect(try store.xadd("s", [("a", "3")]) == StreamID(ms: 1_005, seq: 0))
        #expect(try store.xadd("s", id: .autoSequence(ms: 1_005), [("a", "4")]) == StreamID(ms: 1_005, seq: 1))
        #expect(throws: StoreError.streamIDTooSmall) { try store.xadd("s", id: .explicit(StreamID(ms: 1, seq: 1)), [("a", "5")]) }
        expect(store, ["XADD", "s", "*", "b", "6"], .bulk("1005-2"))
        #expect(try store.xlen("s") == 5)
    }

    @Test func rangesTrimsAndDeletes() throws {
        let store = LuaStore()
        for i in 1...250 { try store.xadd("s", id: .explicit(StreamID(ms: UInt64(i), seq: 0)), [("n", ByteString(i))]) }
        #expect(try store.xrange("s", StreamID(ms: 10, seq: 0), StreamID(ms: 12, seq: 0)).map(\.id.ms) == [10, 11, 12])
        #expect(try store.xrevrange("s", count: 2).map(\.id.ms) == [250, 249])
        #expect(try store.xrange("s", count: 1).first == StreamEntry(id: StreamID(ms: 1, seq: 0), pairs: [("n", "1")]))
        #expect(try store.xdel("s", [StreamID(ms: 1, seq: 0), StreamID(ms: 1, seq: 0), StreamID(ms: 999, seq: 0)]) == 1)
        // Approximate: whole blocks of 100 only (the first holds 99 live entries now).
        #expect(try store.xtrim("s", StreamTrim(.maxLength(120), approximate: true)) == 99)
        #expect(try store.xtrim("s", StreamTrim(.minID(StreamID(ms: 200, seq: 0)))) == 99)
        #expect(try store.xlen("s") == 51)
        #expect(try store.xrange("s", count: 1).first?.id == StreamID(ms: 200, seq: 0))
    }

    @Test func readFromSeveralStreams() throws {
        let store = LuaStore()
        try store.xadd("a", id: .explicit(StreamID(ms: 1, seq: 1)), [("f", "v")])
        try store.xadd("b", id: .explicit(StreamID(ms: 2, seq: 1)), [("f", "w")])
        let served = try store.xread([("a", .after(.zero)), ("b", .lastID), ("c", .after(.zero))])
        #expect(served.map(\.key) == ["a"])
        #expect(served.first?.entries.map(\.id) == [StreamID(ms: 1, seq: 1)])
    }

    @Test(.timeLimit(.minutes(1))) func blockingReadIsWokenByXadd() async throws {
        let store = LuaStore()
        try store.xadd("s", id: .explicit(StreamID(ms: 5, seq: 0)), [("old", "1")])
        let waiting = Task { try await store.xread([("s", .lastID)], timeout: .seconds(30)) }
        while store.core.keyspace.readiness.waiterCount != 1 { await Task.yield() }
        expect(store, ["XADD", "s", "6-0", "new", "2"], .bulk("6-0"))
        let served = try await waiting.value
        #expect(served.first?.entries == [StreamEntry(id: StreamID(ms: 6, seq: 0), pairs: [("new", "2")])])
    }

    @Test(.timeLimit(.minutes(1))) func blockingReadTimesOutOnTheStoreClock() async throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        let waiting = Task { try await store.xread([("s", .lastID)], timeout: .seconds(60)) }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(60))
        #expect(try await waiting.value.isEmpty)
        await #expect(throws: StoreError.timeoutNegative) { try await store.xread([("s", .lastID)], timeout: .seconds(-1)) }
    }

    /// Memory accounting follows the stream as it grows and shrinks.
    @Test func memoryIsAccounted() throws {
        let store = LuaStore()
        for i in 1...1_000 { try store.xadd("s", id: .explicit(StreamID(ms: UInt64(i), seq: 0)), [("f", "value \(i)")]) }
        guard case .integer(let grown) = store.execute(["MEMORY", "USAGE", "s"]) else { Issue.record("MEMORY USAGE"); return }
        #expect(grown > 10_000)
        try store.xtrim("s", StreamTrim(.maxLength(0)))
        guard case .integer(let trimmed) = store.execute(["MEMORY", "USAGE", "s"]) else { Issue.record("MEMORY USAGE"); return }
        #expect(trimmed < 1_000)
        let counted = store.core.keyspace.shards.reduce(0) { total, shard in total + shard.withState { $0.heapBytes } }
        let recounted = store.core.keyspace.shards.reduce(0) { total, shard in total + shard.withState { $0._recountHeapBytes() } }
        #expect(counted == recounted)
    }
}

/// Consumer groups through the typed API, with idle times on a ManualClock.
@Suite struct StreamGroupTests {
    @Test func deliverAckClaimOnTheStoreClock() throws {
        let clock = ManualClock(milliseconds: 10_000)
        let store = LuaStore(configuration: .init(clock: clock))
        for i in 1...3 { try store.xadd("s", id: .explicit(StreamID(ms: UInt64(i), seq: 0)), [("n", ByteString(i))]) }
        try store.xgroupCreate("s", "g", start: .after(.zero))
        let read = try store.xreadgroup("g", "alice", [("s", .lastID)], count: 2)
        #expect(read.first?.entries.map(\.id.ms) == [1, 2])
        clock.advance(by: .milliseconds(500))
        #expect(try store.xpending("s", "g", count: 10).map(\.idle) == [500, 500])
        #expect(try store.xack("s", "g", [StreamID(ms: 1, seq: 0)]) == 1)
        // Bob claims what alice has held for 500 ms; the delivery count goes up.
        let claimed = try store.xclaim("s", "g", "bob", minIdle: 400, [StreamID(ms: 2, seq: 0)])
        #expect(claimed.map(\.id.ms) == [2])
        let summary = try store.xpending("s", "g")
        #expect(summary.count == 1 && summary.consumers.map(\.name) == ["bob"])
        #expect(try store.xpending("s", "g", count: 10).first?.deliveryCount == 2)
        // Deleted while pending: XAUTOCLAIM reports and drops it.
        _ = try store.xreadgroup("g", "alice", [("s", .lastID)])
        try store.xdel("s", [StreamID(ms: 3, seq: 0)])
        let auto = try store.xautoclaim("s", "g", "carol", minIdle: 0)
        #expect(auto.deleted == [StreamID(ms: 3, seq: 0)] && auto.claimed.map(\.id.ms) == [2] && auto.next == .zero)
        #expect(try store.xgroupDeleteConsumer("s", "g", "carol") == 1)
        #expect(throws: StoreError.busyGroup) { try store.xgroupCreate("s", "g") }
        #expect(throws: StoreError.noGroup(key: "s", group: "nope")) { try store.xpending("s", "nope") }
    }
}
