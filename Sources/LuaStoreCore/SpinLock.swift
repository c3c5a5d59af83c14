import CPUHints
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shard lock: a test-and-test-and-set lock on one atomic word, for critical sections
/// of a few hundred nanoseconds (one shard operation).
///
/// ## Why not a pthread mutex
/// A shard operation on a large keyspace is one cache miss plus ~200 instructions, and an
/// adaptive pthread mutex costs ~15% of a GET: two calls through the PLT, type checks,
/// owner bookkeeping, and an atomic exchange to unlock (a full barrier on x86,
/// which also keeps the next operation's loads from starting early). Here locking is one
/// compare-and-swap, inlined, and unlocking one release store (a plain `mov` on x86).
///
/// ## Waiting
/// A thread that finds the lock taken spins on a plain load (no cache-line ping-pong)
/// with a `pause` per iteration (`luastore_cpu_relax`, CPUHints), about 128 iterations
/// or a few microseconds, which covers an operation in progress on the other core, then
/// yields its core (the holder may have been descheduled), and after that
/// sleeps 20 microseconds between attempts, so a long hold (FLUSHALL, KEYS, rebuilding a
/// big table) costs waiters little CPU. There is no queue: under heavy contention a
/// waiter can lose several rounds, which short critical sections make harmless.
///
/// Thread Sanitizer sees the acquire and release orderings of the atomic operations (they
/// are inlined into instrumented code), unlike `Synchronization.Mutex`, whose futex calls
/// live in the uninstrumented runtime.
///
/// # Safety
/// A value holding the address of its word's block: copies share the block, so the
/// creator calls ``destroy()`` once, after the last use of any copy (a ``Shard`` does so in
/// its `deinit`).
///
/// # Thread safety
/// Thread-safe. The word lives in a 128-byte block of its own (``cacheIsolatedBytes``);
/// the creator releases it with ``destroy()``.
@usableFromInline package struct SpinLock: @unchecked Sendable {
    @usableFromInline let word: UnsafeMutablePointer<Atomic<UInt32>>

    /// A new, unlocked lock.
    @usableFromInline package static func make() -> SpinLock {
        let word = UnsafeMutableRawPointer.allocate(byteCount: cacheIsolatedBytes, alignment: cacheIsolatedBytes)
            .bindMemory(to: Atomic<UInt32>.self, capacity: 1)
        word.initialize(to: Atomic(0))
        return SpinLock(word: word)
    }

    @usableFromInline init(word: UnsafeMutablePointer<Atomic<UInt32>>) { self.word = word }

    /// Frees the lock, which must be unlocked and no longer used.
    @usableFromInline package func destroy() {
        word.deinitialize(count: 1)
        UnsafeMutableRawPointer(word).deallocate()
    }

    @inlinable @inline(__always)
    package func lock() {
        if word.pointee.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged { return }
        lockContended()
    }

    @inlinable @inline(__always)
    package func unlock() {
        word.pointee.store(0, ordering: .releasing)
    }

    @usableFromInline @inline(never)
    func lockContended() {
        var backoff = Backoff()
        while true {
            if word.pointee.load(ordering: .relaxed) == 0,
               word.pointee.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
                return
            }
            backoff.wait()
        }
    }
}

/// How a thread waits for another to finish a short critical section: about 128 spins
/// with a `pause` each (a few microseconds: an operation in progress on the other core),
/// then 128 yields of its core (the other thread may have been descheduled), then 20 µs
/// sleeps, so a long wait costs little CPU.
struct Backoff {
    private var attempts = 0

    mutating func wait() {
        attempts += 1
        if attempts < 128 {
            luastore_cpu_relax()
        } else if attempts < 256 {
            sched_yield()
        } else {
            usleep(20)
        }
    }
}
