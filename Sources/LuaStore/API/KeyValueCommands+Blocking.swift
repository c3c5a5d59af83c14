import LuaStoreCore

/// The blocking pops of the typed API. Each tries at once; if nothing is there it
/// suspends (no thread is blocked) until a push from any caller (the typed API,
/// `execute`, a script, a transaction) brings an element, or `timeout` passes on the
/// store's clock (a ``ManualClock`` ends it when advanced past it; `.zero` waits forever;
/// a negative timeout throws ``StoreError/timeoutNegative``). Waiters on
/// a key are served first come, first served, as Redis serves its blocked clients.
/// Cancelling the waiting task ends the wait at once with `CancellationError`, consuming
/// nothing.
///
/// Inside a ``Transaction`` the key locks would keep every pusher out, so there they
/// answer at once, like the commands through `execute` (and like Redis inside MULTI).
extension KeyValueCommands {
    /// BLPOP: pops the head of the first non-empty list of `keys`; nil on timeout.
    /// - Throws: `StoreError.wrongType` for a key of another type met first,
    ///   `CancellationError` when the task is cancelled.
    /// - Complexity: O(N) in the number of keys per try.
    public func blpop(_ keys: [ByteString], timeout: Duration) async throws -> (key: ByteString, element: ByteString)? {
        try await blockingListPop(keys, .left, timeout: timeout)
    }

    /// BRPOP: pops the tail of the first non-empty list of `keys`; nil on timeout.
    /// - Complexity: O(N) in the number of keys per try.
    public func brpop(_ keys: [ByteString], timeout: Duration) async throws -> (key: ByteString, element: ByteString)? {
        try await blockingListPop(keys, .right, timeout: timeout)
    }

    /// BLMPOP: pops up to `count` elements from the first non-empty list of `keys`; nil on
    /// timeout.
    /// - Complexity: O(N+M) per try: N keys, M elements popped.
    public func blmpop(_ keys: [ByteString], from end: ListEnd, count: Int = 1, timeout: Duration) async throws -> (key: ByteString, elements: [ByteString])? {
        let scope = commandScope
        try scope.checkWrite(keys)
        return try await blocking(scope, keys, timeout: timeout) { () throws(StoreError) in
            try scope.keyspace.mpop(keys, from: end, count: count)
        }
    }

    /// BLMOVE: LMOVE once `source` has an element; the element, or nil on timeout.
    /// - Complexity: O(1) per try.
    public func blmove(_ source: ByteString, _ destination: ByteString, from: ListEnd, to: ListEnd, timeout: Duration) async throws -> ByteString? {
        let scope = commandScope
        try scope.checkWrite([source, destination])
        return try await blocking(scope, [source], timeout: timeout) { () throws(StoreError) in
            try scope.keyspace.lmove(source, destination, from: from, to: to)
        }
    }

    /// BRPOPLPUSH: BLMOVE from the tail of `source` to the head of `destination`.
    /// - Complexity: O(1) per try.
    public func brpoplpush(_ source: ByteString, _ destination: ByteString, timeout: Duration) async throws -> ByteString? {
        try await blmove(source, destination, from: .right, to: .left, timeout: timeout)
    }

    /// BZPOPMIN: pops the lowest-scored member of the first non-empty sorted set of `keys`;
    /// nil on timeout.
    /// - Complexity: O(log N) per try, plus O(K) in the number of keys.
    public func bzpopmin(_ keys: [ByteString], timeout: Duration) async throws -> (key: ByteString, member: ByteString, score: Double)? {
        try await blockingSortedSetPop(keys, max: false, timeout: timeout)
    }

    /// BZPOPMAX: pops the highest-scored member of the first non-empty sorted set of
    /// `keys`; nil on timeout.
    /// - Complexity: O(log N) per try, plus O(K) in the number of keys.
    public func bzpopmax(_ keys: [ByteString], timeout: Duration) async throws -> (key: ByteString, member: ByteString, score: Double)? {
        try await blockingSortedSetPop(keys, max: true, timeout: timeout)
    }

    /// BZMPOP: pops up to `count` members, lowest (or with `max` highest) scores first,
    /// from the first non-empty sorted set of `keys`; nil on timeout.
    /// - Complexity: O(K + M*log(N)) per try: K keys, M members popped.
    public func bzmpop(_ keys: [ByteString], max: Bool = false, count: Int = 1, timeout: Duration) async throws -> (key: ByteString, entries: [SortedSetEntry])? {
        let scope = commandScope
        try scope.checkWrite(keys)
        return try await blocking(scope, keys, timeout: timeout) { () throws(StoreError) in
            try scope.keyspace.zmpop(keys, count: count, max: max)
        }
    }

    private func blockingListPop(_ keys: [ByteString], _ end: ListEnd, timeout: Duration) async throws -> (key: ByteString, element: ByteString)? {
        let scope = commandScope
        try scope.checkWrite(keys)
        return try await blocking(scope, keys, timeout: timeout) { () throws(StoreError) -> (key: ByteString, element: ByteString)? in
            guard let (key, elements) = try scope.keyspace.mpop(keys, from: end, count: 1),
                  let element = elements.first else { return nil }
            return (key, element)
        }
    }

    private func blockingSortedSetPop(_ keys: [ByteString], max: Bool, timeout: Duration) async throws -> (key: ByteString, member: ByteString, score: Double)? {
        let scope = commandScope
        try scope.checkWrite(keys)
        return try await blocking(scope, keys, timeout: timeout) { () throws(StoreError) -> (key: ByteString, member: ByteString, score: Double)? in
            guard let (key, entries) = try scope.keyspace.zmpop(keys, count: 1, max: max),
                  let entry = entries.first else { return nil }
            return (key, entry.member, entry.score)
        }
    }

    /// Waits in the keyspace, or answers at once inside a transaction (whose key locks no
    /// pusher could pass while it waits).
    private func blocking<T>(
        _ scope: CommandScope, _ keys: [ByteString], timeout: Duration, _ tryPop: () throws(StoreError) -> T?
    ) async throws -> T? {
        guard timeout >= .zero else { throw StoreError.timeoutNegative }
        if scope.declared != nil { return try tryPop() }
        return try await scope.keyspace.blockingPop(keys, timeout: timeout, tryPop)
    }
}
