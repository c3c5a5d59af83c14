import LuaStoreCore

/// One shard's hash table of keys.
///
/// ## Layout
/// Entries live in one dense array (`entries`) whose slots never move while a key exists;
/// freed slots form a free list threaded through `next`. Buckets (`buckets`, a power of
/// two) hold the head slot of a chain, and each entry links to the next entry of its
/// chain. Per key this costs one 48-byte `Entry` (16-byte key, 24-byte value, 8 bytes of
/// links, hash and flags) plus 4 to 8 bytes of bucket array, and no other allocation for
/// keys of up to 14 bytes and values of up to 22: the figure behind LuaStore's memory per key.
///
/// ## Why chains and not open addressing
/// SCAN must return every key present for the whole iteration, at O(COUNT) cost per call,
/// across resizes. With chains, a key's bucket at size 2^k+1 is one of the two buckets
/// that split from its bucket at 2^k, so Redis's reverse-binary cursor (dict.c,
/// `dictScan`) keeps that guarantee while the table grows or shrinks between calls.
///
/// Growing rehashes the whole shard at once (from the stored 32-bit hashes, no key is
/// rehashed); shards keep that pause short.
///
/// # Thread safety
/// Not thread-safe: a plain value owned by a ``ShardState`` under the shard's mutex.
struct KeyTable {
    struct Entry {
        var key: KeyBytes
        var value: Value
        /// Low 30 bits: next slot in the chain (or free list) plus one, 0 = end.
        /// Bit 31: the key has a deadline in `expires`. Bit 30: STICK (never evicted).
        var link: UInt32
        /// The low 32 bits of the key's store hash.
        var hash: UInt32

        static let expireFlag: UInt32 = 1 << 31
        static let stickFlag: UInt32 = 1 << 30
        static let nextMask: UInt32 = (1 << 30) - 1

        @inline(__always) var next: UInt32 {
            get { link & Entry.nextMask }
            set { link = (link & ~Entry.nextMask) | newValue }
        }
        @inline(__always) var hasExpire: Bool {
            get { link & Entry.expireFlag != 0 }
            set { link = newValue ? link | Entry.expireFlag : link & ~Entry.expireFlag }
        }
        @inline(__always) var isSticky: Bool {
            get { link & Entry.stickFlag != 0 }
            set { link = newValue ? link | Entry.stickFlag : link & ~Entry.stickFlag }
        }
    }

    private(set) var entries: ContiguousArray<Entry> = []
    private(set) var buckets: ContiguousArray<UInt32> = ContiguousArray(repeating: 0, count: 4)
    private(set) var count = 0
    /// Head of the free-slot list, plus one (0 = none).
    private var freeHead: UInt32 = 0

    var bucketMask: Int { buckets.count - 1 }

    /// The slot holding `key`, if any.
    /// - Complexity: O(1) expected.
    @inline(__always)
    func find(_ key: ByteString, hash: UInt64) -> Int? {
        let h = UInt32(truncatingIfNeeded: hash)
        var cursor = buckets[Int(h) & bucketMask]
        return entries.withUnsafeBufferPointer { e -> Int? in
            while cursor != 0 {
                let slot = Int(cursor &- 1)
                if e[slot].hash == h && e[slot].key.equals(key) { return slot }
                cursor = e[slot].next
            }
            return nil
        }
    }

    /// Adds a key known to be absent; returns its slot.
    /// - Complexity: O(1) amortized.
    @discardableResult
    mutating func insert(_ key: ByteString, hash: UInt64, value: Value) -> Int {
        if count >= buckets.count { grow(to: buckets.count * 2) }
        let h = UInt32(truncatingIfNeeded: hash)
        let b = Int(h) & bucketMask
        let slot: Int
        if freeHead != 0 {
            slot = Int(freeHead - 1)
            freeHead = entries[slot].next
            entries[slot] = Entry(key: KeyBytes(key), value: value, link: buckets[b], hash: h)
        } else {
            slot = entries.count
            precondition(slot < Int(Entry.nextMask), "too many keys in one shard")
            if entries.count == entries.capacity {
                // Grow by 1.25x past 64k entries (2x below): per-key memory stays close to
                // the entry size instead of paying up to 2x for doubling.
                let n = entries.count
                reserveEntries(n < 65_536 ? max(16, n * 2) : n + n / 4)
            }
            entries.append(Entry(key: KeyBytes(key), value: value, link: buckets[b], hash: h))
        }
        buckets[b] = UInt32(slot + 1)
        count += 1
        return slot
    }

