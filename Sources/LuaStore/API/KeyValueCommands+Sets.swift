import LuaStoreCore

/// The set commands of the typed API. Member order follows the set's encoding, as
/// Redis's does (ascending for all-integer sets, otherwise unspecified).
extension KeyValueCommands {
    /// SADD: adds `members`; returns how many were not there yet.
    /// - Throws: `StoreError.wrongType` if the key holds another type.
    /// - Complexity: O(1) per member.
    @discardableResult
    public func sadd(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.sadd(key, members)
    }

    /// SREM: removes `members`; returns how many were there. An emptied set is deleted.
    /// - Complexity: O(1) per member.
    @discardableResult
    public func srem(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.srem(key, members)
    }

    /// SMEMBERS: every member.
    /// - Complexity: O(N)
    public func smembers(_ key: ByteString) throws(StoreError) -> [ByteString] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.smembers(key)
    }

    /// SISMEMBER
    /// - Complexity: O(1)
    public func sismember(_ key: ByteString, _ member: ByteString) throws(StoreError) -> Bool {
        try smismember(key, [member])[0]
    }

    /// SMISMEMBER: membership of each of `members`, in order.
    /// - Complexity: O(N) in the members asked about.
    public func smismember(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> [Bool] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.smismember(key, members)
    }

    /// SCARD: the number of members (0 for a missing key).
    /// - Complexity: O(1)
    public func scard(_ key: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.scard(key)
    }

    /// SPOP: removes and returns a random member, or nil if the key does not exist.
    /// - Complexity: O(1)
    public func spop(_ key: ByteString) throws(StoreError) -> ByteString? {
        try spop(key, count: 1).first
    }

    /// SPOP key count: removes and returns up to `count` distinct random members.
    /// - Complexity: O(count)
    public func spop(_ key: ByteString, count: Int) throws(StoreError) -> [ByteString] {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.spop(key, count: count) ?? []
    }

    /// SRANDMEMBER: a random member, or nil if the key does not exist.
    /// - Complexity: O(1)
    public func srandmember(_ key: ByteString) throws(StoreError) -> ByteString? {
        try srandmember(key, count: 1).first
    }

    /// SRANDMEMBER key count: `count >= 0` distinct random members (all when `count` is
    /// at least the size); `count < 0`: `-count` members, possibly repeated.
    /// - Complexity: O(|count|)
    public func srandmember(_ key: ByteString, count: Int) throws(StoreError) -> [ByteString] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.srandmember(key, count: count) ?? []
    }

    /// SMOVE: moves `member` from `source` to `destination` atomically; returns whether
    /// it was in `source`.
    /// - Complexity: O(1)
    @discardableResult
    public func smove(_ source: ByteString, _ destination: ByteString, _ member: ByteString) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite([source, destination])
        return try scope.keyspace.smove(source, destination, member)
    }

    /// SINTER: the members in every one of `keys` (a missing key is an empty set).
    /// - Complexity: O(N*M): N the smallest set's size, M the number of sets.
    public func sinter(_ keys: [ByteString]) throws(StoreError) -> [ByteString] {
        let scope = commandScope
        try scope.check(keys)
        return try scope.keyspace.combine(keys, .intersection)
    }

    /// SINTERCARD: the size of the intersection; counting stops at `limit` (0: no limit).
    /// - Complexity: O(N*M) worst case.
    public func sintercard(_ keys: [ByteString], limit: Int = 0) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(keys)
        return try scope.keyspace.sintercard(keys, limit: limit)
    }

    /// SUNION: the members in any of `keys`.
    /// - Complexity: O(N) in the total number of members.
    public func sunion(_ keys: [ByteString]) throws(StoreError) -> [ByteString] {
        let scope = commandScope
        try scope.check(keys)
        return try scope.keyspace.combine(keys, .union)
    }

    /// SDIFF: the members of the first key that are in none of the others.
    /// - Complexity: O(N) in the total number of members.
    public func sdiff(_ keys: [ByteString]) throws(StoreError) -> [ByteString] {
        let scope = commandScope
        try scope.check(keys)
        return try scope.keyspace.combine(keys, .difference)
    }

    /// SINTERSTORE: stores SINTER of `keys` in `destination` (replacing it, deleting it
    /// when empty); returns its size.
    /// - Complexity: O(N*M) worst case.
    @discardableResult
    public func sinterstore(_ destination: ByteString, _ keys: [ByteString]) throws(StoreError) -> Int {
        try combineStore(destination, keys, .intersection)
    }

    /// SUNIONSTORE: stores SUNION of `keys` in `destination`; returns its size.
    /// - Complexity: O(N) in the total number of members.
    @discardableResult
    public func sunionstore(_ destination: ByteString, _ keys: [ByteString]) throws(StoreError) -> Int {
        try combineStore(destination, keys, .union)
    }

    /// SDIFFSTORE: stores SDIFF of `keys` in `destination`; returns its size.
    /// - Complexity: O(N) in the total number of members.
    @discardableResult
    public func sdiffstore(_ destination: ByteString, _ keys: [ByteString]) throws(StoreError) -> Int {
        try combineStore(destination, keys, .difference)
    }

    /// SSCAN key cursor [MATCH pattern] [COUNT count]: one page of a cursor iteration, and
    /// the cursor to pass next (0 when the iteration is done). Start from cursor 0.
    ///
    /// A member present from the first call to the last is returned at least once, perhaps
    /// more, whatever is added or removed in between. Small sets (intset, listpack) come
    /// back whole with cursor 0. `count` is a hint of how many members to visit, before
    /// `match` (a glob; nil or `*`: all) filters them.
    /// - Throws: `StoreError.wrongType` if the key holds another type.
    /// - Complexity: O(count) per call; O(N) for a small set.
    public func sscan(
        _ key: ByteString, cursor: UInt64, match pattern: ByteString? = nil, count: Int = 10
    ) throws(StoreError) -> ScanResult<ByteString> {
        let scope = commandScope
        try scope.check(key)
        let filter = ScanArguments.effectivePattern(pattern)
        return ScanResult(try scope.keyspace.sscan(key, cursor: cursor, count: max(1, count), pattern: filter)
            ?? (0, []))
    }

    /// A complete SSCAN iteration in one call: the members matching `pattern` (a glob; nil
    /// or `*`: all), each once, read atomically.
    /// ``sscan(_:cursor:match:count:)`` pages a large set instead.
    /// - Complexity: O(N)
    public func sscan(_ key: ByteString, match pattern: ByteString? = nil) throws(StoreError) -> [ByteString] {
        let scope = commandScope
        try scope.check(key)
        let filter = ScanArguments.effectivePattern(pattern)
        return try scope.keyspace.smembers(key, matching: filter) ?? []
    }

    private func combineStore(_ destination: ByteString, _ keys: [ByteString], _ combination: SetCombination) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(destination)
        try scope.check(keys)
        return try scope.keyspace.combineStore(destination, keys, combination)
    }
}
