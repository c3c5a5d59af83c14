import LuaStoreCore

/// One shard's hash table of keys: entries inline in one array, kept in hash order.
///
/// ## Layout
/// Every key is one 48-byte `Entry` (16-byte key, 24-byte value, a 32-bit tag taken from
/// the key's store hash, and flags) stored directly in one array; there is no bucket
/// array and no other allocation for keys of up to 14 bytes and values of up to 22. A
/// lookup reads the entry at the key's home position and, at most a few entries later,
/// finds it: one cache miss, where a bucket array in front of the entries costs two
/// dependent misses.
///
/// ## Ordered linear probing
/// `capacity` positions are homes: a tag `t` has home `t * capacity / 2^32`, which rises
/// with `t`. The table keeps its entries sorted by tag, each at or after its home with no
/// empty position in between (linear probing whose clusters are sorted, the layout Robin
/// Hood hashing converges to). So:
/// - a lookup walks from the home past smaller tags and stops at a larger tag or an empty
///   position: a missing key costs about as much as a present one;
/// - an insert shifts the rest of its cluster one position up; a removal shifts it back
///   (no tombstones). Positions therefore move on every insert and removal: a slot number
///   is valid only until the next one in this shard (including the deletion of an expired
///   key that a lookup performs).
/// - growing rebuilds in one ordered pass, without probing or rehashing a key.
/// The array has `capacity` home positions plus a short tail that clusters near the top
/// spill into; its last position is always empty, which ends every walk.
///
/// ## SCAN
/// Because entries are in tag order at every table size, a SCAN cursor is a tag: each
/// call returns the keys whose tags lie in `[cursor, next)`. A key present for the whole
/// iteration is returned whatever the table does in between (grow, shrink, shifts),
/// which is Redis's guarantee, at O(COUNT) per call.
///
/// Deterministic store hashes make adversarial keys possible, as for Redis's `dict`
/// before it seeded its hash; LuaStore is in-process, so its keys come from its host.
///
/// ## Memory
/// The entries live in an ``EntryStorage`` the table owns alone (the table is
/// non-copyable, so no copy can alias it): big tables sit on 2 MiB pages (``HugePages``),
/// and a lookup indexes a raw pointer, with no array bounds or uniqueness checks.
///
/// # Safety
/// Entries are read and written through `base`, a raw pointer into the ``EntryStorage``
/// the table owns, with no bounds checks on the lookup and insert walks. Sound because:
/// `base` is always `storage.base`, both replaced together by `rebuild` (checked by
/// `_checkInvariants`); every one of the `positions` entries is initialized at all times
/// (inserts and removals move entries with `moveInitialize` and re-initialize the
/// position they vacate); and every walk stops at an empty position, and the last
/// position is kept empty (an insert that would fill it rebuilds instead), so no walk
/// passes the end. Slot accesses from outside check their range. `find` compares inline
/// keys by two raw loads, valid because `init` checks that ``KeyBytes`` is laid out as
/// those loads assume (``KeyBytes/hasPackedLayout``).
///
/// # Thread safety
/// Not thread-safe: a value owned by a ``ShardState`` under the shard's mutex.
struct KeyTable: ~Copyable {
    struct Entry {
        var key: KeyBytes
        var value: Value
        /// The low 32 bits of the key's store hash with bit 0 set; 0 marks an empty position.
        var tag: UInt32
        /// Bit 31: the key has a deadline in ``ShardState/expires``. Bit 30: STICK (never evicted).
        var flags: UInt32

        static let expireFlag: UInt32 = 1 << 31
        static let stickFlag: UInt32 = 1 << 30

        static let empty = Entry(key: KeyBytes(), value: .empty, tag: 0, flags: 0)

        @inline(__always) var hasExpire: Bool {
            get { flags & Entry.expireFlag != 0 }
            set { flags = newValue ? flags | Entry.expireFlag : flags & ~Entry.expireFlag }
        }
        @inline(__always) var isSticky: Bool {
            get { flags & Entry.stickFlag != 0 }
            set { flags = newValue ? flags | Entry.stickFlag : flags & ~Entry.stickFlag }
        }
    }

    /// The entries: `capacity` home positions, then the spill tail; the last position is
    /// always empty.
    private var storage: EntryStorage
    /// `storage.base`, held here too so that a lookup reads it from the shard's state
    /// line, not through the storage object.
    private var base: UnsafeMutablePointer<Entry>
    /// Positions in the table (homes plus tail): slots are `0..<positions`.
    private(set) var positions: Int
    private(set) var count = 0
    /// 0, or the key count a large table had when it last grew or last asked for a heap
    /// trim: a trim is queued each time the count falls to a sixteenth of it, and when the
    /// table empties (see ``MemoryRelease``). One compare per removal.
    private var trimMark = 0
    /// Home positions (tags map onto `0..<capacity`).
    private(set) var capacity: Int

    /// Where this table publishes its address and size for lock-free prefetching, if
    /// anywhere (a shard's table does; a test's does not).
    private let hint: UnsafePointer<TableHint>?

    static let minimumCapacity = 8

