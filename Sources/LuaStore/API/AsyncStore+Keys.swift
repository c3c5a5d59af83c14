import LuaStoreCore

/// The commands that take their keys one at a time: the view waits for each held key in
/// turn, so a key already done is not done again (the synchronous calls, too, take one key
/// after the other, waiting where a key is held).
extension AsyncStore {
    /// DEL: how many of `keys` existed. Suspends while a running script or transaction
    /// holds the next key.
    /// - Complexity: O(N) keys
    @discardableResult
    public func del(_ keys: ByteString...) async throws -> Int { try await del(keys) }

    /// DEL: how many of `keys` existed. Suspends while a running script or transaction
    /// holds the next key.
    @discardableResult
    public func del(_ keys: [ByteString]) async throws -> Int {
        try await count(keys) { key throws(StoreError) in try store.del(key) }
    }

    /// EXISTS: how many of `keys` exist (a key named twice counts twice). Suspends while a
    /// running script or transaction holds the next key.
    public func exists(_ keys: ByteString...) async throws -> Int {
        try await count(keys) { key throws(StoreError) in try store.exists(key) }
    }

    /// STICK (Dragonfly): marks keys so eviction never drops them; returns how many were
    /// newly marked. Suspends while a running script or transaction holds the next key.
    @discardableResult
    public func stick(_ keys: ByteString...) async throws -> Int {
        try await count(keys) { key throws(StoreError) in try store.stick(key) }
    }

    /// Sums `command` over `keys`, one key at a time.
    private func count(_ keys: [ByteString], _ command: (ByteString) throws(StoreError) -> Int) async throws -> Int {
        var n = 0
        for key in keys {
            n += try await attempt { () throws(StoreError) -> Int in try command(key) }
        }
        return n
    }
}
