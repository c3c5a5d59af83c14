import LuaStoreCore

/// One pending entry as XPENDING's extended form reports it.
///
/// # Thread safety
/// A value type: safe to share.
public struct PendingEntryInfo: Sendable, Hashable {
    public var id: StreamID
    public var consumer: ByteString
    /// Milliseconds since its last delivery, on the store's clock.
    public var idle: Int64
    public var deliveryCount: UInt64
}

/// XPENDING's summary of a group's pending entries.
///
/// # Thread safety
/// A value type: safe to share.
public struct PendingSummary: Sendable, Hashable {
    public var count: Int
    /// The lowest and highest pending IDs; nil when none is pending.
    public var lowest: StreamID?
    public var highest: StreamID?
    /// Consumers with pending entries and how many each has, by name.
    public var consumers: [(name: ByteString, count: Int)]

    public static func == (a: PendingSummary, b: PendingSummary) -> Bool {
        a.count == b.count && a.lowest == b.lowest && a.highest == b.highest
            && a.consumers.map(\.name) == b.consumers.map(\.name) && a.consumers.map(\.count) == b.consumers.map(\.count)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(lowest)
        hasher.combine(highest)
    }
}

/// What XCLAIM does besides moving entries (its options).
///
/// # Thread safety
/// A value type: safe to share.
public struct XClaimOptions: Sendable, Hashable {
    /// The new delivery time: IDLE (ms before now) or TIME (absolute ms); nil is now.
    public enum DeliveryTime: Sendable, Hashable {
        case idle(Int64)
        case time(Int64)
    }

    public var deliveryTime: DeliveryTime?
    /// RETRYCOUNT: the delivery count to set (else it is incremented, unless `justID`).
    public var retryCount: Int64?
    /// FORCE: create the pending entry of an existing entry that is not pending.
    public var force = false
    /// JUSTID: reply IDs only and leave the delivery count as it is.
    public var justID = false
    /// LASTID: raise the group's last ID to this.
    public var lastID: StreamID?

    public init(deliveryTime: DeliveryTime? = nil, retryCount: Int64? = nil, force: Bool = false, justID: Bool = false, lastID: StreamID? = nil) {
        self.deliveryTime = deliveryTime
        self.retryCount = retryCount
        self.force = force
        self.justID = justID
        self.lastID = lastID
    }
}

/// An entry XCLAIM or XAUTOCLAIM claimed: the entry, or with JUSTID its ID only.
typealias ClaimedEntry = (id: StreamID, entry: StreamEntry?)

/// The consumer-group operations (Redis's t_stream.c), shared by the command handlers, the
/// typed API and `redis.call`. Times (delivery, idle, seen) are on the store's clock.
extension KeyspaceAccess {
    var nowMilliseconds: Int64 { clock.nowMilliseconds() }

    /// The stream and group under `key`, or the `missing` error.
    private static func group(
        _ s: inout ShardState, _ key: ByteString, _ h: UInt64, _ name: ByteString, missing: StoreError
    ) throws(StoreError) -> (stream: StreamValue, group: StreamGroup) {
        guard let stream = try s.streamCollection(key, hash: h)?.stream, let group = stream.groups[name] else { throw missing }
        return (stream, group)
    }

    /// XGROUP CREATE: whether the group was created (false: it existed). `start` is the
    /// parsed start ID, thrown after the key checks as `xgroupCommand` does.
    /// - Throws: ``StoreError/wrongType``, ``StoreError/streamGroupKeyRequired``,
    ///   ``StoreError/busyGroup``.
    func xgroupCreate(
        _ key: ByteString, _ group: ByteString, start: Result<XReadStart, StoreError>, makeStream: Bool = false, entriesRead: Int64 = -1
    ) throws(StoreError) {
        try withKey(key, access: .write) { (s, h) throws(StoreError) in
            let found = try s.streamCollection(key, hash: h)?.stream
            if found == nil && !makeStream { throw .streamGroupKeyRequired }
            let id: StreamID
            switch start {
            case .success(.lastID): id = found?.lastID ?? .zero
            case .success(.after(let given)): id = given
            case .failure(let error): throw error
            }
            let stream = found ?? {
                let created = StreamValue()
                s.store(key, hash: h, value: .stream(created))
                return created
            }()
            guard stream.groups[group] == nil else { throw .busyGroup }
            stream.groups[group] = StreamGroup(lastID: id, entriesRead: entriesRead)
        }
    }

