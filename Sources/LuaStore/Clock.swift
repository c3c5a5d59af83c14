import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store's notion of "now", in Unix milliseconds. Expiry reads it only for keys that
/// have a deadline, so the cost of a clock read is paid only where TTLs are in use.
///
/// # Thread safety
/// Implementations must be safe to call from any thread.
public protocol StoreClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64
    /// Microseconds since the Unix epoch (TIME). Defaults to the milliseconds x 1000.
    func nowMicroseconds() -> Int64
}

extension StoreClock {
    public func nowMicroseconds() -> Int64 { nowMilliseconds() * 1000 }
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

/// A clock that moves only when a test says so: keys expire deterministically, with no
/// sleeping.
///
/// ```swift
/// let clock = ManualClock()
/// let store = LuaStore(configuration: .init(clock: clock))
/// store.set("session", "x", expiration: .seconds(10))
/// clock.advance(by: .seconds(10))
/// store.get("session") // nil
/// ```
///
/// # Thread safety
/// Thread-safe: the time is an atomic.
public final class ManualClock: StoreClock {
    private let now: Atomic<Int64>

    /// A clock starting at `milliseconds` since the epoch (default: 2026-01-01T00:00:00Z).
    public init(milliseconds: Int64 = 1_767_225_600_000) {
        now = Atomic(milliseconds)
    }

    public func nowMilliseconds() -> Int64 { now.load(ordering: .acquiring) }

    /// Moves time forward (or backward, with a negative duration).
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        now.add(ms, ordering: .acquiringAndReleasing)
    }

    /// Sets the time.
    public func set(milliseconds: Int64) {
        now.store(milliseconds, ordering: .releasing)
    }
}
