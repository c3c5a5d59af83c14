import LuaStoreCore
import Synchronization

/// The waiters of the typed API's blocking pops (BLPOP, BLMOVE, BZPOPMIN, ...) and the
/// wake-ups that pushes send them.
///
/// ## Protocol
/// A blocking pop registers its waiter on all of its keys *before* its first try, so a
/// push either happens before the try (which sees the element) or signals the registered
/// waiter: no wake-up is lost in between. Each key has a FIFO queue of waiters, as Redis
/// keeps its blocked clients; a signal goes to the head of the key's queue only: it marks
/// the head and resumes it if it is suspended (a head that is running its try finds the
/// mark at its next wait, which then returns at once).
///
/// A woken waiter retries its pop. On success it leaves every queue and passes the signal
/// on to its keys (the push may have brought more than one element, or signals meant for
/// other waiters may have been absorbed while it was head); on failure (another caller took
/// the element) it waits again, still at its place in the queues. A waiter that leaves by
/// timeout or cancellation while marked passes its mark on the same way. So waiters are
/// served in arrival order, and an element that arrives is never left unclaimed while
/// someone waits for it.
///
/// ## Cost when nobody waits
/// ``Keyspace/signalKeyReady(_:)`` first loads an atomic count of registered waiters and
/// returns when it is zero: one atomic load per push. A waiter increments the count before
/// the try that precedes its first wait, and that try takes the shard mutex, so a push
/// that follows the try in the shard's order sees the count.
///
/// # Thread safety
/// Thread-safe: the queues and every waiter's state are only touched under `queues`'
/// lock; the count is atomic.
final class KeyReadiness: Sendable {
    private let registered = Atomic<Int>(0)
    private let queues = Locked<[ByteString: [KeyWaiter]]>([:])

    init() {}

    /// How many blocking pops are registered, on all keys together.
    @inline(__always)
    var waiterCount: Int { registered.load(ordering: .acquiring) }

    /// Queues a new waiter on each of `keys` (a key named twice is queued once).
    func register(_ keys: [ByteString]) -> KeyWaiter {
        var unique: [ByteString] = []
        for key in keys where !unique.contains(key) { unique.append(key) }
        let waiter = KeyWaiter(keys: unique)
        queues.withLock { queues in
            for key in unique { queues[key, default: []].append(waiter) }
            registered.add(1, ordering: .releasing)
        }
        return waiter
    }

    /// Removes `waiter` from its queues. When it got an element (`served`) or was woken
    /// and never retried, its keys are signalled so the next waiters get their turn.
    func unregister(_ waiter: KeyWaiter, served: Bool) {
        let passOn: Bool = queues.withLock { queues in
            for key in waiter.keys {
                queues[key]?.removeAll { $0 === waiter }
                if queues[key]?.isEmpty == true { queues[key] = nil }
            }
            registered.subtract(1, ordering: .releasing)
            return served || waiter.marked
        }
        if passOn {
            for key in waiter.keys { signal(key) }
        }
    }

    /// Wakes the first waiter of `key`'s queue (see the protocol above).
    func signal(_ key: ByteString) {
        let resume: CheckedContinuation<Void, Never>? = queues.withLock { queues in
            guard let head = queues[key]?.first else { return nil }
            head.marked = true
            defer { head.continuation = nil }
            return head.continuation
        }
        resume?.resume()
    }

    /// Clears `waiter`'s mark before a try: the try will see whatever the signals announced.
    func beginTry(_ waiter: KeyWaiter) {
        queues.withLock { _ in waiter.marked = false }
    }

    /// Suspends until `waiter` is signalled or interrupted (timeout, cancellation); returns
    /// at once if that already happened since its last ``beginTry(_:)``. Returns whether it
    /// was interrupted.
    func wait(_ waiter: KeyWaiter) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now: Bool = queues.withLock { _ in
                if waiter.marked || waiter.interrupted { return true }
                waiter.continuation = continuation
                return false
            }
            if now { continuation.resume() }
        }
        return queues.withLock { _ in waiter.interrupted }
    }

    /// Ends `waiter`'s current and future waits (its timeout passed, or its task was
    /// cancelled).
    func interrupt(_ waiter: KeyWaiter) {
        let resume: CheckedContinuation<Void, Never>? = queues.withLock { _ in
            waiter.interrupted = true
            defer { waiter.continuation = nil }
            return waiter.continuation
        }
        resume?.resume()
    }
}

/// One blocked caller: its keys and its wake-up state.
///
/// # Thread safety
/// Its mutable state is only touched under the owning ``KeyReadiness``'s lock (hence
/// `@unchecked Sendable`).
final class KeyWaiter: @unchecked Sendable {
    let keys: [ByteString]
    /// Signalled since its last try: its next wait returns at once, and if it leaves
    /// without trying again it passes the signal on.
    var marked = false
    /// Timed out or cancelled: every wait returns at once.
    var interrupted = false
    /// Set while suspended in ``KeyReadiness/wait(_:)``.
    var continuation: CheckedContinuation<Void, Never>?

    init(keys: [ByteString]) { self.keys = keys }
}

extension Keyspace {
    /// Tells callers blocked on `key` (BLPOP, BZPOPMIN, ...) that it may now have data.
    /// Write operations that add elements to a list or sorted set call it after they
    /// have released the shard lock. Costs one atomic load when nobody waits.
    @inline(__always)
    func signalKeyReady(_ key: ByteString) {
        guard readiness.waiterCount != 0 else { return }
        readiness.signal(key)
    }

    /// The blocking pops' loop: runs `tryPop` until it returns a value, the `timeout`
    /// passes (`.zero`: wait forever) or the task is cancelled. Never blocks a thread: it
    /// suspends between tries and is woken by ``signalKeyReady(_:)``, and a try that finds
    /// a key held by a script or transaction suspends until its release (``attempt(_:)``;
    /// the timeout ends the wait once that try has run).
    ///
    /// - Returns: what `tryPop` returned, or nil on timeout.
    /// - Throws: `CancellationError` when the task is cancelled (nothing is consumed), or
    ///   what `tryPop` throws (WRONGTYPE...).
    func blockingPop<T>(
        _ keys: [ByteString], timeout: Duration, _ tryPop: () throws(StoreError) -> T?
    ) async throws -> T? {
        if Task.isCancelled { throw CancellationError() }
        if let value = try await attempt(tryPop) { return value }
        let waiter = readiness.register(keys)
        var served = false
        defer { readiness.unregister(waiter, served: served) }
        // The timeout is a sleep on the store's clock (a ManualClock's advance ends it).
        let (seconds, attoseconds) = timeout.components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let start = clock.nowMilliseconds()
        let deadline = overflow || ms > Int64.max / 2 - start
            ? Int64.max : start + ms + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        let timer: Task<Void, Never>? = timeout > .zero ? Task { [readiness, clock] in
            do {
                try await clock.sleep(untilMilliseconds: deadline)
                readiness.interrupt(waiter)
            } catch {}
        } : nil
        defer { timer?.cancel() }
        return try await withTaskCancellationHandler { () async throws -> T? in
            while true {
                readiness.beginTry(waiter)
                if let value = try await attempt(tryPop) {
                    served = true
                    return value
                }
                let interrupted = await readiness.wait(waiter)
                if Task.isCancelled { throw CancellationError() }
                if interrupted {
                    // The timeout passed: one last try, so an element that arrived with
                    // the deadline is not left behind.
                    let value = try await attempt(tryPop)
                    served = value != nil
                    return value
                }
            }
        } onCancel: { [readiness] in
            readiness.interrupt(waiter)
        }
    }
}
