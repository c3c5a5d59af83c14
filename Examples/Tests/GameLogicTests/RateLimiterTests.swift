import GameLogic
import LuaStore
import Testing

@Suite struct RateLimiterTests {
    @Test func aFullBucketAllowsItsCapacityThenLimits() throws {
        let store = LuaStore(configuration: .init(clock: ManualClock()))
        let limiter = try RateLimiter(store: store, capacity: 3, refillPerSecond: 1)
        let decisions = try (0..<4).map { _ in try limiter.attempt(client: "alice") }
        #expect(decisions.map(\.allowed) == [true, true, true, false])
        #expect(decisions.map(\.tokensLeft) == [2, 1, 0, 0])
    }

    @Test func tokensRefillExactlyAsTheManualClockAdvances() throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        let limiter = try RateLimiter(store: store, capacity: 5, refillPerSecond: 2)
        for _ in 0..<5 { #expect(try limiter.attempt(client: "bob").allowed) }
        #expect(try !limiter.attempt(client: "bob").allowed)
        clock.advance(by: .milliseconds(499))              // 0.998 tokens: not yet one
        #expect(try !limiter.attempt(client: "bob").allowed)
        clock.advance(by: .milliseconds(1))                // now 1.0
        #expect(try limiter.attempt(client: "bob") == .init(allowed: true, tokensLeft: 0))
        clock.advance(by: .seconds(60))                    // never above capacity
        #expect(try limiter.attempt(client: "bob", cost: 0).tokensLeft == 5)
    }

    @Test func clientsHaveSeparateBuckets() throws {
        let store = LuaStore(configuration: .init(clock: ManualClock()))
        let limiter = try RateLimiter(store: store, capacity: 1, refillPerSecond: 1)
        #expect(try limiter.attempt(client: "a").allowed)
        #expect(try !limiter.attempt(client: "a").allowed)
        #expect(try limiter.attempt(client: "b").allowed)
    }

    @Test func anIdleBucketExpiresOnTheStoreClock() throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        let limiter = try RateLimiter(store: store, capacity: 2, refillPerSecond: 1)
        _ = try limiter.attempt(client: "carol")
        #expect(try store.exists("ratelimit:carol") == 1)
        clock.advance(by: .seconds(3))                     // capacity / rate + 1 s
        #expect(try store.exists("ratelimit:carol") == 0)
    }

    @Test func concurrentRequestsNeverOverspendTheBucket() async throws {
        let store = LuaStore(configuration: .init(clock: ManualClock()))
        let limiter = try RateLimiter(store: store, capacity: 50, refillPerSecond: 1)
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 { group.addTask { try limiter.attempt(client: "dave").allowed } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 50)
    }
}
