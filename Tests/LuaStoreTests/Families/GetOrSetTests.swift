import Synchronization
import Testing
@testable import LuaStore

/// getOrSet: cache-aside with single flight.
@Suite(.timeLimit(.minutes(1))) struct GetOrSetTests {
    /// A latch the computation waits on, so callers pile up while it runs.
    final class Gate: Sendable {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        func wait() async { for await _ in stream { return } }
        func open() { continuation.yield(); continuation.finish() }
    }

    final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        func increment() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    @Test func aHitDoesNotCompute() async throws {
        let store = LuaStore()
        try store.set("k", "cached")
        let value = try await store.getOrSet("k") { Issue.record("computed on a hit"); return "x" }
        #expect(value == "cached")
    }

    /// 50 concurrent callers of one missing key: one computation, one value for all.
    @Test func concurrentMissesComputeOnce() async throws {
        let store = LuaStore(configuration: .init(clock: ManualClock()))
        let computations = Counter()
        let gate = Gate()
        let values = try await withThrowingTaskGroup(of: ByteString.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await store.getOrSet("page", ttl: .seconds(60)) {
                        computations.increment()
                        await gate.wait()
                        return "rendered"
                    }
                }
            }
            while store.core.flights.inFlight == 0 { await Task.yield() }
            gate.open()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values.count == 50 && values.allSatisfy { $0 == "rendered" })
        #expect(computations.value == 1)
        #expect(try store.get("page") == "rendered")
        #expect(store.execute(["TTL", "page"]) == .integer(60))
    }

    struct RenderFailed: Error, Equatable {}

    /// An error reaches every caller that joined, and nothing is stored.
    @Test func anErrorReachesEveryWaiterAndCachesNothing() async throws {
        let store = LuaStore()
        let gate = Gate()
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        _ = try await store.getOrSet("k") {
                            await gate.wait()
                            throw RenderFailed()
                        }
                        return false
                    } catch {
                        return error is RenderFailed
                    }
                }
            }
            while store.core.flights.inFlight == 0 { await Task.yield() }
            gate.open()
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.allSatisfy { $0 })
        #expect(try store.get("k") == nil)
        #expect(try await store.getOrSet("k") { "second" } == "second")
    }

    /// A cancelled caller stops waiting; the computation goes on and its value is stored.
    @Test func cancellingOneCallerLeavesTheOthers() async throws {
        let store = LuaStore()
        let gate = Gate()
        let first = Task { try await store.getOrSet("k") { await gate.wait(); return "v" } }
        while store.core.flights.inFlight == 0 { await Task.yield() }
        let second = Task { try await store.getOrSet("k") { Issue.record("computed twice"); return "w" } }
        first.cancel()
        await #expect(throws: CancellationError.self) { try await first.value }
        gate.open()
        #expect(try await second.value == "v")
        #expect(try store.get("k") == "v")
    }

    @Test func theTTLRunsOnTheStoreClock() async throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        #expect(try await store.getOrSet("k", ttl: .seconds(10)) { "one" } == "one")
        clock.advance(by: .seconds(9))
        #expect(try await store.getOrSet("k", ttl: .seconds(10)) { "two" } == "one")
        clock.advance(by: .seconds(1))
        #expect(try await store.getOrSet("k", ttl: .seconds(10)) { "two" } == "two")
    }

    @Test func stickyValuesAreStoredSticky() async throws {
        let store = LuaStore()
        _ = try await store.getOrSet("k", stick: true) { "v" }
        #expect(store.execute(["STICK", "k"]) == .integer(0))   // already sticky
        _ = try await store.getOrSet("j") { "v" }
        #expect(store.execute(["STICK", "j"]) == .integer(1))
    }

    @Test func anotherTypeIsWrongType() async throws {
        let store = LuaStore()
        try store.rpush("list", ["a"])
        await #expect(throws: StoreError.wrongType) { try await store.getOrSet("list") { "v" } }
    }
}
