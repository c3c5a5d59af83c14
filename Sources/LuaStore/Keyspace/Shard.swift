import LuaStoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One shard of the keyspace: its state behind its own mutex, and the parking place of
/// callers waiting for key locks in it.
///
/// ## Why a spin lock and not `Synchronization.Mutex`
/// On Linux, `Mutex` is built on raw futex calls inside the (uninstrumented) Swift
/// runtime, so Thread Sanitizer cannot see it synchronise and reports every access under
/// it as a race (a five-line `Mutex<[Int]>` program shows it). Our stress tests must pass
/// under TSan to prove the locking. A pthread mutex, which TSan intercepts, costs calls
/// and bookkeeping on every operation; a ``SpinLock``, whose atomics TSan sees, costs one
/// inlined compare-and-swap to lock and one store to unlock. Two threads that meet on a
/// shard spin for the few hundred nanoseconds an operation takes instead of sleeping in
/// the kernel, which is what lets two threads on disjoint keys scale. Plain `lock()` /
/// `unlock()` calls let a multi-key operation hold several shards.
///
/// The spin lock sits inside a ``ReadBiasedLock``: GET reads a read-biased shard without
/// writing the lock's line (``Keyspace/readKey(_:owner:shared:locked:)``), and every
/// exclusive `lock()` revokes that bias first.
///
/// # Safety
/// `state` and `hint` are blocks of their own (cache-line aligned), allocated, bound and
/// initialized in `init` and deinitialized and freed in `deinit`; nothing else frees
/// them. The keyspace keeps copies of the two pointers, and holds the shard for as long
/// as it uses them. `state` is accessed as `inout` only under the lock, so no two
/// accesses overlap without the lock ordering them.
///
/// # Thread safety
/// Thread-safe: `state` is written only between `lock()` and `unlock()` (the `with...`
/// methods), and read without the spin lock only by shared holders of the biased lock,
/// hence `@unchecked Sendable`. The mutex is held for one operation (hundreds
/// of nanoseconds); longer exclusion (transactions, atomic scripts) uses key locks
/// recorded in the state.
final class Shard: @unchecked Sendable {
    let index: Int
    private let mutex: ReadBiasedLock
    /// Behind a pointer rather than a stored property: a class's `var` pays Swift's dynamic
    /// exclusivity check on every `inout` access, and the mutex already guarantees it.
    private let state: UnsafeMutablePointer<ShardState>
    /// The table's address for lock-free prefetching (``TableHint``).
    let hint: UnsafeMutablePointer<TableHint>
    let parking = Parking()

    init(index: Int, clock: any StoreClock, expiry: ActiveExpiry? = nil) {
        self.index = index
        // On cache lines of its own, as the mutex: neighbouring shards' states are written
        // by other threads.
        let bytes = (MemoryLayout<ShardState>.size + cacheIsolatedBytes - 1) / cacheIsolatedBytes * cacheIsolatedBytes
        state = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: cacheIsolatedBytes)
            .bindMemory(to: ShardState.self, capacity: 1)
        // On a line of its own too: read by every operation on the shard, written only
        // when its table is rebuilt.
        hint = UnsafeMutableRawPointer.allocate(byteCount: cacheIsolatedBytes, alignment: cacheIsolatedBytes)
            .bindMemory(to: TableHint.self, capacity: 1)
        hint.initialize(to: TableHint())
        state.initialize(to: ShardState(clock: clock, hint: UnsafePointer(hint), expiry: expiry))
        mutex = ReadBiasedLock.make()
    }

    deinit {
        mutex.destroy()
        state.deinitialize(count: 1)
        UnsafeMutableRawPointer(state).deallocate()
        hint.deinitialize(count: 1)
        UnsafeMutableRawPointer(hint).deallocate()
    }

    @inline(__always) func lock() { mutex.lock() }
    @inline(__always) func unlock() { mutex.unlock() }

    /// The lock, for the keyspace's single-key fast path.
    var shardLock: ReadBiasedLock { mutex }

    /// The state, for a caller that holds the lock (multi-shard operations).
    @inline(__always)
    var lockedState: UnsafeMutablePointer<ShardState> { state }

    /// Runs `body` on the state of a shard whose lock the caller already holds
    /// (a multi-shard operation that took its locks in index order).
    @inline(__always)
    func withLockedState<R>(_ body: (inout ShardState) -> R) -> R {
        body(&state.pointee)
    }

    /// Runs `body` under the mutex with no key-lock check (whole-shard maintenance).
    @inline(__always)
    func withState<R, E: Error>(_ body: (inout ShardState) throws(E) -> R) throws(E) -> R {
        lock()
        defer {
            let events = state.pointee.events.take()
            unlock()
            events?.publish()
        }
        return try body(&state.pointee)
    }

    /// Releases `entries` (keys of this shard) held by `owner`, waking waiters.
    func release(_ entries: ArraySlice<HeldLocks.Entry>, owner: Owner) {
        let generation = withState { s -> UInt64 in
            for entry in entries where s.locks.release(entry.key, owner) {
                s.delete(entry.key, hash: entry.hash)
            }
            s.releaseGeneration &+= 1
            return s.releaseGeneration
        }
        parking.publish(generation)
    }

    /// Releases the whole-shard lock if `owner` holds it, waking waiters.
    func release(wholeShardOf owner: Owner) {
        let generation = withState { s -> UInt64 in
            if s.locks.wholeShardOwner == owner.id {
                s.locks.wholeShardOwner = 0
                if s.locks.flushOnWholeShardRelease {
                    s.locks.flushOnWholeShardRelease = false
                    s.flush(by: .none)
                }
            }
            s.releaseGeneration &+= 1
            return s.releaseGeneration
        }
        parking.publish(generation)
    }
}
