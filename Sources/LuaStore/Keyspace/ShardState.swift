import LuaStoreCore

/// Everything one shard owns, reachable only through its mutex (``Shard/withState(_:)``).
///
/// Expiry is lazy (a key found past its deadline is deleted on access) and active
/// (``expireSome(limit:)`` walks the slots with deadlines a few at a time, driven by
/// writes and by ``LuaStore/purgeExpired()``).
struct ShardState {
    var table = KeyTable()
    /// Deadlines in Unix ms, by slot; only keys with a TTL appear here.
    var expires: [UInt32: Int64] = [:]
    var locks = ShardLocks()
    /// Incremented whenever a key lock in this shard is released (see ``Parking``).
    var releaseGeneration: UInt64 = 0
    /// Where the next active-expiry step resumes, as a slot index.
    var expireCursor = 0
    let clock: any StoreClock

    init(clock: any StoreClock) { self.clock = clock }

    // MARK: Lookup

    /// The slot of a live key, deleting it first if its deadline has passed.
    /// - Complexity: O(1) expected.
    @inline(__always)
    mutating func lookup(_ key: ByteString, hash: UInt64) -> Int? {
        guard let slot = table.find(key, hash: hash) else { return nil }
        if table[slot].hasExpire && isExpired(slot) {
            delete(slot: slot)
            return nil
        }
        return slot
    }

    /// The value of the kind `extract` accepts stored under a live `key`, with its slot;
    /// nil when the key is missing. Each collection family names its kind with one line.
    /// - Throws: ``StoreError/wrongType`` when the key holds another kind.
    @inline(__always)
    mutating func collection<T>(_ key: ByteString, hash: UInt64, _ extract: (Value) -> T?) throws(StoreError) -> (Int, T)? {
        guard let slot = lookup(key, hash: hash) else { return nil }
        guard let value = extract(table[slot].value) else { throw .wrongType }
        return (slot, value)
    }

    @inline(__always)
    func isExpired(_ slot: Int) -> Bool {
        guard let deadline = expires[UInt32(slot)] else { return false }
        return deadline <= clock.nowMilliseconds()
    }

    // MARK: Mutation

    /// Stores `value` under `key`, replacing any value; the TTL is cleared unless
    /// `keepTTL`. Returns the slot.
    @discardableResult
    mutating func store(_ key: ByteString, hash: UInt64, value: Value, keepTTL: Bool = false) -> Int {
        store(key, hash: hash, value: value, keepTTL: keepTTL, at: lookup(key, hash: hash))
    }

    /// ``store(_:hash:value:keepTTL:)`` for a caller that already looked the key up:
    /// `slot` is what ``lookup(_:hash:)`` returned.
    @discardableResult
    mutating func store(_ key: ByteString, hash: UInt64, value: Value, keepTTL: Bool, at slot: Int?) -> Int {
        if let slot {
            table[slot].value = value
            if !keepTTL { setDeadline(slot: slot, nil) }
            return slot
        }
        let slot = table.insert(key, hash: hash, value: value)
        expireSome(limit: 2)
        return slot
    }

    /// Deletes the key in `slot`.
    mutating func delete(slot: Int) {
        if table[slot].hasExpire { expires[UInt32(slot)] = nil }
        table.remove(slot: slot)
    }

    /// The deadline (Unix ms) of the key in `slot`, if it has one.
    func deadline(slot: Int) -> Int64? {
        table[slot].hasExpire ? expires[UInt32(slot)] : nil
    }

    /// Sets or clears the deadline of the key in `slot`.
    mutating func setDeadline(slot: Int, _ deadline: Int64?) {
        if let deadline {
            expires[UInt32(slot)] = deadline
            table[slot].hasExpire = true
        } else if table[slot].hasExpire {
            expires[UInt32(slot)] = nil
            table[slot].hasExpire = false
        }
    }

    /// Active expiry: examines up to `limit` slots from the cursor, deleting keys past
    /// their deadline. Cheap enough to run on every insert.
    mutating func expireSome(limit: Int) {
        guard !expires.isEmpty else { return }
        let n = table.entries.count
        guard n > 0 else { return }
        let now = clock.nowMilliseconds()
        for _ in 0..<min(limit, n) {
            if expireCursor >= n { expireCursor = 0 }
            let slot = expireCursor
            expireCursor += 1
            if table[slot].hasExpire, let d = expires[UInt32(slot)], d <= now {
                delete(slot: slot)
            }
        }
    }

    /// Deletes every key past its deadline. Returns how many.
    @discardableResult
    mutating func expireAll() -> Int {
        let now = clock.nowMilliseconds()
        let due = expires.filter { $0.value <= now }.map { Int($0.key) }
        for slot in due { delete(slot: slot) }
        return due.count
    }

    /// Drops every key (locks are untouched).
    mutating func removeAll() {
        table.removeAll()
        expires = [:]
        expireCursor = 0
    }
}
