import LuaStoreCore

/// Everything one shard owns, reachable only through its mutex (``Shard/withState(_:)``).
///
/// Expiry is lazy (a key found past its deadline is deleted on access) and active
/// (``expireSome(limit:)`` walks the slots with deadlines a few at a time, driven by
/// inserts; ``sweepExpired(examining:)`` is the background sweep's step, see
/// ``ActiveExpiry``).
struct ShardState: ~Copyable {
    var table: KeyTable
    /// Deadlines in Unix ms, by key (slots move, see ``KeyTable``); only keys with a TTL
    /// appear here, and their entries carry ``KeyTable/Entry/hasExpire``.
    var expires: [ByteString: Int64] = [:]
    var locks = ShardLocks()
    /// Incremented whenever a key lock in this shard is released (see ``Parking``).
    var releaseGeneration: UInt64 = 0
    /// Where the next active-expiry step resumes, as a slot index.
    var expireCursor = 0
    /// Keys deleted because their deadline passed (INFO's `expired_keys`).
    var expiredKeys = 0
    /// Accounted bytes beyond the entries and deadlines: long keys, long strings,
    /// collections (``usedMemory``, ShardState+Memory.swift).
    var heapBytes = 0
    /// Work a write leaves for ``finishWrite(_:hash:failed:)``: ``collectionsTouched`` and
    /// ``isWatching`` as bits of one byte, so a write that needs neither tests one byte.
    var pendingFinish: UInt8 = 0
    /// Keys sessions WATCH, with their change versions (WatchedKeys.swift).
    var watches = WatchedKeys()
    /// This shard's share of the memory bound and its eviction state.
    var eviction = EvictionState()
    /// Reads that found their key, and that did not (INFO's `keyspace_hits` and
    /// `keyspace_misses`): counted where reads take the shard lock, that is under the
    /// policies that record accesses (``EvictionState/tracksAccess``).
    var keyspaceHits = 0
    var keyspaceMisses = 0
    /// Expired and evicted keys' notifications, published after the lock is released.
    var events = ShardEvents()
    let clock: any StoreClock
    /// Told when this shard gets its first deadline (starts the background sweep).
    let expiry: ActiveExpiry?

    /// `hint`: where the table publishes its address (see ``TableHint``).
    init(clock: any StoreClock, hint: UnsafePointer<TableHint>? = nil, expiry: ActiveExpiry? = nil) {
        self.clock = clock
        self.expiry = expiry
        table = KeyTable(hint: hint)
    }

    // MARK: Lookup

    /// The slot of a live key, deleting it first if its deadline has passed.
    /// - Complexity: O(1) expected.
    @inline(__always)
    mutating func lookup(_ key: ByteString, hash: UInt64) -> Int? {
        guard let slot = table.find(key, hash: hash) else { return nil }
        guard let live = live(slot) else { return nil }
        if eviction.tracksAccess { touch(live) }
        return live
    }

