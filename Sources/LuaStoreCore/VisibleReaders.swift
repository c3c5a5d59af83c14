import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's table of readers inside a ``ReadBiasedLock`` (BRAVO's "visible readers",
/// Dice and Kogan, USENIX ATC 2019).
///
/// A reader announces itself by writing the lock's tag into the slot its thread hashes
/// to, instead of writing the lock's own word. Each slot has a cache line of its own, so
/// two threads reading under the same lock write different lines and never pass a line
/// between their cores; a writer that revokes a lock's read bias scans all slots for the
/// lock's tag. 64 slots: two threads share a slot with probability 1/64, and then one of
/// them takes the lock's slow path while the other is inside.
///
/// A value holding only the table's address, so copying it retains nothing.
///
/// # Safety
/// The table is one block allocated once for the process and never freed, so its address
/// is valid in every copy for as long as any thread runs; a slot index is the top six
/// bits of a hash, so always one of the 64 slots.
///
/// # Thread safety
/// Thread-safe: every slot is an atomic word.
@usableFromInline package struct VisibleReaders: @unchecked Sendable {
    @usableFromInline package static let slotCount = 64
    /// Words between two slots: one slot per ``cacheIsolatedBytes``.
    @usableFromInline static let stride = cacheIsolatedBytes / MemoryLayout<Atomic<UInt>>.stride

    /// The one table; never freed.
    @usableFromInline package static let shared = VisibleReaders()

    @usableFromInline let slots: UnsafeMutablePointer<Atomic<UInt>>

    private init() {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: VisibleReaders.slotCount * cacheIsolatedBytes, alignment: cacheIsolatedBytes)
        slots = raw.bindMemory(to: Atomic<UInt>.self, capacity: VisibleReaders.slotCount * VisibleReaders.stride)
        for i in 0..<VisibleReaders.slotCount { (slots + i * VisibleReaders.stride).initialize(to: Atomic(0)) }
    }

    /// The calling thread's slot: a hash of its identity alone, so a thread writes one
    /// slot line whichever lock it reads under. Hashing the lock in too (as BRAVO does,
    /// into 4096 slots) spread each thread over 16 lines for 16 shards, and two threads'
    /// 32 lines in 64 slots shared about four: two-thread GET fell from 1.76-1.98x to
    /// 1.64-1.87x one thread (`ratios`, 4 alternating pairs). The cost of hashing the
    /// thread alone: two threads share every slot with probability 1/64, and then read
    /// through the spin lock while the other is inside.
    @inlinable @inline(__always)
    static func slotIndex() -> Int {
        #if canImport(Darwin)
        let id = UInt(bitPattern: pthread_self())
        #else
        let id = UInt(pthread_self())
        #endif
        return Int(truncatingIfNeeded: (UInt64(id) &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    @inlinable @inline(__always)
    func slot(_ index: Int) -> UnsafeMutablePointer<Atomic<UInt>> { slots + index &* VisibleReaders.stride }

    /// Writes `tag` into the calling thread's slot; nil if another thread is in it.
    @inlinable @inline(__always)
    func enter(_ tag: UInt) -> Int? {
        let index = VisibleReaders.slotIndex()
        guard slot(index).pointee.compareExchange(
            expected: 0, desired: tag, ordering: .sequentiallyConsistent).exchanged else { return nil }
        return index
    }

    /// Empties a slot ``enter(_:)`` returned. The release orders the reader's reads
    /// before a revoking writer's writes.
    @inlinable @inline(__always)
    func leave(_ index: Int) {
        slot(index).pointee.store(0, ordering: .releasing)
    }

    /// Waits until no slot holds `tag`, with ``Backoff``: a reader may have been
    /// descheduled inside.
    func waitUntilEmpty(of tag: UInt) {
        for i in 0..<VisibleReaders.slotCount {
            var backoff = Backoff()
            while slot(i).pointee.load(ordering: .sequentiallyConsistent) == tag { backoff.wait() }
        }
    }

    /// How many slots hold `tag`, for tests.
    @usableFromInline package func _count(of tag: UInt) -> Int {
        (0..<VisibleReaders.slotCount).filter { slot($0).pointee.load(ordering: .sequentiallyConsistent) == tag }.count
    }
}