    /// XGROUP SETID.
    /// - Throws: ``StoreError/wrongType``, ``StoreError/streamGroupKeyRequired``,
    ///   ``StoreError/noGroupForKey(group:key:)``, then `start`'s parse error.
    func xgroupSetID(_ key: ByteString, _ group: ByteString, start: Result<XReadStart, StoreError>, entriesRead: Int64 = -1) throws(StoreError) {
        try withGroup(key, group) { stream, found throws(StoreError) in
            switch start {
            case .success(.lastID): found.lastID = stream.lastID
            case .success(.after(let given)): found.lastID = given
            case .failure(let error): throw error
            }
            found.entriesRead = entriesRead
        }
    }

    /// XGROUP DESTROY: whether the group existed.
    func xgroupDestroy(_ key: ByteString, _ group: ByteString) throws(StoreError) -> Bool {
        try withKey(key, access: .write) { (s, h) throws(StoreError) -> Bool in
            guard let stream = try s.streamCollection(key, hash: h)?.stream else { throw .streamGroupKeyRequired }
            return stream.groups.removeValue(forKey: group) != nil
        }
    }

    /// XGROUP CREATECONSUMER: whether the consumer was created.
    func xgroupCreateConsumer(_ key: ByteString, _ group: ByteString, _ consumer: ByteString) throws(StoreError) -> Bool {
        let now = nowMilliseconds
        return try withGroup(key, group) { _, found in found.consumer(consumer, now: now).created }
    }

    /// XGROUP DELCONSUMER: how many pending entries the consumer had (0 if missing).
    func xgroupDeleteConsumer(_ key: ByteString, _ group: ByteString, _ consumer: ByteString) throws(StoreError) -> Int {
        try withGroup(key, group) { _, found in found.deleteConsumer(consumer) ?? 0 }
    }

    /// `body` on the stream and an existing group under `key`, for XGROUP's subcommands
    /// that need both.
    private func withGroup<R>(
        _ key: ByteString, _ group: ByteString, _ body: (StreamValue, StreamGroup) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        try withKey(key, access: .write) { (s, h) throws(StoreError) -> R in
            guard let stream = try s.streamCollection(key, hash: h)?.stream else { throw .streamGroupKeyRequired }
            guard let found = stream.groups[group] else { throw .noGroupForKey(group: group.string, key: key.string) }
            return try body(stream, found)
        }
    }

