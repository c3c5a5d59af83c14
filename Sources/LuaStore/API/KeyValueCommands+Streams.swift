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

extension KeyValueCommands {
    /// XGROUP CREATE: creates the consumer group `group` of the stream at `key`, starting
    /// after `start` (`.lastID` is `$`); with `makeStream` a missing stream is created empty.
    /// - Throws: `StoreError.streamGroupKeyRequired` for a missing key without
    ///   `makeStream`, `StoreError.busyGroup` if the group exists, `StoreError.wrongType`.
    /// - Complexity: O(1)
    public func xgroupCreate(_ key: ByteString, _ group: ByteString, start: XReadStart = .lastID, makeStream: Bool = false, entriesRead: Int64 = -1) throws(StoreError) {
        let scope = commandScope
        try scope.checkWrite(key)
        try scope.keyspace.xgroupCreate(key, group, start: .success(start), makeStream: makeStream, entriesRead: entriesRead)
    }

    /// XGROUP SETID: sets the group's last delivered ID (`.lastID` is the stream's).
    /// - Throws: `StoreError.noGroupForKey(group:key:)`, `StoreError.streamGroupKeyRequired`.
    /// - Complexity: O(1)
    public func xgroupSetID(_ key: ByteString, _ group: ByteString, start: XReadStart, entriesRead: Int64 = -1) throws(StoreError) {
        let scope = commandScope
        try scope.checkWrite(key)
        try scope.keyspace.xgroupSetID(key, group, start: .success(start), entriesRead: entriesRead)
    }

    /// XGROUP DESTROY: whether the group existed.
    /// - Complexity: O(N) in the group's pending entries.
    @discardableResult
    public func xgroupDestroy(_ key: ByteString, _ group: ByteString) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.xgroupDestroy(key, group)
    }

    /// XGROUP CREATECONSUMER: whether the consumer was created.
    /// - Complexity: O(1)
    @discardableResult
    public func xgroupCreateConsumer(_ key: ByteString, _ group: ByteString, _ consumer: ByteString) throws(StoreError) -> Bool {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.xgroupCreateConsumer(key, group, consumer)
    }

    /// XGROUP DELCONSUMER: removes the consumer and its pending entries; how many it had.
    /// - Complexity: O(N) in its pending entries.
    @discardableResult
    public func xgroupDeleteConsumer(_ key: ByteString, _ group: ByteString, _ consumer: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.xgroupDeleteConsumer(key, group, consumer)
    }

    /// XREADGROUP: per stream, with `.lastID` (`>`) the entries never delivered to the
    /// group, now delivered to `consumer` (and pending unless `noAck`); with `.after(id)`
    /// the consumer's pending entries after `id` (a deleted entry's pairs are nil).
    /// Streams with nothing are left out.
    /// - Throws: `StoreError.noGroupInRead(key:group:)`, `StoreError.wrongType`.
    /// - Complexity: O(M log N) for M entries returned.
    public func xreadgroup(
        _ group: ByteString, _ consumer: ByteString, _ streams: [(key: ByteString, start: XReadStart)], count: Int? = nil, noAck: Bool = false
    ) throws(StoreError) -> [(key: ByteString, entries: [(id: StreamID, pairs: [(field: ByteString, value: ByteString)]?)])] {
        let scope = commandScope
        let keys = streams.map(\.key)
        try scope.checkWrite(keys)
        return try scope.keyspace.xreadgroup(group, consumer, keys, starts: streams.map { .success($0.start) }, count: count, noAck: noAck)
    }

    /// XACK: acknowledges `ids` in the group; how many were pending.
    /// - Complexity: O(log N) per ID.
    @discardableResult
    public func xack(_ key: ByteString, _ group: ByteString, _ ids: [StreamID]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.xack(key, group, ids)
    }

    /// XPENDING: the group's pending entries in summary.
    /// - Throws: `StoreError.noGroup(key:group:)`, `StoreError.wrongType`.
    /// - Complexity: O(C) in the group's consumers.
    public func xpending(_ key: ByteString, _ group: ByteString) throws(StoreError) -> PendingSummary {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.xpending(key, group)
    }

    /// XPENDING's extended form: pending entries with IDs in `start...end`, at most `count`,
    /// idle at least `minIdle` ms, of `consumer` only if given.
    /// - Complexity: O(log N + M) for M entries returned.
    public func xpending(
        _ key: ByteString, _ group: ByteString, _ start: StreamID = .zero, _ end: StreamID = .max, count: Int,
        minIdle: Int64 = 0, consumer: ByteString? = nil
    ) throws(StoreError) -> [PendingEntryInfo] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.xpending(key, group, from: start, to: end, count: count, minIdle: minIdle, consumer: consumer)
    }

    /// XCLAIM: gives `consumer` each of `ids` pending in the group (or, with FORCE, any
    /// existing entry) idle at least `minIdle` ms; the claimed entries (with JUSTID their
    /// IDs and nil entries). Pending IDs whose entry was deleted leave the PEL.
    /// - Complexity: O(log N) per ID.
    @discardableResult
    public func xclaim(
        _ key: ByteString, _ group: ByteString, _ consumer: ByteString, minIdle: Int64, _ ids: [StreamID], options: XClaimOptions = XClaimOptions()
    ) throws(StoreError) -> [(id: StreamID, entry: StreamEntry?)] {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.xclaim(key, group, consumer, minIdle: minIdle, ids, options)
    }

    /// XAUTOCLAIM: claims for `consumer` up to `count` pending entries from `start` idle at
    /// least `minIdle` ms; the cursor to go on from (``StreamID/zero`` at the end), the
    /// claimed entries (nil entries with `justID`), and the pending IDs whose entry was
    /// deleted.
    /// - Complexity: O(count) entries examined, at most 10 x `count`.
    public func xautoclaim(
        _ key: ByteString, _ group: ByteString, _ consumer: ByteString, minIdle: Int64, start: StreamID = .zero, count: Int = 100, justID: Bool = false
    ) throws(StoreError) -> (next: StreamID, claimed: [(id: StreamID, entry: StreamEntry?)], deleted: [StreamID]) {
        let scope = commandScope
        try scope.checkWrite(key)
        let result = try scope.keyspace.xautoclaim(key, group, consumer, minIdle: minIdle, start: start, count: max(1, count), justID: justID)
        return (result.next, result.claimed.map { (id: $0.id, entry: $0.entry) }, result.deleted)
    }
}
