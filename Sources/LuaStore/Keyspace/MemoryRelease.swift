import CPUHints
import Dispatch
import Synchronization

/// Gives freed heap memory back to the system after large frees.
///
/// glibc's allocator keeps freed small blocks for reuse and returns pages to the system
/// only when asked (`malloc_trim`): a store that dropped a million keys would otherwise
/// keep most of their memory in its RSS for good. A trim walks the allocator's free
/// lists under its locks (milliseconds for a large heap), so it never runs under a shard
/// lock or on the caller's thread: a large free queues one on a utility-priority
/// Dispatch queue, and at most one is queued at a time, however many shards shrink.
///
/// Large frees: a key table that held at least ``largeTable`` keys falling to a sixteenth
/// of that, again to a sixteenth of the rest, and so on down to empty (mass DEL, expiry,
/// FLUSHALL). The last request, when the table empties, comes after the frees: a trim
/// made while a few percent of the keys remain gives back little, because the survivors
/// are scattered over every page (their blocks were allocated into the holes earlier
/// commands left). Requests within ``delay`` of each other share one trim.
///
/// # Safety
/// It touches no memory itself: it calls glibc's `malloc_trim` through a C shim
/// (`luastore_release_free_memory`, a no-op elsewhere), which takes the allocator's own
/// locks and is safe to call while other threads allocate and free.
///
/// # Thread safety
/// Thread-safe: the queued flag is atomic.
enum MemoryRelease {
    /// The key count from which a table's frees are worth a trim (about 48 KB of
    /// entries, and the keys and values beside them).
    static let largeTable = 1 << 10
    /// How long a requested trim waits, gathering the requests of a burst of frees.
    static let delay = DispatchTimeInterval.milliseconds(50)

    private static let queued = Atomic<Bool>(false)
    private static let completed = Atomic<Int>(0)

    /// Trims requested and run so far (for tests).
    static var trims: Int { completed.load(ordering: .acquiring) }

    /// Queues a trim unless one is already queued. Cheap enough to call under a lock.
    static func request() {
        guard !queued.exchange(true, ordering: .acquiringAndReleasing) else { return }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + delay) {
            queued.store(false, ordering: .releasing)
            _ = luastore_release_free_memory()
            completed.add(1, ordering: .releasing)
        }
    }
}
