import LuaStoreCore

/// The keys of one shard that sessions WATCH, each with a version that every change to
/// the key bumps: a write command's write (``ShardState/finishWrite(_:hash:failed:)``, and
/// ``LockedShards/finishWrites(_:hashes:access:)`` for the keys a multi-key command
/// writes), and every removal (``ShardState/delete(slot:)``: DEL, expiry, eviction, a
/// collection emptied) and flush (``ShardState/removeAll()``). EXEC compares the version
/// a session saw at WATCH time with the current one.
///
/// ## Cost when nobody watches
/// Nothing is looked up on a write unless the shard's ``ShardState/pendingFinish`` has
/// its ``ShardState/watchingBit`` set, and that byte is the one a write already tests
/// for its collection settlement (``ShardState/collectionsTouched``): a plain SET tests one
/// byte, as before.
///
/// # Thread safety
/// Part of ``ShardState``: reached only under the shard's lock.
struct WatchedKeys {
    struct Entry {
        /// Sessions (and typed `watch` calls) watching the key.
        var watchers: Int
        /// Bumped on every change; compared, never interpreted.
        var version: UInt64
    }

    private(set) var entries: [ByteString: Entry] = [:]

    var isEmpty: Bool { entries.isEmpty }

    /// Registers one more watcher of `key`; returns the key's current version.
    mutating func add(_ key: ByteString) -> UInt64 {
        entries[key, default: Entry(watchers: 0, version: 0)].watchers += 1
        return entries[key]!.version
    }

    /// Removes one watcher of `key`, forgetting the key with its last watcher.
    mutating func remove(_ key: ByteString) {
        guard var entry = entries[key] else { return }
        entry.watchers -= 1
        entries[key] = entry.watchers > 0 ? entry : nil
    }

    /// The version of a watched `key` (0 if nobody watches it).
    func version(_ key: ByteString) -> UInt64 { entries[key]?.version ?? 0 }

    /// Records a change of `key`, if it is watched.
    @inline(__always)
    mutating func touch(_ key: ByteString) {
        if entries[key] != nil { entries[key]!.version &+= 1 }
    }
}

extension ShardState {
    /// ``pendingFinish``'s bit for "collections were reached for writing".
    static var collectionsBit: UInt8 { 1 }
    /// ``pendingFinish``'s bit for "some key of this shard is watched".
    static var watchingBit: UInt8 { 2 }

    /// A collection was reached for writing or stored since the last settle.
    var collectionsTouched: Bool {
        @inline(__always) get { pendingFinish & ShardState.collectionsBit != 0 }
        @inline(__always) set {
            pendingFinish = newValue ? pendingFinish | ShardState.collectionsBit : pendingFinish & ~ShardState.collectionsBit
        }
    }

    /// Whether some session watches a key of this shard.
    var isWatching: Bool {
        @inline(__always) get { pendingFinish & ShardState.watchingBit != 0 }
    }

    /// Registers a watcher of `key` (WATCH): its version, and whether the key is present
    /// but already past its deadline (Redis's `expired` flag of a watched key: such a key
    /// expiring is no change). Looks without deleting: a key another owner holds must
    /// not vanish under it.
    mutating func watch(_ key: ByteString, hash: UInt64) -> (version: UInt64, expired: Bool) {
        let version = watches.add(key)
        pendingFinish |= ShardState.watchingBit
        return (version, isPresentButExpired(key, hash: hash))
    }

    /// Removes a watcher of `key` (UNWATCH, EXEC, DISCARD, a session's end).
    mutating func unwatch(_ key: ByteString) {
        watches.remove(key)
        if watches.isEmpty { pendingFinish &= ~ShardState.watchingBit }
    }

    /// Whether `key` is in the table with its deadline passed (not yet deleted).
    func isPresentButExpired(_ key: ByteString, hash: UInt64) -> Bool {
        guard let slot = table.find(key, hash: hash) else { return false }
        return table[slot].hasExpire && isExpired(slot)
    }

    /// The part of ``finishWrite(_:hash:failed:)`` that runs only when ``pendingFinish`` is
    /// set: settle the collections the write touched, record the change for watchers
    /// unless the write failed (a failed command changes nothing).
    @inline(never)
    mutating func finishFlagged(_ key: ByteString, hash: UInt64, failed: Bool) {
        if collectionsTouched {
            collectionsTouched = false
            settle(key, hash: hash)
        }
        if isWatching && !failed { touchWritten(key, hash: hash) }
    }

    /// Records a change of a watched `key` that a write command wrote, if the key is
    /// there now: a key the write removed was recorded by ``delete(slot:)``, and one it
    /// never created (DEL or SREM of a missing key) did not change.
    @inline(__always)
    mutating func touchWritten(_ key: ByteString, hash: UInt64) {
        if table.find(key, hash: hash) != nil { watches.touch(key) }
    }

    /// Records, before a flush, a change of every watched key the table holds (Redis
    /// touches the watched keys that existed).
    mutating func touchWatchedBeforeFlush() {
        guard isWatching else { return }
        for key in watches.entries.keys where table.find(key, hash: key.storeHash) != nil {
            watches.touch(key)
        }
    }
}
