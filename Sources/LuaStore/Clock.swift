import LuaStoreCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store's notion of "now", in Unix milliseconds, and of waiting for a time: TTLs,
/// active expiry and the timeouts of blocking pops all follow it (script time limits,
/// which protect the CPU, stay on the wall clock). Expiry reads it only for keys that
/// have a deadline, so the cost of a clock read is paid only where TTLs are in use.
///
/// # Thread safety
/// Implementations must be safe to call from any thread.
public protocol StoreClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64
    /// Microseconds since the Unix epoch (TIME). Defaults to the milliseconds x 1000.
    func nowMicroseconds() -> Int64
    /// Suspends until the clock reads `deadline` (Unix ms) or later.
    /// - Throws: `CancellationError` if the task is cancelled first.
    ///
    /// The default sleeps on the system's continuous clock for the time remaining and
    /// reads this clock again when it wakes.
    func sleep(untilMilliseconds deadline: Int64) async throws
}

extension StoreClock {
    public func nowMicroseconds() -> Int64 { nowMilliseconds() * 1000 }

    public func sleep(untilMilliseconds deadline: Int64) async throws {
        while true {
            let remaining = deadline - nowMilliseconds()
            if remaining <= 0 { return }
            try await Task.sleep(for: .milliseconds(remaining))
        }
    }
}

/// Wall-clock time (`CLOCK_REALTIME`), as redis-server uses for TTLs.
///
/// # Thread safety
/// Stateless: safe from any thread.
public struct SystemClock: StoreClock {
    public init() {}

    @inlinable
    public func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func nowMicroseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}

/// A clock that moves only when a test says so: keys expire and blocking pops time out
/// deterministically, with no sleeping.
///
/// ```swift
/// let clock = ManualClock()
/// let store = LuaStore(configuration: .init(clock: clock))
/// try store.set("session", "x", ttl: .seconds(10))
/// clock.advance(by: .seconds(10))
/// try store.get("session") // nil
/// ```
///
/// A blocking pop's timeout is a sleep on the store's clock: ``advance(by:)`` past it ends
/// the wait. ``waitForSleepers(_:)`` tells a test when a waiter has registered its
/// deadline, so the test advances the clock only then:
///
/// ```swift
/// let clock = ManualClock()
/// let store = LuaStore(configuration: .init(clock: clock))
/// async let popped = store.blpop(["jobs"], timeout: .seconds(5))
/// await clock.waitForSleepers(1)
/// clock.advance(by: .seconds(5))
/// #expect(try await popped == nil)
/// ```
///
/// # Thread safety
/// Thread-safe: the time is an atomic; sleepers are behind a mutex.
public final class ManualClock: StoreClock {
    private let now: Atomic<Int64>
    private let sleepers = Locked(Sleepers())

    private struct Sleepers {
        var nextID = 0
        var waiting: [(id: Int, deadline: Int64, continuation: CheckedContinuation<Void, any Error>)] = []
        /// Callers of ``waitForSleepers(_:)`` and the count each waits for.
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// A clock starting at `milliseconds` since the epoch (default: 2026-01-01T00:00:00Z).
    public init(milliseconds: Int64 = 1_767_225_600_000) {
        now = Atomic(milliseconds)
    }

    public func nowMilliseconds() -> Int64 { now.load(ordering: .acquiring) }

    /// Moves time forward (or backward, with a negative duration); ends the sleeps it
    /// reaches.
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        now.add(ms, ordering: .acquiringAndReleasing)
        wakeDue()
    }

    /// Sets the time; ends the sleeps it reaches.
    public func set(milliseconds: Int64) {
        now.store(milliseconds, ordering: .releasing)
        wakeDue()
    }

    /// How many callers are sleeping on this clock (blocking pops waiting for their
    /// timeout, among others).
    public var sleeperCount: Int { sleepers.withLock { $0.waiting.count } }

    /// Returns once at least `count` callers are sleeping on this clock.
    public func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = sleepers.withLock { state in
                if state.waiting.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Suspends until ``advance(by:)`` or ``set(milliseconds:)`` reaches `deadline`.
    public func sleep(untilMilliseconds deadline: Int64) async throws {
        let id = sleepers.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case due, cancelled, waiting([CheckedContinuation<Void, Never>]) }
                // Under the lock, so an advance cannot slip between the check and the
                // registration.
                let outcome: Outcome = sleepers.withLock { state in
                    if Task.isCancelled { return .cancelled }
                    if deadline <= now.load(ordering: .acquiring) { return .due }
                    state.waiting.append((id, deadline, continuation))
                    let count = state.waiting.count
                    let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
                    state.watchers.removeAll { $0.count <= count }
                    return .waiting(ready)
                }
                switch outcome {
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting(let watchers): for watcher in watchers { watcher.resume() }
                }
            }
        } onCancel: {
            let cancelled = sleepers.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let i = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: i).continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }

    private func wakeDue() {
        let due = sleepers.withLock { state -> [CheckedContinuation<Void, any Error>] in
            let time = now.load(ordering: .acquiring)
            let due = state.waiting.filter { $0.deadline <= time }.map(\.continuation)
            state.waiting.removeAll { $0.deadline <= time }
            return due
        }
        for continuation in due { continuation.resume() }
    }
}
