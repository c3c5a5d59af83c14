/// One field of a hash with its value.
///
/// # Thread safety
/// A value type of `Sendable` parts: safe to share.
public struct HashEntry: Sendable, Hashable {
    public var field: ByteString
    public var value: ByteString

    public init(field: ByteString, value: ByteString) {
        self.field = field
        self.value = value
    }
}

/// A Redis hash: unique binary-safe fields, each with a binary-safe value.
///
/// ## Encodings
/// - **listpack**: at most ``maxCompactEntries`` fields, every field and value at most
///   ``maxCompactValueBytes`` bytes: an array of entries in insertion order (which HGETALL
///   then reports, as Redis does), scanned linearly.
/// - **hashtable**: past either limit: a dense entry array plus a ``SlotIndex``; deletion
///   moves the last entry into the hole, so a random field is one random index.
///
/// A hash never converts back.
///
/// ## Memory Utilization
/// 32 bytes an entry (two inline strings of up to 14 bytes), plus ~4-8 bytes of index in
/// the hashtable encoding, plus the heap bytes of longer strings.
///
/// # Performance
/// hashtable: get, set, delete, exists and random field O(1) expected. listpack: O(n).
///
/// # Thread safety
/// Writes need exclusion; reads may run concurrently. The keyspace stores it in an entry
/// and mutates it only under the owning shard's exclusive lock, but reads it from several
/// threads at once: `Keyspace.readCollection` reads a read-biased shard without taking
/// its lock. So a non-mutating member must write nothing: no cache, no memoized value, no
/// cursor or lazily built index kept in the object. State like that belongs behind a
/// mutating method. The lock for writes and this rule for reads are what make the
/// `@unchecked Sendable` conformance sound.
@usableFromInline package final class HashValue: @unchecked Sendable {
    /// `hash-max-listpack-entries`. redis-server 7.0 defaults to 512; 128 keeps linear
    /// scans short, and the hashtable encoding here costs only its index (~6 bytes an
    /// entry) more than the compact one.
    @usableFromInline package static let maxCompactEntries = 128
    /// `hash-max-listpack-value`.
    @usableFromInline package static let maxCompactValueBytes = 64

    var entries: [HashEntry] = []
    /// The bytes the owning shard last counted for this value (its memory accounting
    /// settles the difference with the current estimate after each write).
    @exclusivity(unchecked) package var accountedBytes = 0
    /// hashtable: field -> position in `entries`.
    var index = SlotIndex()
    /// Heap bytes of fields and values too long to be inline, kept up to date so that
    /// ``memoryFootprint`` need not visit every entry.
    var stringHeapBytes = 0
    @usableFromInline package private(set) var isCompact = true

    @usableFromInline package init() {}

    /// The number of fields (HLEN).
    @usableFromInline package var count: Int { entries.count }

    @usableFromInline package var isEmpty: Bool { entries.isEmpty }

    /// The name OBJECT ENCODING reports.
    @usableFromInline package var encodingName: String { isCompact ? "listpack" : "hashtable" }

    /// The value of `field` (HGET), or nil.
    /// - Complexity: O(1) expected (hashtable), O(n) listpack.
    @usableFromInline package func value(of field: ByteString) -> ByteString? {
        position(of: field).map { entries[$0].value }
    }

    /// Whether `field` exists (HEXISTS).
    /// - Complexity: as ``value(of:)``.
    @usableFromInline package func contains(_ field: ByteString) -> Bool { position(of: field) != nil }

    /// Sets `field` to `value` (HSET); returns true if the field is new.
    /// - Complexity: O(1) amortized (hashtable), O(n) listpack.
    @discardableResult
    @usableFromInline package func set(_ field: ByteString, to value: ByteString) -> Bool {
        if isCompact && (field.count > Self.maxCompactValueBytes || value.count > Self.maxCompactValueBytes) {
            convertToHashtable()
        }
        if let p = position(of: field) {
            stringHeapBytes += value.heapBytes - entries[p].value.heapBytes
            entries[p].value = value
            return false
        }
        if isCompact && entries.count >= Self.maxCompactEntries { convertToHashtable() }
        entries.append(HashEntry(field: field, value: value))
        stringHeapBytes += field.heapBytes + value.heapBytes
        if !isCompact {
            index.insert(UInt32(entries.count - 1), hash: field.storeHash) { entries[Int($0)].field.storeHash }
        }
        return true
    }

    /// Deletes `field` (HDEL); returns true if it existed.
    /// - Complexity: O(1) expected (hashtable), O(n) listpack.
    @discardableResult
    @usableFromInline package func remove(_ field: ByteString) -> Bool {
        guard let p = position(of: field) else { return false }
        stringHeapBytes -= entries[p].field.heapBytes + entries[p].value.heapBytes
        if isCompact {
            entries.remove(at: p)
            return true
        }
        let hashOf = { (s: UInt32) in self.entries[Int(s)].field.storeHash }
        index.remove(UInt32(p), hash: field.storeHash, hashOf: hashOf)
        let last = entries.count - 1
        if p != last {
            index.renumber(UInt32(last), to: UInt32(p), hash: entries[last].field.storeHash)
            entries[p] = entries[last]
        }
        entries.removeLast()
        if entries.isEmpty { entries = [] }
        return true
    }

    /// All field/value pairs (HGETALL), listpack in insertion order.
    /// - Complexity: O(1) (the array is shared copy-on-write).
    @usableFromInline package var allEntries: [HashEntry] { entries }

    /// Calls `body` with each entry, in ``allEntries`` order.
    /// - Complexity: O(n)
    @usableFromInline package func forEach(_ body: (HashEntry) -> Void) {
        for e in entries { body(e) }
    }

    /// One random entry (HRANDFIELD without a count), or nil if empty.
    /// - Complexity: O(1)
    @usableFromInline package func randomEntry(using rng: inout some RandomNumberGenerator) -> HashEntry? {
        entries.isEmpty ? nil : entries[Int.random(in: 0..<entries.count, using: &rng)]
    }

    /// HRANDFIELD with a count: `count >= 0` gives up to `count` distinct entries (all of them
    /// when `count >= self.count`); `count < 0` gives `-count` entries with repetition. The
    /// caller bounds `-count`.
    /// - Complexity: O(|count|) expected.
    @usableFromInline package func randomEntries(count: Int, using rng: inout some RandomNumberGenerator) -> [HashEntry] {
        RandomSelection.positions(count: count, in: entries.count, using: &rng).map { entries[$0] }
    }

    /// Removes every field.
    @usableFromInline package func removeAll() {
        entries = []
        index.removeAll()
        stringHeapBytes = 0
        isCompact = true
    }

    func position(of field: ByteString) -> Int? {
        if isCompact { return entries.firstIndex { $0.field == field } }
        return index.find(hash: field.storeHash) { entries[Int($0)].field == field }.map(Int.init)
    }

    private func convertToHashtable() {
        isCompact = false
        for i in entries.indices {
            index.insert(UInt32(i), hash: entries[i].field.storeHash) { entries[Int($0)].field.storeHash }
        }
    }
}