    /// XREADGROUP: for each stream, new entries (`.lastID` is `>`: those after the group's
    /// last ID, now delivered to `consumer` and pending unless `noAck`) or the consumer's
    /// pending history after an ID; streams with nothing are left out. An entry of the
    /// history that was deleted comes back with nil pairs.
    /// - Throws: ``StoreError/wrongType``, ``StoreError/noGroupInRead(key:group:)``, a
    ///   start's parse error where `xreadCommand` meets it.
    func xreadgroup(
        _ group: ByteString, _ consumer: ByteString, _ keys: [ByteString], starts: [Result<XReadStart, StoreError>],
        count: Int?, noAck: Bool = false
    ) throws(StoreError) -> [(key: ByteString, entries: [(id: StreamID, pairs: [(field: ByteString, value: ByteString)]?)])] {
        let now = nowMilliseconds
        return try withKeys(keys, access: Array(repeating: .write, count: keys.count)) { (locked) throws(StoreError) in
            var plan: [(StreamValue, StreamGroup, StreamID?)] = []
            for (key, start) in zip(keys, starts) {
                let h = key.storeHash
                let stream = try locked[h].streamCollection(key, hash: h)?.stream
                guard let stream, let found = stream.groups[group] else {
                    throw .noGroupInRead(key: key.string, group: group.string)
                }
                switch start {
                case .success(.lastID): plan.append((stream, found, nil))
                case .success(.after(let id)): plan.append((stream, found, id))
                case .failure(let error): throw error
                }
            }
            var result: [(key: ByteString, entries: [(id: StreamID, pairs: [(field: ByteString, value: ByteString)]?)])] = []
            for (key, (stream, found, history)) in zip(keys, plan) {
                if let history {
                    let owner = found.consumer(consumer, now: now).consumer
                    var served: [(id: StreamID, pairs: [(field: ByteString, value: ByteString)]?)] = []
                    guard let start = history.successor else { result.append((key, served)); continue }
                    for id in owner.pendingIDs[SortedIDs.lowerBound(start, in: owner.pendingIDs)...] {
                        if let count, served.count >= count { break }
                        if let entry = stream.entry(id) {
                            served.append((id, entry.pairs))
                            if let pending = found.pending[id] {
                                pending.deliveryTime = now
                                pending.deliveryCount += 1
                            }
                        } else {
                            served.append((id, nil))
                        }
                    }
                    result.append((key, served))
                    continue
                }
                guard stream.length > 0, stream.lastLiveID > found.lastID, let start = found.lastID.successor else { continue }
                let owner = found.consumer(consumer, now: now).consumer
                let entries = stream.entries(from: start, to: .max, count: count ?? 0)
                for entry in entries {
                    if entry.id > found.lastID {
                        if found.entriesRead >= 0 { found.entriesRead += 1 }
                        found.lastID = entry.id
                    }
                    if !noAck { found.assign(entry.id, to: owner, time: now).deliveryCount = 1 }
                }
                result.append((key, entries.map { (id: $0.id, pairs: Optional($0.pairs)) }))
            }
            return result
        }
    }

