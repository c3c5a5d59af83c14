import LuaStoreCore

extension KeyValueCommands {
    /// SETBIT: sets (`true`) or clears bit `offset` of the string at `key`, growing it with
    /// zero bytes as needed; returns the bit's previous value (0 or 1).
    /// - Throws: `StoreError.bitOffset` outside 0..<2^32; `StoreError.wrongType`.
    /// - Complexity: O(1), O(N) when the string grows
    @discardableResult
    public func setbit(_ key: ByteString, _ offset: Int64, _ value: Bool) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.setbit(key, offset: offset, value: value)
    }

    /// GETBIT: bit `offset` of the string at `key` (0 past its end or for a missing key).
    /// - Complexity: O(1)
    public func getbit(_ key: ByteString, _ offset: Int64) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.getbit(key, offset: offset)
    }

    /// BITCOUNT: the set bits of the string at `key`, or of `range` (a nil `end` counts
    /// to the end of the string).
    /// - Complexity: O(N)
    public func bitcount(_ key: ByteString, range: BitRange? = nil) throws(StoreError) -> Int64 {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.bitcount(key) { range }
    }

    /// BITPOS: the first bit equal to `bit` (0 or 1) in the string at `key` or in
    /// `range`, or -1. A search for 0 without an explicit end treats the string as
    /// followed by zero bits, as Redis does.
    /// - Throws: `StoreError.bitposBitNotZeroOrOne` for another `bit`.
    /// - Complexity: O(N)
    public func bitpos(_ key: ByteString, bit: Int, range: BitRange? = nil) throws(StoreError) -> Int64 {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.bitpos(key, bit: Int64(bit)) { range }
    }

    /// BITOP: stores `operation` over `keys` at `destination` and returns its length
    /// (0 deletes `destination`).
    /// - Throws: `StoreError.bitopNotSingleSource` for `.not` with other than one key.
    /// - Complexity: O(N) in the longest string
    @discardableResult
    public func bitop(_ operation: BitOperation, destination: ByteString, keys: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(destination)
        try scope.check(keys)
        return try scope.keyspace.bitop(operation, destination: destination, sources: keys)
    }

    /// BITFIELD: runs `operations` in order; one value per GET, SET (the previous value)
    /// and INCRBY (the new value), nil for a write refused by `OVERFLOW FAIL`.
    /// - Throws: `StoreError.bitOffset`; `StoreError.wrongType`.
    /// - Complexity: O(1) per operation
    @discardableResult
    public func bitfield(_ key: ByteString, _ operations: [BitfieldOperation]) throws(StoreError) -> [Int64?] {
        let scope = commandScope
        if operations.contains(where: \.writes) { try scope.checkWrite(key) } else { try scope.check(key) }
        return try scope.keyspace.bitfield(key, operations)
    }

    /// BITFIELD_RO: the GET operations of `operations`, in order.
    /// - Throws: `StoreError.bitfieldReadOnly` if `operations` has a SET or INCRBY.
    /// - Complexity: O(1) per operation
    public func bitfieldReadOnly(_ key: ByteString, _ operations: [BitfieldOperation]) throws(StoreError) -> [Int64] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.bitfield(key, operations, readOnly: true).map { $0 ?? 0 }
    }
}
