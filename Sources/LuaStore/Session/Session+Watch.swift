import LuaStoreCore

/// A key a session WATCHes: the version its shard had for it at WATCH time
/// (``WatchedKeys``) and whether it was already past its deadline then.
struct WatchedKey {
    let key: ByteString
    let hash: UInt64
    let version: UInt64
    let expiredAtWatch: Bool
}

extension Keyspace {
    /// Registers a watcher of `key` in its shard. Takes the shard's lock only: WATCH does
    /// not wait for key locks (Redis has none to wait for).
    func watch(_ key: ByteString) -> WatchedKey {
        let (shard, hash) = shard(for: key)
        let seen = shard.withState { s in s.watch(key, hash: hash) }
        return WatchedKey(key: key, hash: hash, version: seen.version, expiredAtWatch: seen.expired)
    }

    /// Removes the watchers `keys` registered.
    func unwatch(_ keys: [WatchedKey]) {
        for watched in keys {
            shards[shardIndex(watched.hash)].withState { s in s.unwatch(watched.key) }
        }
    }

    /// Whether any of `keys` changed since it was watched: its version moved, or it was
    /// live then and has passed its deadline since (Redis's `isWatchedKeyExpired`).
    func anyChanged(_ keys: [WatchedKey]) -> Bool {
        keys.contains { watched in
            shards[shardIndex(watched.hash)].withState { s in
                s.watches.version(watched.key) != watched.version
                    || (!watched.expiredAtWatch && s.isPresentButExpired(watched.key, hash: watched.hash))
            }
        }
    }
}

extension Session {
    /// WATCH: each key is watched once per session, as Redis's `watchForKey`.
    func watch(_ keys: [ByteString]) {
        for key in keys where !watched.contains(where: { $0.key == key }) {
            watched.append(core.keyspace.watch(key))
        }
    }

    /// Forgets every watched key (UNWATCH, EXEC, DISCARD, the session's end).
    func unwatchAll() {
        guard !watched.isEmpty else { return }
        core.keyspace.unwatch(watched)
        watched = []
    }
}
