import LuaStoreCore

extension KeyValueCommands {
    /// GET: the value, or nil if the key does not exist.
    /// - Throws: `StoreError.wrongType` if the key holds another type.
    /// - Complexity: O(1)
    public func get(_ key: ByteString) throws(StoreError) -> ByteString? {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.get(key)
    }

    /// SET: stores `value`; returns false when `condition` prevented the write.
    /// - Parameters:
    ///   - key: the key.
    ///   - value: the bytes to store.
    ///   - condition: NX (`.ifAbsent`) or XX (`.ifPresent`).
    ///   - expiration: `.none` clears any TTL (as SET does), `.keep` is KEEPTTL,
    ///     `.at(milliseconds:)` a Unix-ms deadline.
    ///   - stick: Dragonfly's STICK: eviction never drops the key.
    /// - Complexity: O(1)
    @discardableResult
    public func set(
        _ key: ByteString, _ value: ByteString, condition: SetCondition = .always,
        expiration: Expiration = .none, stick: Bool = false
    ) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite(key)
        if condition == .always && expiration == .none && !stick {
            scope.keyspace.set(key, value)
            return true
        }
        return try scope.keyspace.set(key, value, condition: condition, expiration: expiration, stick: stick).written
    }

    /// SET with a TTL relative to the store's clock (EX / PX).
    /// - Complexity: O(1)
    @discardableResult
    public func set(_ key: ByteString, _ value: ByteString, ttl: Duration, condition: SetCondition = .always) throws(StoreError) -> Bool {
        let deadline = commandScope.keyspace.clock.nowMilliseconds() + ttl.milliseconds
        return try set(key, value, condition: condition, expiration: .at(milliseconds: deadline))
    }

    /// SET key value GET: stores `value` and returns the previous value.
    /// - Complexity: O(1)
    public func getset(_ key: ByteString, _ value: ByteString) throws(StoreError) -> ByteString? {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.set(key, value, get: true).previous
    }

    /// GETDEL
    /// - Complexity: O(1)
    public func getdel(_ key: ByteString) throws(StoreError) -> ByteString? {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.getdel(key)
    }

    /// GETEX: the value, with its TTL changed to `expiration` (`.none` is PERSIST).
    /// - Complexity: O(1)
    public func getex(_ key: ByteString, expiration: Expiration) throws(StoreError) -> ByteString? {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.getex(key) { expiration }
    }

    /// MGET: one optional value per key (nil for missing keys and other types).
    /// - Complexity: O(N)
    public func mget(_ keys: [ByteString]) throws(StoreError) -> [ByteString?] {
        let scope = commandScope
        try scope.check(keys)
        return scope.keyspace.mget(keys)
    }

    /// MSET: sets every pair atomically.
    /// - Complexity: O(N)
    public func mset(_ pairs: [(ByteString, ByteString)]) throws(StoreError) {
        let scope = commandScope
        try scope.checkWrite(pairs.map(\.0))
        scope.keyspace.mset(pairs, onlyIfNoneExist: false)
    }

    /// MSETNX: sets every pair only if none of the keys exists; returns whether it did.
    /// - Complexity: O(N)
    public func msetnx(_ pairs: [(ByteString, ByteString)]) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite(pairs.map(\.0))
        return scope.keyspace.mset(pairs, onlyIfNoneExist: true)
    }

    /// INCR
    /// - Complexity: O(1)
    @discardableResult
    public func incr(_ key: ByteString) throws(StoreError) -> Int64 { try incrby(key, 1) }

    /// DECR
    /// - Complexity: O(1)
    @discardableResult
    public func decr(_ key: ByteString) throws(StoreError) -> Int64 { try incrby(key, -1) }

    /// INCRBY: the new value.
    /// - Throws: `StoreError.notInteger` if the value is not an integer,
    ///   `StoreError.overflow` past 64 bits.
    /// - Complexity: O(1)
    @discardableResult
    public func incrby(_ key: ByteString, _ increment: Int64) throws(StoreError) -> Int64 {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.incrBy(key, increment)
    }

    /// DECRBY: the new value.
    /// - Complexity: O(1)
    @discardableResult
    public func decrby(_ key: ByteString, _ decrement: Int64) throws(StoreError) -> Int64 {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.decrBy(key, decrement)
    }

    /// INCRBYFLOAT: the new value, as Redis formats it.
    /// - Complexity: O(1)
    @discardableResult
    public func incrbyfloat(_ key: ByteString, _ increment: Double) throws(StoreError) -> ByteString {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.incrByFloat(key) { () throws(StoreError) -> LongDouble in
                // Through the shortest decimal text, as the command receives it: 0.1 adds the
                // long double nearest 0.1, not the binary Double 0.1000000000000000055...
                guard let delta = LongDoubleText.parse(ByteString(String(increment))) else { throw .notFloat }
                return delta
            }
    }

    /// APPEND: the new length.
    /// - Complexity: O(1) amortized
    @discardableResult
    public func append(_ key: ByteString, _ value: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.append(key, value)
    }

    /// STRLEN
    /// - Complexity: O(1)
    public func strlen(_ key: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.strlen(key)
    }

    /// GETRANGE with Redis's inclusive, negative-from-the-end indices.
    /// - Complexity: O(N) in the returned length
    public func getrange(_ key: ByteString, _ start: Int, _ end: Int) throws(StoreError) -> ByteString {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.getrange(key, start: Int64(start), end: Int64(end))
    }

    /// SETRANGE: the new length.
    /// - Complexity: O(M) in the resulting length
    @discardableResult
    public func setrange(_ key: ByteString, _ offset: Int, _ value: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.setrange(key, offset: Int64(offset), value)
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
