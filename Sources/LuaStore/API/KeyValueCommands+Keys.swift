import LuaStoreCore

extension KeyValueCommands {
    /// DEL: how many of `keys` existed.
    /// - Complexity: O(N) keys
    @discardableResult
    public func del(_ keys: ByteString...) throws(StoreError) -> Int { try del(keys) }

    /// DEL: how many of `keys` existed.
    @discardableResult
    public func del(_ keys: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(keys)
        var n = 0
        for key in keys where try scope.keyspace.delete(key) { n += 1 }
        return n
    }

    /// EXISTS: how many of `keys` exist (a key named twice counts twice).
    /// - Complexity: O(N) keys
    public func exists(_ keys: ByteString...) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(keys)
        var n = 0
        for key in keys where try scope.keyspace.exists(key) { n += 1 }
        return n
    }

    /// TYPE: "none", "string", "list", "set", "zset" or "hash".
    /// - Complexity: O(1)
    public func type(_ key: ByteString) throws(StoreError) -> String {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.type(key)
    }

    /// EXPIRE / PEXPIRE: a TTL relative to the store's clock; returns whether it was set.
    /// A zero or negative TTL deletes the key.
    /// - Complexity: O(1)
    @discardableResult
    public func expire(_ key: ByteString, after ttl: Duration, condition: ExpireCondition = []) throws(StoreError) -> Bool {
        try expireat(key, milliseconds: commandScope.keyspace.clock.nowMilliseconds() + ttl.milliseconds, condition: condition)
    }

    /// PEXPIREAT: a deadline in Unix milliseconds; returns whether it was set.
    /// - Complexity: O(1)
    @discardableResult
    public func expireat(_ key: ByteString, milliseconds deadline: Int64, condition: ExpireCondition = []) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.expire(key, at: deadline, condition: condition)
    }

    /// PTTL as a value: no key, no TTL, or the milliseconds left.
    /// - Complexity: O(1)
    public func ttl(_ key: ByteString) throws(StoreError) -> TimeToLive {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.timeToLive(key)
    }

    /// PEXPIRETIME as a value: no key, no TTL, or the deadline in Unix milliseconds.
    /// - Complexity: O(1)
    public func expiretime(_ key: ByteString) throws(StoreError) -> TimeToLive {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.expireTime(key)
    }

    /// PERSIST: whether a TTL was removed.
    /// - Complexity: O(1)
    @discardableResult
    public func persist(_ key: ByteString) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.persist(key)
    }

    /// RENAME: moves the value and TTL.
    /// - Throws: `StoreError.noSuchKey` if `source` does not exist.
    /// - Complexity: O(1)
    public func rename(_ source: ByteString, _ destination: ByteString) throws(StoreError) {
        let scope = commandScope
        try scope.checkWrite([source, destination])
        _ = try scope.keyspace.rename(source, to: destination, onlyIfAbsent: false)
    }

    /// RENAMENX: moves the value only if `destination` does not exist.
    /// - Complexity: O(1)
    public func renamenx(_ source: ByteString, _ destination: ByteString) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite([source, destination])
        return try scope.keyspace.rename(source, to: destination, onlyIfAbsent: true)
    }

    /// COPY: copies value and TTL; returns whether it copied.
    /// - Complexity: O(N) in the value's size
    @discardableResult
    public func copy(_ source: ByteString, _ destination: ByteString, replace: Bool = false) throws(StoreError) -> Bool {
        guard source != destination else { throw .sameObject }
        let scope = commandScope
        try scope.checkWrite([source, destination])
        return try scope.keyspace.copy(source, to: destination, replace: replace)
    }

    /// KEYS: every key matching the glob `pattern`.
    /// - Complexity: O(N) over the whole keyspace
    public func keys(_ pattern: ByteString) -> [ByteString] {
        commandScope.keyspace.keys(matching: pattern)
    }

    /// SCAN: one page of keys and the cursor for the next call (0 when done).
    /// - Complexity: O(count) per call
    public func scan(cursor: UInt64, match: ByteString? = nil, count: Int = 10, type: String? = nil) -> ScanResult<ByteString> {
        let page = commandScope.keyspace.scan(cursor: cursor, count: max(1, count), pattern: match, type: type)
        return ScanResult(cursor: page.cursor, elements: page.keys)
    }

    /// RANDOMKEY
    /// - Complexity: O(1) expected
    public func randomkey() -> ByteString? { commandScope.keyspace.randomKey() }

    /// DBSIZE
    /// - Complexity: O(shards)
    public func dbsize() -> Int { commandScope.keyspace.keyCount }

    /// FLUSHALL: drops every key (waiting for key locks held by others).
    /// - Complexity: O(N)
    public func flushall() {
        let scope = commandScope
        scope.keyspace.flush()
    }

    /// STICK (Dragonfly): marks keys so eviction never drops them; returns how many were
    /// newly marked.
    /// - Complexity: O(N) keys
    @discardableResult
    public func stick(_ keys: ByteString...) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(keys)
        var n = 0
        for key in keys where try scope.keyspace.stick(key) { n += 1 }
        return n
    }
}
