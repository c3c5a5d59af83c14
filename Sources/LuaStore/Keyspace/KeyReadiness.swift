import LuaStoreCore

extension Keyspace {
    /// Tells callers blocked on `key` (BLPOP, BZPOPMIN, ...) that it may now have data.
    /// Write operations that add elements to a list or sorted set call it after they
    /// have released the shard lock.
    func signalKeyReady(_ key: ByteString) {}
}