    init(hint: UnsafePointer<TableHint>? = nil) {
        precondition(KeyBytes.hasPackedLayout && MemoryLayout<Entry>.offset(of: \.key) == 0,
                     "KeyBytes is not laid out as find(_:hash:) reads it")
        self.hint = hint
        capacity = KeyTable.minimumCapacity
        storage = EntryStorage(positions: KeyTable.length(capacity: capacity))
        base = storage.base
        positions = storage.positions
        hint?.pointee.publish(base: UnsafeMutableRawPointer(base), capacity: capacity)
    }

    @inline(__always)
    static func tag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash) | 1 }

    @inline(__always)
    func home(_ tag: UInt32) -> Int { KeyTable.home(tag, capacity: capacity) }

    @inline(__always)
    static func home(_ tag: UInt32, capacity: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(tag) &* UInt64(capacity)) >> 32)
    }

    /// The spill tail after the home positions: enough for the clusters that end near the
    /// top (a cluster at 85% load runs to a few hundred entries at worst).
    static func length(capacity: Int) -> Int { capacity + 16 + capacity / 256 }

    // MARK: Lookup

    /// The slot holding `key`, if any.
    /// - Complexity: O(1) expected.
    @inline(__always)
    func find(_ key: ByteString, hash: UInt64) -> Int? {
        let t = KeyTable.tag(hash)
        var i = home(t)
        while true {
            let g = base[i].tag
            if g == 0 || g >= t { break }
            i &+= 1
        }
        if let words = key.inlineWords, words.count <= KeyBytes.inlineCapacity {
            // An inline key: two loads and two compares per candidate (the enum's fields
            // cost ~25 instructions to take apart), the layout checked in `init`.
            let (w0, w1) = KeyBytes.packedWords(words)
            while base[i].tag == t {
                let p = UnsafeRawPointer(base + i)
                if p.load(as: UInt64.self) == w0 && p.load(fromByteOffset: 8, as: UInt64.self) == w1 { return i }
                i &+= 1
            }
            return nil
        }
        while base[i].tag == t {
            if base[i].key.equals(key) { return i }
            i &+= 1
        }
        return nil
    }

    // MARK: Mutation

    /// Adds a key known to be absent; returns its slot. Moves the slots of other keys.
    /// - Complexity: O(1) amortized (the shifted part of a cluster is short at the loads
    ///   the table keeps).
    @discardableResult
    mutating func insert(_ key: ByteString, hash: UInt64, value: Value) -> Int {
        if (count + 1) * 20 > capacity * 17 {
            // Past 85% load: small tables double; large ones grow by 12% to 76% load, so
            // a key costs 56.5 to 63.2 bytes of entries, and a lookup walks about two
            // entries past its home on average.
            rebuild(capacity: count < 4096 ? capacity * 2 : (count + 1) * 100 / 76)
            if count >= MemoryRelease.largeTable { trimMark = Swift.max(trimMark, count) }
        }
        let t = KeyTable.tag(hash)
        while true {
            var i = home(t)
            while base[i].tag != 0 && base[i].tag <= t { i += 1 }
            var q = i
            while base[q].tag != 0 { q += 1 }
            if q < positions - 1 {    // else it would fill the last position
                if q > i { (base + i + 1).moveInitialize(from: base + i, count: q - i) }
                (base + i).initialize(to: Entry(key: KeyBytes(key), value: value, tag: t, flags: 0))
                count += 1
                return i
            }
            // A cluster ran into the end of the tail: rare, and growing spreads it out.
            rebuild(capacity: capacity + capacity / 4 + KeyTable.minimumCapacity)
        }
    }

    /// Removes the key in `slot`, returning its entry. Moves the slots of other keys.
    /// - Complexity: O(1) expected.
    @discardableResult
    mutating func remove(slot: Int) -> Entry {
        let homes = capacity
        precondition(slot >= 0 && slot < positions - 1 && base[slot].tag != 0, "no key in slot")
        let removed = (base + slot).move()
        // Entries after the hole that sit past their home move back one position.
        var j = slot + 1
        while base[j].tag != 0 && KeyTable.home(base[j].tag, capacity: homes) < j { j += 1 }
        if j > slot + 1 { (base + slot).moveInitialize(from: base + slot + 1, count: j - slot - 1) }
        (base + j - 1).initialize(to: .empty)
        count -= 1
        if capacity > 64 && count * 4 < capacity { rebuild(capacity: max(KeyTable.minimumCapacity, count * 100 / 76)) }
        if trimMark != 0 && count &* 16 <= trimMark { noteLargeFree() }
        return removed
    }

    /// Read and write access to an occupied slot.
    @inline(__always)
    subscript(slot: Int) -> Entry {
        unsafeAddress {
            precondition(slot >= 0 && slot < positions, "slot out of range")
            return UnsafePointer(base + slot)
        }
        unsafeMutableAddress {
            precondition(slot >= 0 && slot < positions, "slot out of range")
            return base + slot
        }
    }

    /// Moves `value` into the occupied `slot`, releasing the old value: the plain SET of
    /// a key that exists (``ShardState/storePlain``).
    @inline(__always)
    mutating func replaceValue(slot: Int, with value: consuming Value) {
        precondition(slot >= 0 && slot < positions, "slot out of range")
        (base + slot).pointee.value = value
    }

    /// Drops every key.
    mutating func removeAll() {
        let wasLarge = trimMark != 0 || count >= MemoryRelease.largeTable
        self = KeyTable(hint: hint)
        if wasLarge { MemoryRelease.request() }
    }

    /// A large table lost most of its keys since it last grew or trimmed (or all of them):
    /// their memory is worth giving back.
    @inline(never)
    private mutating func noteLargeFree() {
        trimMark = count
        MemoryRelease.request()
    }

    @inline(__always)
    func isFree(_ slot: Int) -> Bool { self[slot].tag == 0 }

    // MARK: Resizing

    /// Moves every entry into a table of `newCapacity` homes, in one ordered pass: each
    /// entry goes to its new home or just after the previous entry, whichever is later.
    private mutating func rebuild(capacity requested: Int) {
        var newCapacity = max(KeyTable.minimumCapacity, requested)
        // The last position used must leave the array's last position empty.
        let source = UnsafeBufferPointer(start: base, count: positions)
        while KeyTable.placements(of: source, capacity: newCapacity, { _, _ in }) >= KeyTable.length(capacity: newCapacity) - 1 {
            newCapacity += newCapacity / 4 + KeyTable.minimumCapacity
        }
        let fresh = EntryStorage(positions: KeyTable.length(capacity: newCapacity))
        let to = fresh.base, from = base
        _ = KeyTable.placements(of: source, capacity: newCapacity) { i, p in
            (to + p).initialize(to: (from + i).move())
            (from + i).initialize(to: .empty)
        }
        storage = fresh
        base = fresh.base
        positions = fresh.positions
        capacity = newCapacity
        hint?.pointee.publish(base: UnsafeMutableRawPointer(base), capacity: capacity)
    }

    /// Where a rebuild to `capacity` homes puts each entry of `source`: in order, each at
    /// its new home or just after the previous one, whichever is later. Calls
    /// `place(from, to)` per entry and returns the last position used (-1 if none).
    private static func placements(of source: UnsafeBufferPointer<Entry>, capacity: Int, _ place: (Int, Int) -> Void) -> Int {
        var next = 0
        for i in 0..<source.count where source[i].tag != 0 {
            let p = max(home(source[i].tag, capacity: capacity), next)
            place(i, p)
            next = p + 1
        }
        return next - 1
    }

    // MARK: SCAN

    /// The first tag past the last, a cursor meaning "this table is done".
    static let scanEnd: UInt64 = 1 << 32

    /// Visits the slots of the keys whose tags lie in `[cursor, next)` and returns `next`
    /// (``scanEnd`` when no tag is left). Stops once `count` keys were visited, at a tag
    /// boundary, or after about 10 x `count` empty positions, as Redis bounds a SCAN step.
    /// `visit` must not change the table.
    /// - Complexity: O(count) expected.
    func scan(from cursor: UInt64, count: Int, _ visit: (Int) -> Void) -> UInt64 {
        guard cursor < KeyTable.scanEnd else { return KeyTable.scanEnd }
        let c = UInt32(cursor)
        var budget = max(1, count) * 10
        var visited = 0
        var last: UInt32 = 0
        var i = home(c)
        while i < positions {
            let g = base[i].tag
            if g == 0 {
                // Every entry whose home is at most i lies before i: the tags below the
                // first one homed after i are done.
                budget -= 1
                if visited >= count || budget <= 0 { return firstTag(homedAtOrAfter: i + 1) }
            } else if g >= c {
                if visited >= count && g != last { return UInt64(g) }
                visit(i)
                visited += 1
                last = g
            }
            i += 1
        }
        return KeyTable.scanEnd
    }

    /// The smallest tag whose home is at least `position`.
    private func firstTag(homedAtOrAfter position: Int) -> UInt64 {
        if position >= capacity { return KeyTable.scanEnd }
        // home(t) >= p  <=>  t * capacity >= p * 2^32
        let numerator = UInt64(position) << 32
        return (numerator + UInt64(capacity) - 1) / UInt64(capacity)
    }

    /// Where the entries live, for tests: the block's address, and whether it was mapped
    /// on its own (tables of 2 MiB or more, on Linux).
    var _storage: (base: UnsafeRawPointer, isMapped: Bool) { (UnsafeRawPointer(base), storage.isMapped) }

    /// Entries sorted by tag, each at or after its home with no gap in between, the last
    /// position empty, and `count` right. For tests.
    func _checkInvariants() {
        var seen = 0
        var previous: UInt32 = 0
        precondition(positions == storage.positions && base == storage.base, "storage out of step")
        precondition(base[positions - 1].tag == 0, "last position occupied")
        for i in 0..<positions where base[i].tag != 0 {
            let g = base[i].tag
            precondition(g >= previous, "entries out of tag order")
            previous = g
            let h = home(g)
            precondition(h <= i, "entry before its home")
            for k in h..<i { precondition(base[k].tag != 0, "gap between an entry and its home") }
            seen += 1
        }
        precondition(seen == count, "count mismatch")
    }
}
