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
/// Large frees: FLUSHALL/FLUSHDB of a shard holding at least ``threshold`` keys, and a
/// key table shrinking from at least ``threshold`` positions (mass DEL, expiry).
///
/// # Thread safety
/// Thread-safe: the queued flag is atomic.
enum MemoryRelease {
    /// The key count (or table size) whose freeing is worth a trim: about 1.5 MB of
    /// table entries, more with values.
    static let threshold = 1 << 15

    private static let queued = Atomic<Bool>(false)
    private static let completed = Atomic<Int>(0)

    /// Trims requested and run so far (for tests).
    static var trims: Int { completed.load(ordering: .acquiring) }

    /// Queues a trim unless one is already queued. Cheap enough to call under a lock.
    static func request() {
        guard !queued.exchange(true, ordering: .acquiringAndReleasing) else { return }
        DispatchQueue.global(qos: .utility).async {
            queued.store(false, ordering: .releasing)
            luastore_release_free_memory()
            completed.add(1, ordering: .releasing)
        }
    }
}
