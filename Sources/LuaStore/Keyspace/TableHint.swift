import CPUHints
import Synchronization

/// Where a shard's key table lies, readable without the shard's lock, so that an
/// operation starts fetching its key's entry before it waits for the lock.
///
/// Taking the shard lock writes the lock's cache line. When the other core took the same
/// lock last, that write waits for the line to cross between the cores (45 to 250 ns on
/// the VM of Docs/Benchmarks.md, as `Benchmarks/tools/pingpong.c` measures: at worst as
/// long as a DRAM miss), and the entry's cache miss would only start after it. With the
/// entry's line requested first, the two overlap. The table publishes its address and
/// size here when it is created or rebuilt; a reader may see an old or half-updated pair,
/// and then prefetches a useless or unmapped line, which costs nothing and never faults.
///
/// # Safety
/// The published address is turned back into a pointer only to prefetch, never to load
/// or store: a prefetch of a stale, freed or unmapped address does nothing and cannot
/// fault, so a hint that races with a rebuild is harmless.
///
/// # Thread safety
/// Thread-safe: relaxed atomics, written under the shard lock, read without it.
struct TableHint: ~Copyable {
    private let base = Atomic<UInt>(0)
    private let capacity = Atomic<UInt64>(0)

    /// Records the table's entries and home count (under the shard lock).
    func publish(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base.store(UInt(bitPattern: base), ordering: .relaxed)
        self.capacity.store(UInt64(capacity), ordering: .relaxed)
    }

    /// What was published last, for tests.
    var _published: (base: UInt, capacity: Int) {
        (base.load(ordering: .relaxed), Int(capacity.load(ordering: .relaxed)))
    }

    /// Starts fetching the home entry of the key whose store hash is `hash`, and the line
    /// after it (an entry spans two lines half of the time, and the key sits about two
    /// entries past its home).
    @inline(__always)
    func prefetch(hash: UInt64) {
        let home = (UInt64(KeyTable.tag(hash)) &* capacity.load(ordering: .relaxed)) >> 32
        let address = base.load(ordering: .relaxed) &+ UInt(truncatingIfNeeded: home) &* UInt(MemoryLayout<KeyTable.Entry>.stride)
        luastore_prefetch(UnsafeRawPointer(bitPattern: address))
        luastore_prefetch(UnsafeRawPointer(bitPattern: address &+ 64))
    }
}
