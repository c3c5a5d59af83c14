import LuaStoreCore

/// The list commands of the typed API. Indices follow Redis: negative ones count from the
/// tail (-1 is the last element); out-of-range ranges are clamped.
extension KeyValueCommands {
    /// LPUSH: inserts `elements` at the head, one after the other (so the last ends up
    /// first); returns the new length. Wakes callers blocked on `key`.
    /// - Throws: `StoreError.wrongType` if the key holds another type.
    /// - Complexity: O(1) per element.
    @discardableResult
    public func lpush(_ key: ByteString, _ elements: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.push(key, elements[...], to: .left)
    }

    /// RPUSH: appends `elements` at the tail; returns the new length.
    /// - Complexity: O(1) per element.
    @discardableResult
    public func rpush(_ key: ByteString, _ elements: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.push(key, elements[...], to: .right)
    }

    /// LPUSHX: LPUSH only if the list exists; returns the new length, 0 if it does not.
    /// - Complexity: O(1) per element.
    @discardableResult
    public func lpushx(_ key: ByteString, _ elements: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.push(key, elements[...], to: .left, onlyIfExists: true)
    }

    /// RPUSHX: RPUSH only if the list exists; returns the new length, 0 if it does not.
    /// - Complexity: O(1) per element.
    @discardableResult
    public func rpushx(_ key: ByteString, _ elements: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.push(key, elements[...], to: .right, onlyIfExists: true)
    }

    /// LPOP: removes and returns the first element, or nil if the key does not exist.
    /// - Complexity: O(1)
    public func lpop(_ key: ByteString) throws(StoreError) -> ByteString? {
        try lpop(key, count: 1)?.first
    }

    /// LPOP key count: up to `count` elements from the head, or nil if the key does not exist.
    /// - Complexity: O(count)
    public func lpop(_ key: ByteString, count: Int) throws(StoreError) -> [ByteString]? {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.pop(key, from: .left, count: count)
    }

    /// RPOP: removes and returns the last element, or nil if the key does not exist.
    /// - Complexity: O(1)
    public func rpop(_ key: ByteString) throws(StoreError) -> ByteString? {
        try rpop(key, count: 1)?.first
    }

    /// RPOP key count: up to `count` elements from the tail (last first), or nil if the key
    /// does not exist.
    /// - Complexity: O(count)
    public func rpop(_ key: ByteString, count: Int) throws(StoreError) -> [ByteString]? {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.pop(key, from: .right, count: count)
    }

    /// LLEN: the length (0 for a missing key).
    /// - Complexity: O(1)
    public func llen(_ key: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.llen(key)
    }

    /// LRANGE: the elements from `start` to `stop`, both inclusive.
    /// - Complexity: O(S+N): S the offset of `start`, N the elements returned.
    public func lrange(_ key: ByteString, _ start: Int, _ stop: Int) throws(StoreError) -> [ByteString] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.lrange(key, start: start, stop: stop)
    }

    /// LINDEX: the element at `index`, or nil.
    /// - Complexity: O(1); O(N) for lists in the compact encoding (at most 128 elements).
    public func lindex(_ key: ByteString, _ index: Int) throws(StoreError) -> ByteString? {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.lindex(key, index)
    }

    /// LSET: replaces the element at `index`.
    /// - Throws: `StoreError.noSuchKey` for a missing key, `StoreError.indexOutOfRange`.
    /// - Complexity: O(1); O(N) in the compact encoding.
    public func lset(_ key: ByteString, _ index: Int, _ element: ByteString) throws(StoreError) {
        let scope = commandScope
        try scope.checkWrite(key)
        try scope.keyspace.lset(key, index, element)
    }

    /// LINSERT: inserts `element` before (or after) the first `pivot`; returns the new
    /// length, -1 if `pivot` is absent, 0 if the key does not exist.
    /// - Complexity: O(N)
    @discardableResult
    public func linsert(_ key: ByteString, before: Bool, pivot: ByteString, _ element: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.linsert(key, before: before, pivot: pivot, element)
    }

    /// LREM: removes the first `count` occurrences of `element` (the last `-count` when
    /// negative, all when 0); returns how many were removed.
    /// - Complexity: O(N)
    @discardableResult
    public func lrem(_ key: ByteString, count: Int, _ element: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.lrem(key, count: count, element)
    }

    /// LTRIM: keeps only the elements from `start` to `stop`; an empty range deletes the key.
    /// - Complexity: O(N) in the elements removed.
    public func ltrim(_ key: ByteString, _ start: Int, _ stop: Int) throws(StoreError) {
        let scope = commandScope
        try scope.checkWrite(key)
        try scope.keyspace.ltrim(key, start: start, stop: stop)
    }

    /// LPOS: the index of the `rank`-th match of `element` (negative rank: from the tail),
    /// comparing at most `maxLength` elements (0: all); nil when there is none.
    /// - Throws: Redis's errors for a zero `rank` or a negative `maxLength`.
    /// - Complexity: O(N)
    public func lpos(_ key: ByteString, _ element: ByteString, rank: Int = 1, maxLength: Int = 0) throws(StoreError) -> Int? {
        try lpos(key, element, rank: rank, count: 1, maxLength: maxLength).first
    }

    /// LPOS with COUNT: the indices of up to `count` matches (0: all), in scan order.
    /// - Throws: Redis's errors for a zero `rank`, a negative `count` or `maxLength`.
    /// - Complexity: O(N)
    public func lpos(_ key: ByteString, _ element: ByteString, rank: Int = 1, count: Int, maxLength: Int = 0) throws(StoreError) -> [Int] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.lpos(key, element, rank: rank, count: count, maxLength: maxLength) ?? []
    }

    /// LMOVE: moves the element at `source`'s `from` end to `destination`'s `to` end,
    /// atomically; returns it, or nil if `source` does not exist.
    /// - Complexity: O(1)
    @discardableResult
    public func lmove(_ source: ByteString, _ destination: ByteString, from: ListEnd, to: ListEnd) throws(StoreError) -> ByteString? {
        let scope = commandScope
        try scope.checkWrite([source, destination])
        return try scope.keyspace.lmove(source, destination, from: from, to: to)
    }

    /// RPOPLPUSH: LMOVE from the tail of `source` to the head of `destination`.
    /// - Complexity: O(1)
    @discardableResult
    public func rpoplpush(_ source: ByteString, _ destination: ByteString) throws(StoreError) -> ByteString? {
        try lmove(source, destination, from: .right, to: .left)
    }

    /// LMPOP: pops up to `count` elements from the first of `keys` that exists.
    /// - Complexity: O(N+M): N keys, M elements popped.
    public func lmpop(_ keys: [ByteString], from end: ListEnd, count: Int = 1) throws(StoreError) -> (key: ByteString, elements: [ByteString])? {
        let scope = commandScope
        try scope.checkWrite(keys)
        return try scope.keyspace.mpop(keys, from: end, count: count)
    }
}
