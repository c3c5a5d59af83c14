import LuaStoreCore

/// Memory accounting: each shard keeps its own `used` figure up to date as keys and values
/// come and go, with no walk over its keys, so the bound can be checked after every write.
///
/// What a shard counts (``ShardState/usedMemory``):
/// - per key, ``entryBytes``: its 48-byte table entry at the table's average load (the
///   table keeps 76% to 85% of its positions occupied);
/// - per key with a TTL, ``deadlineBytes``: its place in the deadline dictionary;
/// - ``ShardState/heapBytes``: keys longer than their 14 inline bytes, string values longer
///   than their 22 inline bytes (their buffers as malloc sizes them), and collections, by
///   the O(1) estimate each encoding gives of itself (``Value/accountedEstimate``).
///
/// Collections are mutated in place, so the write primitives settle them: a collection
/// reached for writing (``ShardState/collection(_:hash:_:)``) or stored marks the shard,
/// and when the write command's body returns, the shard compares each of that command's
/// keys' estimate with what it counted last (``AccountedCollection/accountedBytes``) and
/// adds the difference.
extension ShardState {
    /// A key's share of its table: 48 bytes at an average load of 80%.
    static let entryBytes = 60
    /// A deadline: a key and an `Int64` in a dictionary bucket, at its average load.
    static let deadlineBytes = 56

    /// The bytes this shard accounts for.
    /// - Complexity: O(1)
    var usedMemory: Int { table.count &* ShardState.entryBytes &+ expires.count &* ShardState.deadlineBytes &+ heapBytes }

    /// Counts `value` as it enters the table.
    @inline(__always)
    mutating func charge(_ value: borrowing Value) {
        switch value {
        case .empty, .integer: return
        case .string(let s): heapBytes &+= s.heapBytes
        case .list(let c): heapBytes &+= Self.count(c, c.memoryFootprint)
        case .set(let c): heapBytes &+= Self.count(c, c.memoryFootprint)
        case .sortedSet(let c): heapBytes &+= Self.count(c, c.estimatedFootprint)
        case .hash(let c): heapBytes &+= Self.count(c, c.memoryFootprint)
        case .stream(let c): heapBytes &+= Self.count(c, c.memoryFootprint)
        }
        if value.isCollection { collectionsTouched = true }
    }

    /// Stops counting `value` as it leaves the table.
    @inline(__always)
    mutating func discharge(_ value: borrowing Value) {
        switch value {
        case .empty, .integer: return
        case .string(let s): heapBytes &-= s.heapBytes
        case .list(let c): heapBytes &-= c.accountedBytes
        case .set(let c): heapBytes &-= c.accountedBytes
        case .sortedSet(let c): heapBytes &-= c.accountedBytes
        case .hash(let c): heapBytes &-= c.accountedBytes
        case .stream(let c): heapBytes &-= c.accountedBytes
        }
    }

    /// Brings the count of the collection under `key` (if any) up to its current
    /// estimate.
    mutating func settle(_ key: ByteString, hash: UInt64) {
        guard let slot = table.find(key, hash: hash) else { return }
        switch table[slot].value {
        case .list(let c): heapBytes &+= Self.recount(c, c.memoryFootprint)
        case .set(let c): heapBytes &+= Self.recount(c, c.memoryFootprint)
        case .sortedSet(let c): heapBytes &+= Self.recount(c, c.estimatedFootprint)
        case .hash(let c): heapBytes &+= Self.recount(c, c.memoryFootprint)
        case .stream(let c): heapBytes &+= Self.recount(c, c.memoryFootprint)
        default: return
        }
    }

    /// Records `estimate` as what `collection` is counted for, from nothing (it enters a
    /// table); returns it.
    @inline(__always)
    private static func count<C: AccountedCollection>(_ collection: C, _ estimate: Int) -> Int {
        collection.accountedBytes = estimate
        return estimate
    }

    /// Records `estimate` as what `collection` is counted for; returns the change.
    @inline(__always)
    private static func recount<C: AccountedCollection>(_ collection: C, _ estimate: Int) -> Int {
        let change = estimate &- collection.accountedBytes
        collection.accountedBytes = estimate
        return change
    }