    /// XACK: how many of `ids` were pending in the group; 0 for a missing key or group.
    func xack(_ key: ByteString, _ group: ByteString, _ ids: [StreamID]) throws(StoreError) -> Int {
        try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let found = try s.streamCollection(key, hash: h)?.stream.groups[group] else { return 0 }
            return ids.reduce(0) { $0 + (found.removePending($1) ? 1 : 0) }
        }
    }

    /// XPENDING: the summary of the group's pending entries.
    /// - Throws: ``StoreError/wrongType``, ``StoreError/noGroup(key:group:)``.
    func xpending(_ key: ByteString, _ group: ByteString) throws(StoreError) -> PendingSummary {
        try withKey(key, access: .read) { (s, h) throws(StoreError) -> PendingSummary in
            let found = try Self.group(&s, key, h, group, missing: .noGroup(key: key.string, group: group.string)).group
            let consumers = found.orderedConsumers.filter { !$0.pendingIDs.isEmpty }.map { (name: $0.name, count: $0.pendingIDs.count) }
            return PendingSummary(count: found.pendingIDs.count, lowest: found.pendingIDs.first, highest: found.pendingIDs.last, consumers: consumers)
        }
    }

    /// XPENDING's extended form: pending entries with IDs in `start...end`, at most
    /// `count`, idle at least `minIdle` ms, of `consumer` only if given (none if it does
    /// not exist).
    func xpending(
        _ key: ByteString, _ group: ByteString, from start: StreamID, to end: StreamID, count: Int,
        minIdle: Int64 = 0, consumer: ByteString? = nil
    ) throws(StoreError) -> [PendingEntryInfo] {
        let now = nowMilliseconds
        return try withKey(key, access: .read) { (s, h) throws(StoreError) -> [PendingEntryInfo] in
            let found = try Self.group(&s, key, h, group, missing: .noGroup(key: key.string, group: group.string)).group
            var ids = found.pendingIDs
            if let consumer {
                guard let owner = found.consumers[consumer] else { return [] }
                ids = owner.pendingIDs
            }
            var result: [PendingEntryInfo] = []
            guard count > 0 else { return result }
            for id in ids[SortedIDs.lowerBound(start, in: ids)...] {
                if id > end || result.count >= count { break }
                guard let entry = found.pending[id] else { continue }
                if minIdle != 0 && now - entry.deliveryTime < minIdle { continue }
                result.append(PendingEntryInfo(id: id, consumer: entry.consumer?.name ?? "", idle: max(0, now - entry.deliveryTime), deliveryCount: entry.deliveryCount))
            }
            return result
        }
    }

    /// XCLAIM: gives `consumer` each of `ids` that is pending (or, with FORCE, exists) and
    /// idle at least `minIdle` ms; pending IDs whose entry was deleted leave the PEL.
    /// - Throws: ``StoreError/wrongType``, ``StoreError/noGroup(key:group:)``.
    func xclaim(
        _ key: ByteString, _ group: ByteString, _ consumer: ByteString, minIdle: Int64, _ ids: [StreamID], _ options: XClaimOptions
    ) throws(StoreError) -> [ClaimedEntry] {
        let now = nowMilliseconds
        return try withKey(key, access: .write) { (s, h) throws(StoreError) -> [ClaimedEntry] in
            let (stream, found) = try Self.group(&s, key, h, group, missing: .noGroup(key: key.string, group: group.string))
            if let lastID = options.lastID, lastID > found.lastID { found.lastID = lastID }
            var time = now
            switch options.deliveryTime {
            case .idle(let idle)?: time = now - idle
            case .time(let given)?: time = given
            case nil: break
            }
            if time < 0 || time > now { time = now }
            let minIdle = max(0, minIdle)
            var claimed: [ClaimedEntry] = []
            for id in ids {
                var pending = found.pending[id]
                guard let entry = stream.entry(id) else {
                    if pending != nil { found.removePending(id) }
                    continue
                }
                if options.force && pending == nil { pending = found.addUnowned(id, time: time) }
                guard let pending else { continue }
                if pending.consumer != nil && minIdle != 0 && now - pending.deliveryTime < minIdle { continue }
                let owner = found.consumer(consumer, now: now).consumer
                found.assign(id, to: owner, time: time)
                if let retry = options.retryCount, retry >= 0 {
                    pending.deliveryCount = UInt64(retry)
                } else if !options.justID {
                    pending.deliveryCount += 1
                }
                claimed.append((id, options.justID ? nil : entry))
            }
            return claimed
        }
    }

    /// XAUTOCLAIM: claims for `consumer` up to `count` pending entries from `start` idle
    /// at least `minIdle` ms (looking at no more than 10 x `count`); the cursor to go on
    /// from (`0-0` at the end), the claimed entries, and the pending IDs whose entry was
    /// deleted (now out of the PEL).
    func xautoclaim(
        _ key: ByteString, _ group: ByteString, _ consumer: ByteString, minIdle: Int64, start: StreamID, count: Int = 100, justID: Bool = false
    ) throws(StoreError) -> (next: StreamID, claimed: [ClaimedEntry], deleted: [StreamID]) {
        let now = nowMilliseconds
        return try withKey(key, access: .write) { (s, h) throws(StoreError) -> (next: StreamID, claimed: [ClaimedEntry], deleted: [StreamID]) in
            let (stream, found) = try Self.group(&s, key, h, group, missing: .noGroup(key: key.string, group: group.string))
            let minIdle = max(0, minIdle)
            var remaining = count
            var attempts = count * 10
            var claimed: [ClaimedEntry] = []
            var deleted: [StreamID] = []
            var index = SortedIDs.lowerBound(start, in: found.pendingIDs)
            while attempts > 0 && remaining > 0 && index < found.pendingIDs.count {
                attempts -= 1
                let id = found.pendingIDs[index]
                guard let pending = found.pending[id] else { break }
                guard let entry = stream.entry(id) else {
                    found.removePending(id)
                    deleted.append(id)
                    remaining -= 1
                    continue
                }
                index += 1
                if minIdle != 0 && now - pending.deliveryTime < minIdle { continue }
                let owner = found.consumer(consumer, now: now).consumer
                found.assign(id, to: owner, time: now)
                if !justID { pending.deliveryCount += 1 }
                claimed.append((id, justID ? nil : entry))
                remaining -= 1
            }
            let next = index < found.pendingIDs.count ? found.pendingIDs[index] : .zero
            return (next, claimed, deleted)
        }
    }
}
