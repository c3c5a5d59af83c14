import LuaStoreCore

extension KeyValueCommands {
    /// PFADD: adds `elements` to the HyperLogLog at `key` (created if missing); true if
    /// its estimate may have changed (a register changed, or the key was created).
    /// - Throws: `StoreError.notHyperLogLog` for a string that is not a HyperLogLog,
    ///   `StoreError.corruptHyperLogLog`, `StoreError.wrongType`.
    /// - Complexity: O(1) per element
    @discardableResult
    public func pfadd(_ key: ByteString, _ elements: [ByteString]) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.pfadd(key, elements)
    }

    /// PFCOUNT: the estimated number of distinct elements added to the union of `keys`.
    /// With one key, the estimate is cached in the value (as Redis does).
    /// - Complexity: O(1) with one key and a valid cache, O(N) with N keys
    public func pfcount(_ keys: [ByteString]) throws(StoreError) -> Int64 {
        let scope = commandScope
        try scope.check(keys)
        return try scope.keyspace.pfcount(keys)
    }

    /// PFMERGE: stores the union of `destination` and `sources` at `destination`.
    /// - Complexity: O(N) in the number of keys
    public func pfmerge(_ destination: ByteString, _ sources: [ByteString]) throws(StoreError) {
        let scope = commandScope
        try scope.checkWrite(destination)
        try scope.check(sources)
        try scope.keyspace.pfmerge(destination, sources)
    }
}
