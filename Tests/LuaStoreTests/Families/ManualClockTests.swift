import Testing
@testable import LuaStore

/// ManualClock's sleeps: the one clock for TTLs, active expiry and blocking timeouts.
@Suite(.timeLimit(.minutes(1))) struct ManualClockTests {
    @Test func aSleepEndsWhenTheClockReachesItsDeadline() async throws {
        let clock = ManualClock(milliseconds: 1_000)
        let sleeper = Task { try await clock.sleep(untilMilliseconds: 5_000) }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(3))
        #expect(clock.sleeperCount == 1)
        clock.set(milliseconds: 5_000)
        try await sleeper.value
        #expect(clock.sleeperCount == 0)
    }

    @Test func aDeadlineAlreadyPassedReturnsAtOnce() async throws {
        let clock = ManualClock(milliseconds: 1_000)
        try await clock.sleep(untilMilliseconds: 1_000)
        try await clock.sleep(untilMilliseconds: 0)
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellationEndsASleepWithCancellationError() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(untilMilliseconds: .max) }
        await clock.waitForSleepers(1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    /// Sleepers wake in any number, each at its own deadline.
    @Test func manySleepersWakeAtTheirDeadlines() async throws {
        let clock = ManualClock(milliseconds: 0)
        let sleepers = (1...20).map { i in Task { try await clock.sleep(untilMilliseconds: Int64(i) * 10) } }
        await clock.waitForSleepers(20)
        clock.advance(by: .milliseconds(100))
        #expect(clock.sleeperCount == 10)
        for sleeper in sleepers.prefix(10) { try await sleeper.value }
        clock.advance(by: .milliseconds(100))
        for sleeper in sleepers { try await sleeper.value }
    }
}
