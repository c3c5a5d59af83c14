import LuaStoreCore

extension KeyValueCommands {
    /// XADD: appends an entry of `pairs` to the stream at `key` (created if missing, unless
    /// `createStream` is false) under the ID `id` asks for, then trims it by `trim`; the
    /// entry's ID, or nil when the key is missing and `createStream` is false. `.auto` IDs
    /// take the store clock's milliseconds (a ``ManualClock`` makes them deterministic).
    /// - Throws: `StoreError.streamIDNotGreaterThanZero` for an explicit 0-0,
    ///   `StoreError.streamIDTooSmall` for an ID at or below the stream's last ID,
    ///   `StoreError.streamExhausted`, `StoreError.wrongType`.
    /// - Complexity: O(1) to add, plus O(N) for N entries trimmed.
    @discardableResult
    public func xadd(
        _ key: ByteString, id: XAddID = .auto, _ pairs: [(field: ByteString, value: ByteString)],
        trim: StreamTrim? = nil, createStream: Bool = true
    ) throws(StoreError) -> StreamID? {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.xadd(key, id: id, pairs, trim: trim, createStream: createStream)
    }

    /// XLEN: the number of entries in the stream at `key`, 0 if it is missing.
    /// - Complexity: O(1)
    public func xlen(_ key: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.xlen(key)
    }

    /// XRANGE: the entries with IDs in `start...end`, ascending, at most `count` (nil: all).
    /// Use ``StreamID/zero`` and ``StreamID/max`` for `-` and `+`, and
    /// ``StreamID/successor`` / ``StreamID/predecessor`` for exclusive bounds.
    /// - Complexity: O(log(N) + M) for M entries returned.
    public func xrange(_ key: ByteString, _ start: StreamID = .zero, _ end: StreamID = .max, count: Int? = nil) throws(StoreError) -> [StreamEntry] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.xrange(key, from: start, to: end, count: count)
    }

    /// XREVRANGE: the entries with IDs in `start...end`, descending from `end`, at most
    /// `count` (nil: all).
    /// - Complexity: O(log(N) + M) for M entries returned.
    public func xrevrange(_ key: ByteString, _ end: StreamID = .max, _ start: StreamID = .zero, count: Int? = nil) throws(StoreError) -> [StreamEntry] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.xrange(key, from: start, to: end, count: count, reverse: true)
    }

    /// XDEL: deletes the entries `ids`; how many existed.
    /// - Complexity: O(1) per entry (within a block of at most 100).
    @discardableResult
    public func xdel(_ key: ByteString, _ ids: [StreamID]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.xdel(key, ids)
    }

    /// XTRIM: trims the stream at `key`; how many entries went.
    /// - Complexity: O(N) for N entries removed.
    @discardableResult
    public func xtrim(_ key: ByteString, _ trim: StreamTrim) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.xtrim(key, trim)
    }

    /// XSETID: sets the last ID of the stream at `key`, and optionally its count of entries
    /// ever added and its largest deleted ID.
    /// - Throws: `StoreError.noSuchKey`, `StoreError.streamSetIDBelowTop` and the other
    ///   checks of XSETID, `StoreError.wrongType`.
    /// - Complexity: O(1)
    public func xsetid(_ key: ByteString, _ id: StreamID, entriesAdded: Int64? = nil, maxDeletedID: StreamID? = nil) throws(StoreError) {
        let scope = commandScope
        try scope.checkWrite(key)
        try scope.keyspace.xsetid(key, id, entriesAdded: entriesAdded, maxDeletedID: maxDeletedID)
    }

    /// XREAD: for each stream that has entries after its start, those entries (at most
    /// `count` each, nil: all), in the order of `streams`; empty when none has.
    /// - Complexity: O(M) for M entries returned, plus O(log N) per stream.
    public func xread(_ streams: [(key: ByteString, start: XReadStart)], count: Int? = nil) throws(StoreError) -> [(key: ByteString, entries: [StreamEntry])] {
        let scope = commandScope
        try scope.check(streams.map(\.key))
        return try scope.keyspace.xread(streams, count: count)
    }

    /// XREAD BLOCK: ``xread(_:count:)`` once one of the streams has entries after its
    /// start (`.lastID` is resolved when the call begins), waiting for an XADD from any
    /// caller; empty on timeout. `timeout` is on the store's clock; `.zero` waits forever.
    /// Inside a ``Transaction`` it answers at once, like the command through `execute`.
    /// - Throws: `StoreError.timeoutNegative`, `StoreError.wrongType`, `CancellationError`
    ///   when the task is cancelled.
    /// - Complexity: O(M) for M entries returned per try.
    public func xread(
        _ streams: [(key: ByteString, start: XReadStart)], count: Int? = nil, timeout: Duration
    ) async throws -> [(key: ByteString, entries: [StreamEntry])] {
        guard timeout >= .zero else { throw StoreError.timeoutNegative }
        let scope = commandScope
        let keys = streams.map(\.key)
        try scope.check(keys)
        if scope.declared != nil { return try scope.keyspace.xread(streams, count: count) }
        // `$` means the last ID when the call begins, not when an entry arrives.
        var resolved: [(key: ByteString, start: XReadStart)] = []
        for (key, start) in streams {
            guard case .lastID = start else {
                resolved.append((key, start))
                continue
            }
            let last = try scope.keyspace.readStream(key) { $0?.lastID ?? .zero }
            resolved.append((key, .after(last)))
        }
        let found = try await scope.keyspace.blockingPop(keys, timeout: timeout) { () throws(StoreError) in
            let served = try scope.keyspace.xread(resolved, count: count)
            return served.isEmpty ? nil : served
        }
        return found ?? []
    }
}
