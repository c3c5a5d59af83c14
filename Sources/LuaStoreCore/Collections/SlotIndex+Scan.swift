/// Cursor iteration over a ``SlotIndex``: what SSCAN, HSCAN and ZSCAN page a large
/// collection with.
///
/// ## The cursor
/// Redis walks a chained hash table with a reverse-binary cursor (dict.c `dictScan`): the
/// cursor is a bucket number whose bits are incremented from the top down. A key's bucket
/// at size 2^(k+1) is its bucket at 2^k plus one more high bit, so after a resize the
/// buckets still to visit are exactly the refinements (or, after a shrink, the merges) of
/// the ones still to visit before: a key present for the whole iteration is emitted at
/// least once, perhaps twice, and never missed.
///
/// ## Why it works on an open-addressed index
/// Here a key's *position* is not fixed: an insert puts it past its home bucket when that
/// is taken, backward-shift deletion moves it back towards home, a resize re-places it.
/// Its *home* bucket however depends only on its hash and the table size, and is the
/// scrambled hash masked, exactly as a chained table's bucket is. So the cursor walks home
/// buckets: visiting bucket `b` emits every key whose home is `b`. Linear probing keeps
/// every bucket between a key's home and its position occupied (lookups rely on it), so
/// those keys all lie in the run of occupied buckets that starts at `b`: visiting `b`
/// reads that run up to the first empty bucket and keeps the keys homed at `b`. What a
/// visit emits depends only on homes, never on positions, so Redis's argument carries over
/// unchanged, across inserts, swap-removes in the owner's dense array (the index is
/// renumbered, the key keeps its hash), backward shifts and resizes in both directions.
///
/// # Performance
/// A visit costs the length of the run it reads: O(1) expected at the index's load
/// factor (at most 3/4), one key hash per occupied bucket read.
extension SlotIndex {
    /// Calls `body` with every slot whose key's home bucket is `bucket` (in `0...mask`).
    /// - Complexity: O(1) expected: the occupied run starting at `bucket`.
    func forEachSlot(homedAt bucket: Int, hashOf: (UInt32) -> UInt64, _ body: (UInt32) -> Void) {
        var i = bucket
        // The index is never full, so the run ends at an empty bucket.
        while buckets[i] != 0 {
            let slot = buckets[i] - 1
            if home(hashOf(slot)) == bucket { body(slot) }
            i = (i + 1) & mask
        }
    }

    /// One page of an iteration: visits home buckets from `cursor` in reverse-binary order
    /// until `count` slots were emitted, `maxBuckets` buckets were visited, or the walk
    /// wrapped around; returns the cursor to continue from, 0 when the iteration is done.
    /// As Redis's `scanGenericCommand` loop, the last bucket is emitted whole, so a page
    /// may hold a few more than `count` slots.
    /// - Complexity: O(min(count, maxBuckets)) expected.
    func scan(
        cursor: UInt64, count: Int, maxBuckets: Int, hashOf: (UInt32) -> UInt64, _ body: (UInt32) -> Void
    ) -> UInt64 {
        if buckets.isEmpty { return 0 }
        let m = UInt64(mask)
        var v = cursor
        var emitted = 0
        var visited = 0
        repeat {
            forEachSlot(homedAt: Int(truncatingIfNeeded: v & m), hashOf: hashOf) { slot in
                emitted += 1
                body(slot)
            }
            visited += 1
            v = Self.nextCursor(after: v, mask: m)
        } while v != 0 && emitted < count && visited < maxBuckets
        return v
    }

    /// Redis's reverse-binary cursor increment over the bits of `mask` (dict.c `dictScan`):
    /// the bits above the mask are set so that the carry runs off the top.
    static func nextCursor(after cursor: UInt64, mask: UInt64) -> UInt64 {
        var v = cursor | ~mask
        v = reversedBits(v)
        v &+= 1
        return reversedBits(v)
    }

    @inline(__always)
    private static func reversedBits(_ value: UInt64) -> UInt64 {
        var v = value
        v = ((v >> 1) & 0x5555_5555_5555_5555) | ((v & 0x5555_5555_5555_5555) << 1)
        v = ((v >> 2) & 0x3333_3333_3333_3333) | ((v & 0x3333_3333_3333_3333) << 2)
        v = ((v >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((v & 0x0F0F_0F0F_0F0F_0F0F) << 4)
        return v.byteSwapped
    }
}
