import LuaStoreCore

/// The hash commands as typed calls.
extension KeyValueCommands {
    /// HSET: sets each field; returns how many fields were new.
    /// - Complexity: O(N) fields
    @discardableResult
    public func hset(_ key: ByteString, _ pairs: [(field: ByteString, value: ByteString)]) throws(StoreError) -> Int {
        if pairs.isEmpty { throw .wrongArity(command: "hset") }
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.hset(key, pairs)
    }

    /// HSET key field value: whether the field is new.
    /// - Complexity: O(1)
    @discardableResult
    public func hset(_ key: ByteString, _ field: ByteString, _ value: ByteString) throws(StoreError) -> Bool {
        try hset(key, [(field, value)]) == 1
    }

    /// HMSET: HSET without the count (Redis keeps it for old clients).
    /// - Complexity: O(N) fields
    public func hmset(_ key: ByteString, _ pairs: [(field: ByteString, value: ByteString)]) throws(StoreError) {
        try hset(key, pairs)
    }

    /// HSETNX: sets the field only if it does not exist; returns whether it did.
    /// - Complexity: O(1)
    @discardableResult
    public func hsetnx(_ key: ByteString, _ field: ByteString, _ value: ByteString) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.hsetnx(key, field, value)
    }

    /// HGET
    /// - Complexity: O(1)
    public func hget(_ key: ByteString, _ field: ByteString) throws(StoreError) -> ByteString? {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.hget(key, field)
    }

    /// HMGET: one optional value per field.
    /// - Complexity: O(N) fields
    public func hmget(_ key: ByteString, _ fields: [ByteString]) throws(StoreError) -> [ByteString?] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.hmget(key, fields)
    }

    /// HGETALL: every field and value (insertion order while the hash is small, as Redis).
    /// - Complexity: O(n)
    public func hgetall(_ key: ByteString) throws(StoreError) -> [HashEntry] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.hgetall(key)
    }

    /// HKEYS
    /// - Complexity: O(n)
    public func hkeys(_ key: ByteString) throws(StoreError) -> [ByteString] { try hgetall(key).map(\.field) }

    /// HVALS
    /// - Complexity: O(n)
    public func hvals(_ key: ByteString) throws(StoreError) -> [ByteString] { try hgetall(key).map(\.value) }

    /// HDEL: how many of `fields` were removed (the key goes with its last field).
    /// - Complexity: O(N) fields
    @discardableResult
    public func hdel(_ key: ByteString, _ fields: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.hdel(key, fields)
    }

    /// HEXISTS
    /// - Complexity: O(1)
    public func hexists(_ key: ByteString, _ field: ByteString) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.hexists(key, field)
    }

    /// HLEN
    /// - Complexity: O(1)
    public func hlen(_ key: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.hlen(key)
    }

    /// HSTRLEN: the value's length in bytes, 0 if missing.
    /// - Complexity: O(1)
    public func hstrlen(_ key: ByteString, _ field: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.hstrlen(key, field)
    }

    /// HINCRBY: the new value.
    /// - Throws: `ERR hash value is not an integer`, `StoreError.overflow`.
    /// - Complexity: O(1)
    @discardableResult
    public func hincrby(_ key: ByteString, _ field: ByteString, _ increment: Int64) throws(StoreError) -> Int64 {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.hincrby(key, field, increment)
    }

    /// HINCRBYFLOAT: the new value as Redis formats it (`long double` arithmetic).
    /// - Throws: `ERR value is NaN or Infinity` for such an increment, `ERR hash value is
    ///   not a float`, `StoreError.notFloatIncrNaNOrInf`.
    /// - Complexity: O(1)
    @discardableResult
    public func hincrbyfloat(_ key: ByteString, _ field: ByteString, _ increment: Double) throws(StoreError) -> ByteString {
        // Through its shortest decimal text, as HINCRBYFLOAT would read it: 0.1 must add
        // the long double nearest 0.1, not the long double equal to the Double 0.1. NaN
        // and infinities go through as they are, for the op to refuse.
        guard let delta = increment.isFinite ? LongDoubleText.parse(ByteString(String(increment))) : LongDouble(increment)
        else { throw .notFloat }
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.hincrbyfloat(key, field, delta)
    }

    /// HRANDFIELD key: one random field, nil if the key is missing.
    /// - Complexity: O(1)
    public func hrandfield(_ key: ByteString) throws(StoreError) -> ByteString? {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.hrandfield(key, count: nil)?.first?.field
    }

    /// HRANDFIELD key count: `count >= 0` distinct entries (the whole hash if it is
    /// smaller), `count < 0` gives `-count` entries that may repeat.
    /// - Complexity: O(|count|)
    public func hrandfield(_ key: ByteString, count: Int) throws(StoreError) -> [HashEntry] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.hrandfield(key, count: count) ?? []
    }

    /// HSCAN key cursor [MATCH pattern] [COUNT count]: one page of field/value entries of a
    /// cursor iteration, and the cursor to pass next (0 when the iteration is done). Start
    /// from cursor 0.
    ///
    /// A field present from the first call to the last is returned at least once, perhaps
    /// more, whatever is added or removed in between. A listpack hash comes back whole with
    /// cursor 0. `count` is a hint of how many fields to visit, before `match` (a glob on
    /// the field; nil or `*`: all) filters them.
    /// - Throws: `StoreError.wrongType` if the key holds another type.
    /// - Complexity: O(count) per call; O(N) for a listpack hash.
    public func hscan(
        _ key: ByteString, cursor: UInt64, match pattern: ByteString? = nil, count: Int = 10
    ) throws(StoreError) -> ScanResult<HashEntry> {
        let scope = commandScope
        try scope.check(key)
        let filter = ScanArguments.effectivePattern(pattern)
        return ScanResult(try scope.keyspace.hscan(key, cursor: cursor, count: max(1, count), pattern: filter)
            ?? (0, []))
    }

    /// A complete HSCAN iteration in one call: every entry whose field matches `pattern`
    /// (nil or `*`: all), each once, read atomically. ``hscan(_:cursor:match:count:)``
    /// pages a large hash instead.
    /// - Complexity: O(n)
    public func hscan(_ key: ByteString, match pattern: ByteString? = nil) throws(StoreError) -> [HashEntry] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.hscan(key, pattern: ScanArguments.effectivePattern(pattern)) ?? []
    }
}
