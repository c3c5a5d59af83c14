/// One member of a sorted set with its score. Also the layout of the large encoding's slots
/// (32 bytes: a free slot has a NaN score, which no member can have).
///
/// # Thread safety
/// A value type of `Sendable` parts: safe to share.
public struct SortedSetEntry: Sendable, Hashable {
    public var member: ByteString
    public var score: Double

    public init(member: ByteString, score: Double) {
        self.member = member
        self.score = score
    }

    /// Whether `self` sorts before (`score`, `member`): by score, then by member bytes.
    @inlinable
    func precedes(score: Double, member: ByteString) -> Bool {
        self.score < score || (self.score == score && self.member.compare(member) < 0)
    }
}

/// A Redis sorted set: unique members, each with a `Double` score, ordered by
/// (score, member bytes).
///
/// ## Encodings
/// - **Compact** (up to ``maxCompactEntries`` members of at most ``maxCompactMemberBytes``
///   bytes, as Redis's listpack): one array of entries kept sorted. Lookups by member scan
///   it; everything by rank or score is a binary search.
/// - **Indexed** (past either limit; Redis's skiplist + dict): entries live once in a
///   dense slot array (holes reused through a free list); a ``SlotIndex`` maps member to
///   slot and an ``OrderTree`` (an order-statistic B+tree of slot numbers) keeps the order.
///   A set never converts back.
///
/// ## Memory Utilization
/// Indexed: 32 bytes a slot, ~4-8 bytes of hash index and ~11 bytes of tree (slot
/// number and score prefix) per member, plus the heap bytes of members longer than 22
/// bytes. Redis 7 spends ~120 bytes on the same member.
///
/// # Performance
/// Indexed: score lookup O(1); insert, delete, rank and rank/score/lex lookups O(log n);
/// ranges O(log n + k). Compact: O(n) with small n.
///
/// # Thread safety
/// Writes need exclusion; reads may run concurrently. The keyspace stores it in an entry
/// and mutates it only under the owning shard's exclusive lock, but reads it from several
/// threads at once: `Keyspace.readCollection` reads a read-biased shard without taking
/// its lock. So a non-mutating member must write nothing: no cache, no memoized value, no
/// cursor or lazily built index kept in the object. State like that belongs behind a
/// mutating method. The lock for writes and this rule for reads are what make the
/// `@unchecked Sendable` conformance sound.
@usableFromInline package final class SortedSetValue: @unchecked Sendable {
    /// Redis's `zset-max-listpack-entries`.
    @usableFromInline package static let maxCompactEntries = 128
    /// Redis's `zset-max-listpack-value`.
    @usableFromInline package static let maxCompactMemberBytes = 64

    // The stored properties skip dynamic exclusivity checks: the owning shard's lock
    // already makes every access exclusive, and a check costs about as much as a tree step.

    /// Compact encoding: the entries in order. Empty once indexed.
    @exclusivity(unchecked) var compact: [SortedSetEntry] = []
    /// The bytes the owning shard last counted for this value (its memory accounting
    /// settles the difference with the current estimate after each write).
    @exclusivity(unchecked) package var accountedBytes = 0
    /// Indexed encoding: the entries by slot; free slots have a NaN score.
    @exclusivity(unchecked) var slots: [SortedSetEntry] = []
    @exclusivity(unchecked) var freeSlots: [UInt32] = []
    @exclusivity(unchecked) var index = SlotIndex()
    /// The slots in order, each with ``prefix(_:)`` of its score beside it.
    @exclusivity(unchecked) var tree = OrderTree()
    /// Heap bytes of members too long to be inline, kept up to date so that
    /// ``memoryFootprint`` need not visit every member.
    @exclusivity(unchecked) var memberHeapBytes = 0
    @exclusivity(unchecked) package private(set) var isCompact = true

    @usableFromInline package init() {}

    /// The number of members.
    @usableFromInline package var count: Int { isCompact ? compact.count : tree.count }

    @usableFromInline package var isEmpty: Bool { count == 0 }

    /// The name OBJECT ENCODING reports.
    @usableFromInline package var encodingName: String { isCompact ? "listpack" : "skiplist" }

    /// The score of `member`, or nil if absent.
    /// - Complexity: O(1) expected (indexed), O(n) compact.
    @usableFromInline package func score(of member: ByteString) -> Double? {
        if isCompact { return compact.first(where: { $0.member == member })?.score }
        return slot(of: member).map { slots[Int($0)].score }
    }

    /// Whether `member` is present.
    /// - Complexity: as ``score(of:)``.
    @usableFromInline package func contains(_ member: ByteString) -> Bool { score(of: member) != nil }

    /// Adds `member` or moves it to `score` (which must not be NaN). Returns the previous
    /// score, nil if the member was added. ZADD's NX/XX/GT/LT/CH/INCR are the caller's
    /// decisions on top of ``score(of:)`` and this.
    /// - Complexity: O(log n) (indexed), O(n) compact.
    @discardableResult
    @usableFromInline package func set(_ member: ByteString, score: Double) -> Double? {
        precondition(!score.isNaN, "NaN score")
        if isCompact {
            if let i = compact.firstIndex(where: { $0.member == member }) {
                let old = compact.remove(at: i)
                memberHeapBytes -= old.member.heapBytes
                insertNew(SortedSetEntry(member: member, score: score))
                return old.score
            }
            if count >= Self.maxCompactEntries || member.count > Self.maxCompactMemberBytes { convertToIndexed() }
        } else if let old = Self.update(member, to: score, &slots, &index, &tree) {
            return old
        }
        insertNew(SortedSetEntry(member: member, score: score))
        return nil
    }

    /// Removes `member`; returns its score, or nil if it was absent.
    /// - Complexity: O(log n) (indexed), O(n) compact.
    @discardableResult
    @usableFromInline package func remove(_ member: ByteString) -> Double? {
        if isCompact {
            guard let i = compact.firstIndex(where: { $0.member == member }) else { return nil }
            let entry = compact.remove(at: i)
            memberHeapBytes -= entry.member.heapBytes
            return entry.score
        }
        guard let s = slot(of: member) else { return nil }
        let entry = slots[Int(s)]
        removeFromTree(entry)
        release(s)
        return entry.score
    }

    /// The 0-based rank of `member` (ZRANK; ZREVRANK with `reverse`), or nil if absent.
    /// - Complexity: O(log n) (indexed), O(n) compact.
    @usableFromInline package func rank(of member: ByteString, reverse: Bool = false) -> Int? {
        let r: Int
        if isCompact {
            guard let i = compact.firstIndex(where: { $0.member == member }) else { return nil }
            r = i
        } else {
            guard let found = Self.indexedRank(of: member, slots, index, tree) else { return nil }
            r = found
        }
        return reverse ? count - 1 - r : r
    }

    /// ``rank(of:reverse:)`` for the indexed encoding, in one pass over the slot buffer
    /// (the stored member equals `member`, so only its score is read). The parts come in
    /// borrowed, so they are used in place: read as properties inside a closure, the slot
    /// array, the index's buckets and the tree's root were each retained and released per
    /// call (six atomic operations). Not `inout`, which did the same without retains but
    /// is a modifying access: ZRANK runs on the shared read path, where two readers of one
    /// set would then be two writers to Swift (and to Thread Sanitizer).
    @inline(__always)
    static func indexedRank(of member: ByteString, _ slots: borrowing [SortedSetEntry], _ index: borrowing SlotIndex,
                            _ tree: borrowing OrderTree) -> Int? {
        slots.withUnsafeBufferPointer { buffer in
            guard let s = index.find(hash: member.storeHash, matches: { buffer[Int($0)].member == member }) else { return nil }
            let score = buffer[Int(s)].score
            return tree.count(below: Self.prefix(score)) { buffer[Int($0)].precedes(score: score, member: member) }
        }
    }

    /// The entry at `rank` (0-based, from the highest score with `reverse`).
    /// - Complexity: O(log n)
    @usableFromInline package func entry(atRank rank: Int, reverse: Bool = false) -> SortedSetEntry {
        let r = reverse ? count - 1 - rank : rank
        return isCompact ? compact[r] : slots[Int(tree.key(at: r))]
    }

    /// Calls `body` with the entries at `ranks` (ascending ranks), walking from the low
    /// end, or from the high end with `reverse`.
    /// - Complexity: O(log n + k)
    @usableFromInline package func forEach(ranks: Range<Int>, reverse: Bool = false, _ body: (SortedSetEntry) -> Void) {
        if isCompact {
            if reverse {
                for i in ranks.reversed() { body(compact[i]) }
            } else {
                for i in ranks { body(compact[i]) }
            }
        } else {
            slots.withUnsafeBufferPointer { s in
                tree.forEach(ranks: ranks, reverse: reverse) { body(s[Int($0)]) }
            }
        }
    }

    /// The entries at `ranks`, in order (or reversed).
    /// - Complexity: O(log n + k)
    @usableFromInline package func entries(ranks: Range<Int>, reverse: Bool = false) -> [SortedSetEntry] {
        var out: [SortedSetEntry] = []
        out.reserveCapacity(ranks.count)
        if isCompact {
            forEach(ranks: ranks, reverse: reverse) { out.append($0) }
        } else {
            // The slot buffer once, not the `slots` property per element.
            slots.withUnsafeBufferPointer { s in
                tree.forEach(ranks: ranks, reverse: reverse) { out.append(s[Int($0)]) }
            }
        }
        return out
    }

    /// All entries in ascending order.
    /// - Complexity: O(n)
    @usableFromInline package var entries: [SortedSetEntry] { entries(ranks: 0..<count) }

    /// The number of leading entries (in ascending order) for which `isBefore` holds; the
    /// predicate must be monotone (true for a prefix of the order).
    /// - Complexity: O(log n) predicate calls.
    @usableFromInline package func rank(where isBefore: (SortedSetEntry) -> Bool) -> Int {
        if isCompact {
            var lo = 0
            var hi = compact.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if isBefore(compact[mid]) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return tree.count { isBefore(slots[Int($0)]) }
    }

    /// Removes the entries at `ranks`; returns how many.
    /// - Complexity: O(k log n) (indexed), O(n) compact.
    @discardableResult
    @usableFromInline package func removeRanks(_ ranks: Range<Int>) -> Int {
        if isCompact {
            for i in ranks { memberHeapBytes -= compact[i].member.heapBytes }
            compact.removeSubrange(ranks)
        } else {
            for _ in ranks { release(tree.remove(at: ranks.lowerBound)) }
        }
        return ranks.count
    }

    /// Removes every member.
    /// - Complexity: O(n)
    @usableFromInline package func removeAll() {
        compact = []
        slots = []
        freeSlots = []
        index.removeAll()
        tree.removeAll()
        memberHeapBytes = 0
        isCompact = true
    }

    // MARK: - Indexed encoding internals

    func slot(of member: ByteString) -> UInt32? {
        // Compare through one buffer pointer: indexing the class's `slots` array inside the
        // closure paid an exclusivity check and a retain on every probe.
        slots.withUnsafeBufferPointer { buffer in
            index.find(hash: member.storeHash) { buffer[Int($0)].member == member }
        }
    }

    /// The tree's prefix of `score`: `Float` rounding never reverses the order of two
    /// scores, so entries with different prefixes compare by prefix alone, in the tree
    /// node, without reading their slots. (Integer scores up to 2^24 keep distinct
    /// prefixes.)
    @inline(__always)
    static func prefix(_ score: Double) -> Float { Float(score) }

    /// Removes `entry`, which is in the tree, from it (not from the slots or the index).
    /// - Complexity: O(log n) prefix comparisons, slots read only on prefix ties.
    private func removeFromTree(_ entry: SortedSetEntry) {
        slots.withUnsafeBufferPointer { buffer in
            // A key is at or before `entry` unless `entry` precedes it.
            _ = tree.remove(prefix: Self.prefix(entry.score)) {
                let other = buffer[Int($0)]
                return !entry.precedes(score: other.score, member: other.member)
            }
        }
    }

    /// The indexed half of ``set(_:score:)`` for a member already present: moves it to
    /// `score` and returns its old score; nil (and nothing changed) when it is absent.
    /// The member keeps its slot and index bucket; only its place in the order moves.
    /// The parts come in as `inout` and are used in place: as properties they were
    /// retained and released around the lookup (four atomic operations per ZADD, a sixth
    /// of its time).
    @inline(__always)
    static func update(_ member: ByteString, to score: Double, _ slots: inout [SortedSetEntry], _ index: inout SlotIndex,
                       _ tree: inout OrderTree) -> Double? {
        let found: UInt32? = slots.withUnsafeMutableBufferPointer { buffer in
            let entries = buffer.baseAddress!
            return index.findInPlace(hash: member.storeHash) { (entries + Int($0)).pointee.member == member }
        }
        guard let s = found else { return nil }
        let oldScore = slots.withUnsafeBufferPointer { $0[Int(s)].score }
        if oldScore == score && oldScore.sign == score.sign { return oldScore }
        move(s, from: oldScore, to: score, &slots, &tree)
        return oldScore
    }

    /// Moves slot `s` from `oldScore` (its entry is in the tree) to `score`: out of the tree, the
    /// new score stored, back in at its new place. The slot array and the tree come in as
    /// `inout`, used in place (as properties inside closures they were retained and
    /// released around each of the two descents).
    /// - Complexity: O(log n) prefix comparisons, slots read only on prefix ties.
    @inline(__always)
    static func move(_ s: UInt32, from oldScore: Double, to score: Double,
                     _ slots: inout [SortedSetEntry], _ tree: inout OrderTree) {
        slots.withUnsafeMutableBufferPointer { buffer in
            // The entry is read in place, never copied out (a member copy is an outlined call).
            let entries = buffer.baseAddress!
            let moving = entries + Int(s)
            _ = tree.remove(prefix: prefix(oldScore)) {
                let other = entries + Int($0)
                return !moving.pointee.precedes(score: other.pointee.score, member: other.pointee.member)
            }
            moving.pointee.score = score
            tree.insert(s, prefix: prefix(score)) { (entries + Int($0)).pointee.precedes(score: score, member: moving.pointee.member) }
        }
    }

    /// Puts slot `s`, holding `entry` and absent from the tree, in its place in the order.
    /// - Complexity: as ``removeFromTree(_:)``.
    private func insertIntoTree(_ s: UInt32, _ entry: SortedSetEntry) {
        slots.withUnsafeBufferPointer { buffer in
            tree.insert(s, prefix: Self.prefix(entry.score)) {
                buffer[Int($0)].precedes(score: entry.score, member: entry.member)
            }
        }
    }

    private func insertNew(_ entry: SortedSetEntry) {
        memberHeapBytes += entry.member.heapBytes
        if isCompact {
            // redis-server's listpack stores a zero score as the integer 0, so a -0 score
            // reads back as "0" there (and "-0" only in the skiplist encoding).
            var entry = entry
            if entry.score == 0 { entry.score = 0 }
            let i = rank { $0.precedes(score: entry.score, member: entry.member) }
            compact.insert(entry, at: i)
            return
        }
        let s: UInt32
        if let free = freeSlots.popLast() {
            s = free
            slots[Int(s)] = entry
        } else {
            s = UInt32(slots.count)
            if slots.count == slots.capacity {
                // Grow by half rather than Array's doubling: the slot array is most of a
                // large set's memory.
                slots.reserveCapacity(slots.count + slots.count / 2 + 16)
            }
            slots.append(entry)
        }
        index.insert(s, hash: entry.member.storeHash) { slots[Int($0)].member.storeHash }
        insertIntoTree(s, entry)
    }

    /// Frees slot `s`, already removed from the tree.
    private func release(_ s: UInt32) {
        memberHeapBytes -= slots[Int(s)].member.heapBytes
        index.remove(s, hash: slots[Int(s)].member.storeHash) { slots[Int($0)].member.storeHash }
        if Int(s) == slots.count - 1 {
            slots.removeLast()
        } else {
            slots[Int(s)] = SortedSetEntry(member: ByteString(), score: .nan)
            freeSlots.append(s)
        }
        if tree.count == 0 {
            slots = []
            freeSlots = []
        }
    }

    private func convertToIndexed() {
        let old = compact
        compact = []
        isCompact = false
        slots.reserveCapacity(old.count + old.count / 2)
        // Entries arrive in order, so each goes at the end of the tree.
        for (i, e) in old.enumerated() {
            slots.append(e)
            index.insert(UInt32(i), hash: e.member.storeHash) { slots[Int($0)].member.storeHash }
            tree.insert(UInt32(i), prefix: Self.prefix(e.score), at: i)
        }
    }
}