    /// `slot` if its key is live; nil after deleting it if it has expired.
    @inline(__always)
    mutating func live(_ slot: Int) -> Int? {
        if table[slot].hasExpire && isExpired(slot) {
            recordEvent(.expired, "expired", slot: slot)
            delete(slot: slot)
            expiredKeys += 1
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
        collectionsTouched = true
        return (slot, value)
    }

    @inline(__always)
    func isExpired(_ slot: Int) -> Bool {
        guard let deadline = deadline(slot: slot) else { return false }
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
    /// `slot` is what ``lookup(_:hash:)`` returned, with no insert or delete in this
    /// shard since (they move slots).
    ///
    /// A new key is inserted after a short active-expiry step, so the slot returned is
    /// the new key's.
    @discardableResult
    mutating func store(_ key: ByteString, hash: UInt64, value: Value, keepTTL: Bool, at slot: Int?) -> Int {
        charge(value)
        if let slot {
            discharge(table[slot].value)
            table[slot].value = value
            if !keepTTL { setDeadline(slot: slot, nil) }
            return slot
        }
        expireSome(limit: 2)
        let slot = table.insert(key, hash: hash, value: value)
        heapBytes &+= table[slot].key.heapBytes
        if eviction.tracksAccess { table[slot].access = initialAccess() }
        if eviction.sketch != nil { enterWindow(slot) }
        return slot
    }

    /// Replaces the value of the live key in `slot`, keeping its TTL.
    mutating func replaceValue(slot: Int, with value: Value) {
        charge(value)
        discharge(table[slot].value)
        table[slot].value = value
    }

    /// Plain SET's write (no option): `value` under `key`, with no TTL. A key that exists
    /// and has no TTL gets its value replaced in one access to its entry; anything else
    /// goes through ``store(_:hash:value:keepTTL:at:)``.
    /// `value` is consumed: the common case moves it into the entry, with no copy of it
    /// and no destruction of a copy.
    @inline(__always)
    mutating func storePlain(_ key: ByteString, hash: UInt64, value: consuming Value) {
        guard let slot = table.find(key, hash: hash) else {
            store(key, hash: hash, value: value, keepTTL: false, at: nil)
            return
        }
        if !table[slot].hasExpire {
            heapBytes &+= value.accountedEstimate
            discharge(table[slot].value)
            if eviction.tracksAccess { touch(slot) }
            table.replaceValue(slot: slot, with: value)
            return
        }
        store(key, hash: hash, value: value, keepTTL: false, at: live(slot))
    }

    /// Deletes `key` if the table holds it. For commands over several keys, where a slot
    /// looked up earlier may have moved since (a lookup of another key in this shard can
    /// delete an expired key, and deleting shifts slots; see ``KeyTable``).
    mutating func delete(_ key: ByteString, hash: UInt64) {
        if let slot = table.find(key, hash: hash) { delete(slot: slot) }
    }

    /// Deletes the key in `slot`.
    mutating func delete(slot: Int) {
        let removed = table.remove(slot: slot)
        if isWatching { watches.touch(removed.key.byteString) }
        heapBytes &-= removed.key.heapBytes
        discharge(removed.value)
        if removed.hasExpire { expires[removed.key.byteString] = nil }
    }

    /// The deadline (Unix ms) of the key in `slot`, if it has one.
    func deadline(slot: Int) -> Int64? {
        table[slot].hasExpire ? expires[table[slot].key.byteString] : nil
    }

    /// Sets or clears the deadline of the key in `slot`.
    mutating func setDeadline(slot: Int, _ deadline: Int64?) {
        if let deadline {
            if expires.isEmpty { expiry?.start() }
            expires[table[slot].key.byteString] = deadline
            table[slot].hasExpire = true
        } else if table[slot].hasExpire {
            expires[table[slot].key.byteString] = nil
            table[slot].hasExpire = false
        }
    }

    /// Active expiry: examines up to `limit` positions from the cursor, deleting keys past
    /// their deadline (except keys a script or transaction holds). Cheap enough to run on
    /// every insert. Deleting shifts later entries back, so the cursor then stays put;
    /// shifts elsewhere may make it skip or revisit a key, which the next sweep (or an
    /// access) catches.
    mutating func expireSome(limit: Int) {
        guard !expires.isEmpty, locks.wholeShardOwner == 0 else { return }
        let now = clock.nowMilliseconds()
        // A removal may shrink the table: its size is read again every step.
        for _ in 0..<limit where table.positions > 0 {
            if expireCursor >= table.positions { expireCursor = 0 }
            let slot = expireCursor
            if table[slot].hasExpire, let d = deadline(slot: slot), d <= now,
               !locks.isHeld(table[slot].key.byteString, byOtherThan: .none) {
                recordEvent(.expired, "expired", slot: slot)
                delete(slot: slot)
                expiredKeys += 1
            } else {
                expireCursor += 1
            }
        }
    }

    /// Deletes every key past its deadline. Returns how many.
    @discardableResult
    mutating func expireAll() -> Int {
        let now = clock.nowMilliseconds()
        guard locks.wholeShardOwner == 0 else { return 0 }
        let due = expires.filter { $0.value <= now && !locks.isHeld($0.key, byOtherThan: .none) }.map(\.key)
        for key in due {
            if let slot = table.find(key, hash: key.storeHash) {
                recordEvent(.expired, "expired", slot: slot)
                delete(slot: slot)
            }
        }
        expiredKeys += due.count
        return due.count
    }

    /// FLUSHALL's part in this shard, for `owner` (``Owner/none`` for a plain caller):
    /// drops every key except those another owner holds key locks on, which are flagged
    /// and dropped when released; a shard another owner holds whole is emptied when it
    /// is released.
    mutating func flush(by owner: Owner) {
        if locks.wholeShardOwner != 0 && locks.wholeShardOwner != owner.id {
            locks.flushOnWholeShardRelease = true
            return
        }
        if locks.flagHeldKeysForFlush(by: owner) == 0 {
            removeAll()
            return
        }
        var slot = 0
        while slot < table.positions {
            // A removal shifts the rest of the cluster back one position: look again.
            if table.isFree(slot) || locks.isHeld(table[slot].key.byteString, byOtherThan: owner) {
                slot += 1
            } else {
                delete(slot: slot)
            }
        }
    }

    /// Drops every key (locks are untouched).
    mutating func removeAll() {
        touchWatchedBeforeFlush()
        table.removeAll()
        heapBytes = 0
        eviction.pool.removeAll()
        eviction.window.removeAll()
        expires = [:]
        expireCursor = 0
    }
}
