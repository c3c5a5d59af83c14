import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shard lock: a ``SpinLock`` for writers, and a read path that does not write the
/// lock's cache line while the lock is *read-biased* (BRAVO, Dice and Kogan, USENIX ATC
/// 2019).
///
/// ## Why
/// Taking a lock writes its cache line. When two threads on different cores read keys of
/// the same shard one after the other, each acquisition first pulls the line from the
/// other core (50 to 250 ns on this project's VM, `Benchmarks/tools/pingpong.c`), about
/// as long as the key's own cache miss, and half of all acquisitions are such (the
/// previous operation on the shard came from the other thread). Readers of a biased lock
/// write only their own slot in ``VisibleReaders`` instead, so two reading threads share
/// no written line at all.
///
/// ## Protocol
/// - A reader (``tryLockShared()``) reads the bias flag; if it is set, the reader writes
///   the lock's tag into its thread's slot and reads the flag again; if it is still set
///   the reader is inside, else it empties the slot. A reader that is not inside takes the
///   exclusive lock (the slow path).
/// - A writer (``lock()``) takes the spin lock; if the flag is set it clears it
///   (*revocation*) and waits until no slot holds the tag. Flag and slots are
///   sequentially consistent, so a reader either sees the cleared flag or is seen by the
///   writer's scan (the store-then-load pattern of Dekker's algorithm).
/// - The flag is set again only by a reader that took the slow path, in
///   ``unlockAfterRead()``, once the lock has been unbiased for 32 times as long as the
///   last revocation took, and at least 1 ms. Revocation therefore costs writers a bounded
///   share of their time under a mix of reads and writes (3% at most, and in practice one
///   revocation per millisecond per shard), and pure writes never revoke after the first
///   time.
/// All writes to the flag happen under the spin lock, so a writer reads it relaxed.
///
/// A shared holder must not take any lock, and must not mutate what the lock protects.
///
/// # Safety
/// A value holding the address of its block: copies share it, so the creator calls
/// ``destroy()`` once, after the last use of any copy (a ``Shard`` does so in its `deinit`,
/// and the keyspace's copies die with the shards). The tag readers publish in their slots
/// is the block's address as an integer: compared, never dereferenced.
///
/// # Thread safety
/// Thread-safe. Its memory (one 256-byte block) is freed by ``destroy()``.
@usableFromInline package struct ReadBiasedLock: @unchecked Sendable {
    /// Lock line (bytes 0..<128): the spin lock's word, then the bookkeeping below, all
    /// written only under the spin lock. Bias line (128..<256): the flag, read by every
    /// reader and written only on revocation and re-biasing.
    @usableFromInline let block: UnsafeMutableRawPointer
    @usableFromInline let mutex: SpinLock
    /// ``VisibleReaders/shared``: a pointer, not an object, since a class reference here
    /// would be retained and released by every copy of the lock, writing the object's
    /// reference count from every core.
    @usableFromInline let readers: VisibleReaders

    private static let inhibitOffset = 8, checkOffset = 16, minimumInhibitOffset = 24
    @usableFromInline static let biasOffset = cacheIsolatedBytes
    /// Unbiased for at least this long (ns) after a revocation, by default.
    @usableFromInline package static let defaultMinimumInhibit: UInt64 = 1_000_000
    /// ... and at least this many times as long as the revocation took.
    static let inhibitFactor: UInt64 = 32
    /// Slow-path reads between two looks at the clock.
    static let readsPerCheck = 32

    /// A new, unlocked, unbiased lock, unbiased for at least `minimumInhibit` nanoseconds
    /// after each revocation (tests shorten it).
    @usableFromInline package static func make(minimumInhibit: UInt64 = defaultMinimumInhibit) -> ReadBiasedLock {
        let block = UnsafeMutableRawPointer.allocate(byteCount: 2 * cacheIsolatedBytes, alignment: cacheIsolatedBytes)
        block.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * cacheIsolatedBytes)
        let word = block.bindMemory(to: Atomic<UInt32>.self, capacity: 1)
        word.initialize(to: Atomic(0))
        (block + biasOffset).bindMemory(to: Atomic<Bool>.self, capacity: 1).initialize(to: Atomic(false))
        (block + inhibitOffset).storeBytes(of: UInt64(0), as: UInt64.self)
        (block + checkOffset).storeBytes(of: 0, as: Int.self)
        (block + minimumInhibitOffset).storeBytes(of: minimumInhibit, as: UInt64.self)
        return ReadBiasedLock(block: block, mutex: SpinLock(word: word), readers: .shared)
    }

    @usableFromInline init(block: UnsafeMutableRawPointer, mutex: SpinLock, readers: VisibleReaders) {
        self.block = block
        self.mutex = mutex
        self.readers = readers
    }

    /// Frees the lock, which must be unlocked and no longer used.
    @usableFromInline package func destroy() {
        block.deallocate()
    }

    @inlinable @inline(__always)
    var bias: UnsafeMutablePointer<Atomic<Bool>> {
        (block + ReadBiasedLock.biasOffset).assumingMemoryBound(to: Atomic<Bool>.self)
    }

    /// The tag readers write into their slot: the block's address.
    @inlinable @inline(__always)
    var tag: UInt { UInt(bitPattern: block) }

    // MARK: Exclusive

    /// Takes the lock for reading and writing, revoking the read bias if it is set.
    @inlinable @inline(__always)
    package func lock() {
        mutex.lock()
        if bias.pointee.load(ordering: .relaxed) { revokeBias() }
    }

    @inlinable @inline(__always)
    package func unlock() {
        mutex.unlock()
    }

    /// Takes the spin lock for a reader that ``tryLockShared()`` turned away, unless the
    /// lock is read-biased by now: then it returns false without holding anything, and
    /// the reader should try the shared path again. Revoking here would undo the bias
    /// that the holder this reader waited for has just set.
    @inlinable
    package func lockUnlessBiased() -> Bool {
        mutex.lock()
        if !bias.pointee.load(ordering: .relaxed) { return true }
        mutex.unlock()
        return false
    }

    /// ``unlock()`` for a reader that took the exclusive path: sets the read bias again
    /// when the inhibition since the last revocation has passed.
    @inlinable @inline(__always)
    package func unlockAfterRead() {
        if !bias.pointee.load(ordering: .relaxed) { considerBias() }
        mutex.unlock()
    }

    @usableFromInline @inline(never)
    func revokeBias() {
        let start = ReadBiasedLock.now()
        bias.pointee.store(false, ordering: .sequentiallyConsistent)
        readers.waitUntilEmpty(of: tag)
        let took = ReadBiasedLock.now() &- start
        (block + ReadBiasedLock.inhibitOffset).storeBytes(
            of: ReadBiasedLock.now() &+ max(
                (block + ReadBiasedLock.minimumInhibitOffset).load(as: UInt64.self), took &* ReadBiasedLock.inhibitFactor),
            as: UInt64.self)
        (block + ReadBiasedLock.checkOffset).storeBytes(of: ReadBiasedLock.readsPerCheck, as: Int.self)
    }

    @usableFromInline
    func considerBias() {
        let left = (block + ReadBiasedLock.checkOffset).load(as: Int.self) - 1
        guard left <= 0 else {
            (block + ReadBiasedLock.checkOffset).storeBytes(of: left, as: Int.self)
            return
        }
        (block + ReadBiasedLock.checkOffset).storeBytes(of: ReadBiasedLock.readsPerCheck, as: Int.self)
        if ReadBiasedLock.now() >= (block + ReadBiasedLock.inhibitOffset).load(as: UInt64.self) {
            // Last in the critical section: the release orders everything it wrote before
            // any biased reader's reads.
            bias.pointee.store(true, ordering: .sequentiallyConsistent)
        }
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    // MARK: Shared

    /// Enters for reading without writing the lock's line, if the lock is read-biased and
    /// the calling thread's slot is free; returns the token for ``unlockShared(_:)``. Nil:
    /// take ``lock()`` instead.
    @inlinable @inline(__always)
    package func tryLockShared() -> Int? {
        // An unbiased lock costs its readers one load of a line nobody writes, not a
        // compare-and-swap on their slot.
        guard bias.pointee.load(ordering: .relaxed) else { return nil }
        guard let slot = readers.enter(tag) else { return nil }
        if bias.pointee.load(ordering: .sequentiallyConsistent) { return slot }
        readers.leave(slot)
        return nil
    }

    @inlinable @inline(__always)
    package func unlockShared(_ token: Int) {
        readers.leave(token)
    }

    /// Whether readers currently skip the lock's line, for tests.
    @usableFromInline package var _isReadBiased: Bool { bias.pointee.load(ordering: .sequentiallyConsistent) }

    /// How many readers are inside without the spin lock, for tests.
    @usableFromInline package var _sharedHolders: Int { readers._count(of: tag) }
}
