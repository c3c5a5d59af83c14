import LuaStoreCore

/// The ID XADD gives a new entry.
///
/// # Thread safety
/// A value type: safe to share.
public enum XAddID: Sendable, Hashable {
    /// `*`: the store clock's milliseconds, or the last ID's successor if the clock is not
    /// past it.
    case auto
    /// `ms-*`: these milliseconds, with the next sequence number the stream allows.
    case autoSequence(ms: UInt64)
    /// An explicit ID, which must be above the stream's last ID.
    case explicit(StreamID)
}

/// Where XREAD starts reading a stream.
///
/// # Thread safety
/// A value type: safe to share.
public enum XReadStart: Sendable, Hashable {
    /// Entries after this ID.
    case after(StreamID)
    /// `$`: entries after the stream's last ID when the command runs.
    case lastID
}

/// The stream operations (Redis's t_stream.c), shared by the command handlers, the typed
/// API and `redis.call`.
extension KeyspaceAccess {
    /// XADD: appends an entry under the ID `id` asks for, then trims; the entry's ID, or
    /// nil when the key is missing and `createStream` is false (NOMKSTREAM).
    /// - Throws: ``StoreError/streamIDNotGreaterThanZero`` for an explicit 0-0 (before the
    ///   key is read), ``StoreError/wrongType``, ``StoreError/streamExhausted``,
    ///   ``StoreError/streamIDTooSmall``.
    func xadd(
        _ key: ByteString, id: XAddID, _ pairs: [(field: ByteString, value: ByteString)],
        trim: StreamTrim? = nil, createStream: Bool = true
    ) throws(StoreError) -> StreamID? {
        if case .explicit(let given) = id, given == .zero { throw .streamIDNotGreaterThanZero }
        let now = UInt64(max(0, clock.nowMilliseconds()))
        let added = try withKey(key, access: .write) { (s, h) throws(StoreError) -> StreamID? in
            let found = try s.streamCollection(key, hash: h)?.stream
            if found == nil && !createStream { return nil }
            let last = found?.lastID ?? .zero
            if last == .max { throw .streamExhausted }
            let newID: StreamID
            switch id {
            case .explicit(let given): newID = given
            case .autoSequence(let ms):
                if ms == last.ms {
                    // 7.0.15 leaves errno as it was here, so its text is either XADD error; later
                    // versions (and LuaStore) report the ID as too small.
                    guard last.seq != .max else { throw .streamIDTooSmall }
                    newID = StreamID(ms: ms, seq: last.seq + 1)
                } else {
                    newID = StreamID(ms: ms, seq: 0)
                }
            case .auto:
                newID = now > last.ms ? StreamID(ms: now, seq: 0) : (last.successor ?? .max)
            }
            guard newID > last else { throw .streamIDTooSmall }
            let stream = found ?? {
                let created = StreamValue()
                s.store(key, hash: h, value: .stream(created))
                return created
            }()
            stream.append(newID, pairs)
            if let trim { _ = stream.trim(trim) }
            return newID
        }
        if added != nil { signalKeyReady(key) }
        return added
    }

    /// XLEN: the number of live entries, 0 for a missing key.
    func xlen(_ key: ByteString) throws(StoreError) -> Int {
        try readStream(key) { $0?.length ?? 0 }
    }

    /// XRANGE / XREVRANGE: the live entries with IDs in `start...end`, ascending (or
    /// descending with `reverse`), at most `count` (nil: all); empty for a missing key.
    func xrange(
        _ key: ByteString, from start: StreamID, to end: StreamID, count: Int? = nil, reverse: Bool = false
    ) throws(StoreError) -> [StreamEntry] {
        try readStream(key) { stream in
            guard let stream, count != 0 else { return [] }
            return stream.entries(from: start, to: end, count: count ?? 0, reverse: reverse)
        }
    }

