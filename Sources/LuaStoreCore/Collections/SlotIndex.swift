/// An open-addressing hash index from a key to a `UInt32` slot number of a dense array
/// that the owner keeps (members of a set, fields of a hash, entries of a sorted set).
///
/// The index stores slot numbers only (4 bytes a bucket), never the keys: the owner hashes
/// and compares keys through closures. This keeps a large collection at one copy of each
/// key plus ~6 bytes of index per entry, where `Dictionary<ByteString, Int>` would cost
/// ~40.
///
/// Linear probing with backward-shift deletion (no tombstones), so lookups stay short
/// under any mix of inserts and deletes. The table is a power of two, kept at most 3/4
/// full and grown by doubling.
///
/// # Thread safety
/// A value type with no shared state; its owner's lock protects it.
struct SlotIndex: Sendable {
    /// Bucket contents: 0 = empty, otherwise slot + 1.
    private(set) var buckets: [UInt32] = []
    private(set) var count = 0

    init() {}

    var mask: Int { buckets.count - 1 }

    /// The bucket where probing for a key of hash `hash` starts. Its low bits name the
    /// same bucket at every table size (the scrambled hash masked), which is what lets
    /// a SCAN cursor survive resizes (see `SlotIndex+Scan.swift`).
    @inline(__always)
    func home(_ hash: UInt64) -> Int {
        // Fibonacci scrambling: the low bits of a weak hash still spread over the table.
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The slot whose key matches, probing from `hash`.
    /// - Complexity: O(1) expected.
    @inline(__always)
    func find(hash: UInt64, matches: (UInt32) -> Bool) -> UInt32? {
        if buckets.isEmpty { return nil }
        var i = home(hash)
        while true {
            let b = buckets[i]
            if b == 0 { return nil }
            if matches(b - 1) { return b - 1 }
            i = (i + 1) & mask
        }
    }

    /// ``find(hash:matches:)`` through the bucket buffer in place: for an owner that
    /// holds the index as `inout`, so the bucket array is neither retained nor released.
    /// - Complexity: O(1) expected.
    @inline(__always)
    mutating func findInPlace(hash: UInt64, matches: (UInt32) -> Bool) -> UInt32? {
        if buckets.isEmpty { return nil }
        let start = home(hash)
        let m = mask
        return buckets.withUnsafeMutableBufferPointer { b -> UInt32? in
            let base = b.baseAddress!
            var i = start
            while true {
                let v = base[i]
                if v == 0 { return nil }
                if matches(v &- 1) { return v &- 1 }
                i = (i &+ 1) & m
            }
        }
    }

    /// Adds `slot`, whose key is known to be absent. `hashOf` rehashes existing slots when
    /// the table grows.
    /// - Complexity: O(1) amortized.
    mutating func insert(_ slot: UInt32, hash: UInt64, hashOf: (UInt32) -> UInt64) {
        if (count + 1) * 4 > buckets.count * 3 { resize(to: Swift.max(8, buckets.count * 2), hashOf: hashOf) }
        place(slot, hash: hash)
        count += 1
    }

    private mutating func place(_ slot: UInt32, hash: UInt64) {
        var i = home(hash)
        while buckets[i] != 0 { i = (i + 1) & mask }
        buckets[i] = slot + 1
    }

    /// Removes `slot` (present, with key hash `hash`), shifting later probe-chain members
    /// back so no tombstone is needed.
    /// - Complexity: O(1) expected.
    mutating func remove(_ slot: UInt32, hash: UInt64, hashOf: (UInt32) -> UInt64) {
        var i = home(hash)
        while buckets[i] != slot + 1 { i = (i + 1) & mask }
        var hole = i
        var j = i
        while true {
            j = (j + 1) & mask
            let b = buckets[j]
            if b == 0 { break }
            let h = home(hashOf(b - 1))
            // Move b into the hole unless its home lies cyclically in (hole, j].
            let stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j)
            if !stays {
                buckets[hole] = b
                hole = j
            }
        }
        buckets[hole] = 0
        count -= 1
        if buckets.count > 8 && count * 8 < buckets.count { resize(to: buckets.count / 2, hashOf: hashOf) }
    }

    /// Points the bucket holding `old` at `new` (the owner moved a key between slots).
    /// - Complexity: O(1) expected.
    mutating func renumber(_ old: UInt32, to new: UInt32, hash: UInt64) {
        var i = home(hash)
        while buckets[i] != old + 1 { i = (i + 1) & mask }
        buckets[i] = new + 1
    }

    mutating func removeAll() {
        buckets = []
        count = 0
    }

    private mutating func resize(to size: Int, hashOf: (UInt32) -> UInt64) {
        let old = buckets
        buckets = [UInt32](repeating: 0, count: size)
        for b in old where b != 0 { place(b - 1, hash: hashOf(b - 1)) }
    }

    /// Heap bytes of the bucket array.
    var memoryFootprint: Int { buckets.isEmpty ? 0 : 32 + buckets.count * 4 }

    /// Every slot in `0..<slotCount` for which `isLive` holds is findable, and nothing else is.
    func _checkInvariants(slotCount: Int, isLive: (UInt32) -> Bool, hashOf: (UInt32) -> UInt64) {
        var seen = 0
        for (i, b) in buckets.enumerated() where b != 0 {
            let slot = b - 1
            precondition(Int(slot) < slotCount && isLive(slot), "index points at a dead slot")
            // Every bucket between home and i must be occupied, or lookups would stop early.
            var k = home(hashOf(slot))
            while k != i {
                precondition(buckets[k] != 0, "probe chain broken")
                k = (k + 1) & mask
            }
            seen += 1
        }
        precondition(seen == count, "index count mismatch")
        precondition(buckets.isEmpty || count * 4 <= buckets.count * 3, "index overfull")
    }
}