    /// What a write command does once its body returned, under the shard lock: settle
    /// the collections it touched under `key`, record the change for sessions watching
    /// `key` (unless the write `failed`), then evict down to the bound. The first two test
    /// one byte together.
    @inline(__always)
    mutating func finishWrite(_ key: ByteString, hash: UInt64, failed: Bool = false) {
        if pendingFinish != 0 { finishFlagged(key, hash: hash, failed: failed) }
        if eviction.limit != 0 && usedMemory > eviction.limit { _ = evictToLimit() }
    }

    /// The accounted bytes of the key in `slot`: its share of the table and of the
    /// deadlines, its key bytes and its value (MEMORY USAGE).
    func memoryUsage(slot: Int) -> Int {
        let entry = table[slot]
        let value: Int
        switch entry.value {
        case .list(let c): value = c.memoryFootprint
        case .set(let c): value = c.memoryFootprint
        case .sortedSet(let c): value = c.memoryFootprint
        case .hash(let c): value = c.memoryFootprint
        case .stream(let c): value = c.memoryFootprint
        default: value = entry.value.accountedEstimate
        }
        return ShardState.entryBytes + (entry.hasExpire ? ShardState.deadlineBytes : 0) + entry.key.heapBytes + value
    }
}

/// A collection class whose memory a shard counts: the figure counted last.
protocol AccountedCollection: AnyObject {
    var accountedBytes: Int { get set }
}

extension ListValue: AccountedCollection {}
extension SetValue: AccountedCollection {}
extension SortedSetValue: AccountedCollection {}
extension HashValue: AccountedCollection {}
extension StreamValue: AccountedCollection {}

extension Value {
    /// The bytes memory accounting counts for this value beyond its entry: a long
    /// string's buffer, a collection's estimate of its encoding.
    /// - Complexity: O(1)
    var accountedEstimate: Int {
        switch self {
        case .empty, .integer: return 0
        case .string(let s): return s.heapBytes
        case .list(let c): return c.memoryFootprint
        case .set(let c): return c.memoryFootprint
        case .sortedSet(let c): return c.estimatedFootprint
        case .hash(let c): return c.memoryFootprint
        case .stream(let c): return c.memoryFootprint
        }
    }

    var isCollection: Bool {
        switch self {
        case .list, .set, .sortedSet, .hash, .stream: return true
        default: return false
        }
    }
}

extension ShardState {
    /// ``heapBytes`` recomputed by walking every key, for tests: equal to the kept figure
    /// whenever no write is in progress (collections by their O(1) estimates).
    func _recountHeapBytes() -> Int {
        var total = 0
        for slot in 0..<table.positions where !table.isFree(slot) {
            total += table[slot].key.heapBytes + table[slot].value.accountedEstimate
        }
        return total
    }
}

extension Keyspace {
    /// Figures summed over the shards, each read under its lock (INFO, ``LuaStore/info()``).
    struct Totals {
        var usedMemory = 0
        var keys = 0
        var keysWithDeadline = 0
        var expiredKeys = 0
        var evictedKeys = 0
        var keyspaceHits = 0
        var keyspaceMisses = 0
        /// The remaining TTLs of the keys with one, summed (ms), when asked for.
        var remainingTTL: Int64 = 0
    }

    /// - Complexity: O(S), plus every key with a TTL when `summingTTLs`.
    func totals(summingTTLs: Bool = false) -> Totals {
        var totals = Totals()
        let now = clock.nowMilliseconds()
        for shard in shards {
            shard.withState { s in
                totals.usedMemory += s.usedMemory
                totals.keys += s.table.count
                totals.keysWithDeadline += s.expires.count
                totals.expiredKeys += s.expiredKeys
                totals.evictedKeys += s.eviction.evictedKeys
                totals.keyspaceHits += s.keyspaceHits
                totals.keyspaceMisses += s.keyspaceMisses
                if summingTTLs { for deadline in s.expires.values { totals.remainingTTL += max(0, deadline - now) } }
            }
        }
        return totals
    }
}

extension KeyspaceAccess {
    /// MEMORY USAGE: the bytes `key` accounts for, nil if it does not exist. Does not count
    /// as an access.
    func memoryUsage(_ key: ByteString) -> Int? {
        try? withKey(key, access: .read) { (s, h) in
            guard let found = s.table.find(key, hash: h), let slot = s.live(found) else { return nil }
            return s.memoryUsage(slot: slot)
        }
    }
}