    /// XDEL: how many of `ids` were live entries, now deleted; 0 for a missing key.
    func xdel(_ key: ByteString, _ ids: [StreamID]) throws(StoreError) -> Int {
        try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let (_, stream) = try s.streamCollection(key, hash: h) else { return 0 }
            return stream.delete(ids)
        }
    }

    /// XTRIM: how many entries `trim` removed; 0 for a missing key.
    func xtrim(_ key: ByteString, _ trim: StreamTrim) throws(StoreError) -> Int {
        try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let (_, stream) = try s.streamCollection(key, hash: h) else { return 0 }
            return stream.trim(trim)
        }
    }

    /// XSETID: sets the stream's last ID, and optionally its entries-added count and
    /// largest deleted ID, with `xsetidCommand`'s checks in its order.
    /// - Throws: ``StoreError/streamEntriesAddedNegative``,
    ///   ``StoreError/streamSetIDBelowMaxDeleted`` (before the key is read),
    ///   ``StoreError/noSuchKey``, ``StoreError/wrongType``,
    ///   ``StoreError/streamSetIDBelowTop``,
    ///   ``StoreError/streamEntriesAddedBelowLength``.
    func xsetid(
        _ key: ByteString, _ id: StreamID, entriesAdded: Int64? = nil, maxDeletedID: StreamID? = nil
    ) throws(StoreError) {
        if let entriesAdded, entriesAdded < 0 { throw .streamEntriesAddedNegative }
        if let maxDeletedID, id < maxDeletedID { throw .streamSetIDBelowMaxDeleted }
        try withKey(key, access: .write) { (s, h) throws(StoreError) in
            guard let (_, stream) = try s.streamCollection(key, hash: h) else { throw .noSuchKey }
            if stream.length > 0 {
                if id < stream.lastLiveID { throw .streamSetIDBelowTop }
                if let entriesAdded, stream.length > entriesAdded { throw .streamEntriesAddedBelowLength }
            }
            stream.lastID = id
            if let entriesAdded { stream.entriesAdded = UInt64(entriesAdded) }
            if let maxDeletedID, maxDeletedID != .zero { stream.maxDeletedID = maxDeletedID }
        }
    }

    /// XREAD: for each stream with entries after its start, those entries (at most `count`
    /// each, nil: all), in the order of `streams`; streams with none are left out. Each
    /// key's type is checked, and `$` resolved, before any is read, as `xreadCommand` does.
    /// - Throws: ``StoreError/wrongType``.
    func xread(
        _ streams: [(key: ByteString, start: XReadStart)], count: Int? = nil
    ) throws(StoreError) -> [(key: ByteString, entries: [StreamEntry])] {
        try xread(streams.map(\.key), starts: streams.map { .success($0.start) }, count: count)
    }

    /// XREAD with each start as its argument parsed: a parse error is thrown where
    /// `xreadCommand` meets it, after the types of the keys before it were checked.
    func xread(
        _ keys: [ByteString], starts: [Result<XReadStart, StoreError>], count: Int?
    ) throws(StoreError) -> [(key: ByteString, entries: [StreamEntry])] {
        let streams = zip(keys, starts).map { (key: $0, start: $1) }
        return try withKeys(keys, access: Array(repeating: .read, count: keys.count)) { (locked) throws(StoreError) in
            var after: [StreamID] = []
            for (key, parsed) in streams {
                let h = key.storeHash
                let stream = try locked[h].streamCollection(key, hash: h)?.stream
                let start: XReadStart
                switch parsed {
                case .success(let s): start = s
                case .failure(let error): throw error
                }
                switch start {
                case .after(let id): after.append(id)
                case .lastID: after.append(stream?.lastID ?? .zero)
                }
            }
            var result: [(key: ByteString, entries: [StreamEntry])] = []
            for ((key, _), gt) in zip(streams, after) {
                let h = key.storeHash
                guard let stream = try locked[h].streamCollection(key, hash: h)?.stream, stream.length > 0,
                      stream.lastLiveID > gt, let start = gt.successor else { continue }
                let entries = stream.entries(from: start, to: .max, count: count ?? 0)
                result.append((key, entries))
            }
            return result
        }
    }
}

extension KeyspaceAccess {
    /// A read-only `body` on the stream under `key` (nil when the key is missing).
    /// - Throws: ``StoreError/wrongType`` if the key holds another type.
    @inline(__always)
    func readStream<R>(_ key: ByteString, _ body: (StreamValue?) throws(StoreError) -> R) throws(StoreError) -> R {
        try readCollection(key, { if case .stream(let v) = $0 { v } else { nil } }, body)
    }
}

extension ShardState {
    /// The stream under `key` and its slot, nil if the key is missing.
    /// - Throws: ``StoreError/wrongType`` if the key holds another type.
    @inline(__always)
    mutating func streamCollection(_ key: ByteString, hash: UInt64) throws(StoreError) -> (slot: Int, stream: StreamValue)? {
        try collection(key, hash: hash) { if case .stream(let v) = $0 { v } else { nil } }.map { (slot: $0.0, stream: $0.1) }
    }
}
