import LuaStoreCore

/// The store's own GET and SET, as concrete methods.
///
/// ``KeyValueCommands`` serves the store and transactions alike through its
/// `commandScope` requirement, so its methods reach the scope through a protocol witness
/// and check the scope's restrictions. The store's scope has none, and GET and SET are
/// the calls a cache makes most: these overloads (chosen for any call on a `LuaStore`)
/// go straight to the keyspace. At 1M keys a GET is one cache miss plus its instructions,
/// and nothing overlaps one call's miss with the next one's, so every instruction saved is
/// time saved (Docs/Benchmarks.md, "What a GET at 1M keys costs").
extension LuaStore {
    /// GET: the value, or nil if the key does not exist.
    ///
    /// Redis: `GET key`. The same as ``KeyValueCommands/get(_:)``.
    /// - Throws: `StoreError.wrongType` if the key holds another type.
    /// - Complexity: O(1)
    @inline(__always)
    public func get(_ key: ByteString) throws(StoreError) -> ByteString? {
        try commandScope.keyspace.plainCaller.get(key)
    }

    /// SET: stores `value`; returns false when `condition` prevented the write.
    ///
    /// Redis: `SET key value [NX | XX] [EX | PX | EXAT | PXAT | KEEPTTL] [STICK]`. The same
    /// as ``KeyValueCommands/set(_:_:condition:expiration:stick:)``.
    /// - Complexity: O(1)
    @discardableResult
    public func set(
        _ key: ByteString, _ value: ByteString, condition: SetCondition = .always,
        expiration: Expiration = .none, stick: Bool = false
    ) throws(StoreError) -> Bool {
        if core.settings.maxMemory.load(ordering: .relaxed) != 0 && !core.keyspace.makeRoom(forKey: key) {
            throw .outOfMemory
        }
        if condition == .always && expiration == .none && !stick {
            commandScope.keyspace.plainCaller.set(key, value)
            return true
        }
        return try commandScope.keyspace.plainCaller.set(key, value, condition: condition, expiration: expiration, stick: stick).written
    }
}
