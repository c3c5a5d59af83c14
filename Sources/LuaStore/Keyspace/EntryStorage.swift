/// The memory of one ``KeyTable``'s entries: `positions` entries in one block from
/// ``HugePages``, so that a table of 2 MiB or more lies on huge pages from its first byte.
///
/// A class only for its `deinit`: the table that owns it is non-copyable and keeps its
/// own copy of `base` for lookups.
///
/// # Safety
/// Binds its block to `KeyTable.Entry` and initializes every position in `init`;
/// deinitializes them all and frees the block in `deinit`, so the block holds initialized
/// entries for exactly the storage's life. Only its table writes through `base`, and the
/// table holds the storage for as long as it uses `base`.
///
/// # Thread safety
/// Not thread-safe: owned by one ``KeyTable``, under its shard's mutex.
final class EntryStorage {
    let base: UnsafeMutablePointer<KeyTable.Entry>
    let positions: Int
    private let block: HugePages.Block

    /// `positions` empty entries.
    init(positions: Int) {
        self.positions = positions
        block = HugePages.allocate(bytes: positions * MemoryLayout<KeyTable.Entry>.stride)
        base = block.pointer.bindMemory(to: KeyTable.Entry.self, capacity: positions)
        base.initialize(repeating: .empty, count: positions)
    }

    /// Whether the block was mapped on its own, 2 MiB-aligned (see ``HugePages``).
    var isMapped: Bool { block.mapped }

    deinit {
        base.deinitialize(count: positions)
        HugePages.deallocate(block)
    }
}
