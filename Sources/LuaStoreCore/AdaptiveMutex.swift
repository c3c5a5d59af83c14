#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocates and initialises a pthread mutex that spins briefly before it sleeps.
///
/// ## Why adaptive
/// ``Locked`` guards short critical sections with this (a Lua state pool, the script
/// cache, the blocking-pop queues). With a plain mutex, a thread that finds the lock taken
/// goes straight to a futex sleep and is woken by a syscall: microseconds lost for a wait
/// that would have ended in nanoseconds. glibc's adaptive mutex spins a bounded number of
/// times first, then sleeps as a plain one does, so a preempted holder costs little.
/// Thread Sanitizer intercepts it like any pthread mutex.
///
/// Each mutex gets a 128-byte block of its own (two cache lines, since the adjacent-line
/// prefetcher pairs them): mutexes allocated one after another would otherwise share
/// lines, and two threads locking *different* mutexes would still bounce one line.
///
/// # Safety
/// The caller owns the result and releases it with ``destroyAdaptiveMutex(_:)``, once,
/// when no thread holds or waits on it; the block never moves, as a pthread mutex must not.
@usableFromInline package func makeAdaptiveMutex() -> UnsafeMutablePointer<pthread_mutex_t> {
    let mutex = UnsafeMutableRawPointer.allocate(byteCount: cacheIsolatedBytes, alignment: cacheIsolatedBytes)
        .bindMemory(to: pthread_mutex_t.self, capacity: 1)
    var attributes = pthread_mutexattr_t()
    pthread_mutexattr_init(&attributes)
    #if canImport(Glibc)
    pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
    #endif
    pthread_mutex_init(mutex, &attributes)
    pthread_mutexattr_destroy(&attributes)
    return mutex
}

/// Destroys and frees a mutex from ``makeAdaptiveMutex()``.
@usableFromInline package func destroyAdaptiveMutex(_ mutex: UnsafeMutablePointer<pthread_mutex_t>) {
    pthread_mutex_destroy(mutex)
    UnsafeMutableRawPointer(mutex).deallocate()
}

/// The alignment and granularity that keeps a hot, written block off every other block's
/// cache lines (two 64-byte lines: adjacent-line prefetch moves them in pairs).
@usableFromInline package let cacheIsolatedBytes = 128