    /// Removes the key in `slot`, returning its entry.
    /// - Complexity: O(1) expected.
    @discardableResult
    mutating func remove(slot: Int) -> Entry {
        let removed = entries[slot]
        let b = Int(removed.hash) & bucketMask
        let target = UInt32(slot + 1)
        if buckets[b] == target {
            buckets[b] = removed.next
        } else {
            var cursor = buckets[b]
            while cursor != 0 {
                let i = Int(cursor - 1)
                if entries[i].next == target {
                    entries[i].next = removed.next
                    break
                }
                cursor = entries[i].next
            }
        }
        entries[slot] = Entry(key: KeyBytes(), value: .empty, link: freeHead, hash: 0)
        freeHead = target
        count -= 1
        if buckets.count > 64 && count < buckets.count / 8 { grow(to: buckets.count / 2) }
        return removed
    }

    /// Read and write access to an occupied slot.
    @inline(__always)
    subscript(slot: Int) -> Entry {
        get { entries[slot] }
        _modify { yield &entries[slot] }
    }

    /// Drops every key.
    mutating func removeAll() {
        self = KeyTable()
    }

    /// Moves the entries to a buffer of `capacity`, advised for huge pages before it is
    /// written (see ``HugePages``).
    private mutating func reserveEntries(_ capacity: Int) {
        let old = entries
        let n = old.count
        entries = ContiguousArray(unsafeUninitializedCapacity: capacity) { buffer, count in
            HugePages.advise(UnsafeMutableRawPointer(buffer.baseAddress!), bytes: buffer.count * MemoryLayout<Entry>.stride)
            if n > 0 {
                old.withUnsafeBufferPointer { source in
                    buffer.baseAddress!.initialize(from: source.baseAddress!, count: n)
                }
            }
            count = n
        }
    }

    private mutating func grow(to newCount: Int) {
        var fresh = ContiguousArray<UInt32>(unsafeUninitializedCapacity: newCount) { buffer, count in
            HugePages.advise(UnsafeMutableRawPointer(buffer.baseAddress!), bytes: newCount * 4)
            buffer.initialize(repeating: 0)
            count = newCount
        }
        let mask = newCount - 1
        for slot in entries.indices where !isFree(slot) {
            let b = Int(entries[slot].hash) & mask
            entries[slot].next = fresh[b]
            fresh[b] = UInt32(slot + 1)
        }
        buckets = fresh
    }

    @inline(__always)
    func isFree(_ slot: Int) -> Bool {
        if case .empty = entries[slot].value { return true }
        return false
    }

    /// Visits bucket `cursor` (a bucket index in reverse-binary order) and returns the
    /// slots it holds.
    func slots(inBucket bucket: Int) -> [Int] {
        var out: [Int] = []
        var cursor = buckets[bucket & bucketMask]
        while cursor != 0 {
            out.append(Int(cursor - 1))
            cursor = entries[Int(cursor - 1)].next
        }
        return out
    }

    /// Redis's reverse-binary cursor increment over `bucketMask` (dict.c `dictScan`).
    func nextCursor(after cursor: UInt64) -> UInt64 {
        let mask = UInt64(bucketMask)
        var v = cursor | ~mask
        v = v.bitSwapped
        v &+= 1
        return v.bitSwapped
    }

    /// Bytes of memory the table itself holds (entries and buckets arrays).
    var tableBytes: Int { entries.capacity * MemoryLayout<Entry>.stride + buckets.count * 4 }
}

extension UInt64 {
    /// The bits in reverse order.
    @inline(__always)
    var bitSwapped: UInt64 {
        var v = self
        v = ((v >> 1) & 0x5555_5555_5555_5555) | ((v & 0x5555_5555_5555_5555) << 1)
        v = ((v >> 2) & 0x3333_3333_3333_3333) | ((v & 0x3333_3333_3333_3333) << 2)
        v = ((v >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((v & 0x0F0F_0F0F_0F0F_0F0F) << 4)
        return v.byteSwapped
    }
}
