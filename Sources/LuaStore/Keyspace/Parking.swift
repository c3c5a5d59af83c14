import LuaStoreScripting
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where callers blocked by another holder's key lock wait until a lock in the shard is
/// released. Only the slow path comes here: a caller that finds its keys free never
/// touches it. Threads sleep on a condition variable (``wait(after:)``); tasks of the
/// async view suspend on a continuation queued here (``suspend(after:)``), so they hold
/// no thread while they wait.
///
/// Lost wake-ups are ruled out by a generation number: a waiter notes the shard's release
/// generation while it still holds the shard mutex, and waits only while the published
/// generation has not passed it.
///
/// # Safety
/// The pthread mutex and condition variable live in blocks of their own, allocated and
/// initialized in `init`, destroyed and freed in `deinit`, so they never move (pthread
/// objects must not) and nothing waits on them after they are destroyed: a waiter is a
/// caller of the shard, which holds its parking place.
///
/// # Thread safety
/// Thread-safe: `generation` and the suspended tasks are guarded by the pthread mutex;
/// the pthread objects are heap-allocated once and never move (hence
/// `@unchecked Sendable`).
final class Parking: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var generation: UInt64 = 0
    /// Tasks suspended in ``suspend(after:)``, all waiting for the next release.
    private var suspended: [SuspendedTask] = []
    /// Threads asleep in ``wait(after:)`` and ``wait(after:unless:)``.
    private var sleepingThreads = 0

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Publishes release number `released` and wakes every waiter, threads and tasks.
    func publish(_ released: UInt64) {
        pthread_mutex_lock(mutex)
        if released > generation { generation = released }
        pthread_cond_broadcast(condition)
        var resumed: [SuspendedTask] = []
        if !suspended.isEmpty {
            // Every suspended task saw a generation below this one (it checked under the
            // mutex before queueing), so all of them wake.
            swap(&resumed, &suspended)
            for task in resumed { task.queued = false }
        }
        pthread_mutex_unlock(mutex)
        for task in resumed { task.continuation?.resume() }
    }

    /// How many threads sleep here (tests wait for a waiter to sleep).
    var sleepingThreadCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return sleepingThreads
    }

    /// How many tasks are suspended here (tests wait for a waiter to queue).
    var suspendedCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return suspended.count
    }

    /// Suspends the calling task until a release after `seen` has been published; returns
    /// at once if one already has.
    /// - Throws: `CancellationError` when the task is cancelled first (at once if it
    ///   already was).
    func suspend(after seen: UInt64) async throws {
        let task = SuspendedTask()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                pthread_mutex_lock(mutex)
                if task.cancelled {
                    pthread_mutex_unlock(mutex)
                    continuation.resume(throwing: CancellationError())
                } else if generation > seen {
                    pthread_mutex_unlock(mutex)
                    continuation.resume()
                } else {
                    task.continuation = continuation
                    task.queued = true
                    suspended.append(task)
                    pthread_mutex_unlock(mutex)
                }
            }
        } onCancel: {
            pthread_mutex_lock(mutex)
            task.cancelled = true
            let wasQueued = task.queued
            if wasQueued {
                task.queued = false
                suspended.removeAll { $0 === task }
            }
            pthread_mutex_unlock(mutex)
            if wasQueued { task.continuation?.resume(throwing: CancellationError()) }
        }
    }

    /// Sleeps until a release after `seen` has been published.
    func wait(after seen: UInt64) {
        pthread_mutex_lock(mutex)
        while generation <= seen {
            sleepingThreads += 1
            pthread_cond_wait(condition, mutex)
            sleepingThreads -= 1
        }
        pthread_mutex_unlock(mutex)
    }

    /// ``wait(after:)`` that also ends when `cancellation` is cancelled; false then.
    func wait(after seen: UInt64, unless cancellation: ScriptCancellation) -> Bool {
        cancellation.whileWaiting(wake: { [self] in wakeThreads() }) {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            while generation <= seen {
                if cancellation.isCancelled { return false }
                sleepingThreads += 1
                pthread_cond_wait(condition, mutex)
                sleepingThreads -= 1
            }
            return true
        }
    }

    /// Wakes the sleeping threads without a release (a cancelled one stops; the others
    /// find no new generation and sleep again).
    private func wakeThreads() {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}

/// A task suspended in ``Parking/suspend(after:)``.
///
/// # Thread safety
/// Its fields are only touched under the owning ``Parking``'s mutex, or by whoever took
/// it off the queue under that mutex (hence `@unchecked Sendable`).
private final class SuspendedTask: @unchecked Sendable {
    var continuation: CheckedContinuation<Void, any Error>?
    /// On the queue: exactly one of `publish` and the cancellation handler takes it off
    /// and resumes it.
    var queued = false
    var cancelled = false
}
