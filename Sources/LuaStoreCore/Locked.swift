#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a pthread mutex, reachable only inside ``withLock(_:)``.
///
/// LuaStore uses this rather than `Synchronization.Mutex` because, on Linux, `Mutex` is
/// built on futex calls inside the uninstrumented Swift runtime: Thread Sanitizer cannot
/// see it synchronise and reports every access under it as a data race, which would make
/// our stress tests under `--sanitize=thread` useless. TSan intercepts pthread mutexes.
///
/// # Safety
/// The mutex is a block of its own (``makeAdaptiveMutex()``) that never moves, as a
/// pthread mutex must not, and is destroyed in `deinit`, when no thread can hold it.
///
/// # Thread safety
/// Thread-safe: the value is only touched with the mutex held (hence `@unchecked Sendable`).
@usableFromInline package final class Locked<State>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let state: UnsafeMutablePointer<State>

    @usableFromInline package init(_ initial: State) {
        mutex = makeAdaptiveMutex()
        state = .allocate(capacity: 1)
        state.initialize(to: initial)
    }

    deinit {
        destroyAdaptiveMutex(mutex)
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inlinable @inline(__always)
    package func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        lock()
        defer { unlock() }
        return try body(&pointer.pointee)
    }

    @usableFromInline var pointer: UnsafeMutablePointer<State> { state }
    @usableFromInline func lock() { pthread_mutex_lock(mutex) }
    @usableFromInline func unlock() { pthread_mutex_unlock(mutex) }
}
