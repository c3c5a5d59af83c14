#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where callers blocked by another holder's key lock sleep until a lock in the shard is
/// released. Only the slow path comes here: a caller that finds its keys free never
/// touches it.
///
/// Lost wake-ups are ruled out by a generation number: a waiter notes the shard's release
/// generation while it still holds the shard mutex, and sleeps only while the published
/// generation has not passed it.
///
/// # Safety
/// The pthread mutex and condition variable live in blocks of their own, allocated and
/// initialized in `init`, destroyed and freed in `deinit`, so they never move (pthread
/// objects must not) and nothing waits on them after they are destroyed: a waiter is a
/// caller of the shard, which holds its parking place.
///
/// # Thread safety
/// Thread-safe: `generation` is guarded by the pthread mutex; the pthread objects are
/// heap-allocated once and never move (hence `@unchecked Sendable`).
final class Parking: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var generation: UInt64 = 0

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

    /// Publishes release number `released` and wakes every waiter.
    func publish(_ released: UInt64) {
        pthread_mutex_lock(mutex)
        if released > generation { generation = released }
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Sleeps until a release after `seen` has been published.
    func wait(after seen: UInt64) {
        pthread_mutex_lock(mutex)
        while generation <= seen {
            pthread_cond_wait(condition, mutex)
        }
        pthread_mutex_unlock(mutex)
    }
}
