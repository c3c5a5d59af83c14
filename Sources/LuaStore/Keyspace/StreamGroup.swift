import LuaStoreCore

/// A consumer group of a stream (Redis's `streamCG`): the last ID delivered, the pending
/// entries list (PEL, delivered and not acknowledged, by ID) and the consumers by name.
///
/// # Thread safety
/// Not thread-safe: part of a ``StreamValue``, under the same rules.
final class StreamGroup {
    var lastID: StreamID
    /// Entries read by the group, -1 when unknown (`entries_read`).
    var entriesRead: Int64
    private(set) var pending: [StreamID: PendingEntry] = [:]
    /// The PEL's IDs, ascending.
    private(set) var pendingIDs: [StreamID] = []
    private(set) var consumers: [ByteString: StreamConsumer] = [:]

    init(lastID: StreamID, entriesRead: Int64) {
        self.lastID = lastID
        self.entriesRead = entriesRead
    }

    /// The consumers in Redis's order (bytewise by name).
    var orderedConsumers: [StreamConsumer] {
        consumers.values.sorted { $0.name.bytes.lexicographicallyPrecedes($1.name.bytes) }
    }

    /// The consumer `name`, created (seen `now`) if missing; whether it was created.
    @discardableResult
    func consumer(_ name: ByteString, now: Int64) -> (consumer: StreamConsumer, created: Bool) {
        if let found = consumers[name] {
            found.seenTime = now
            return (found, false)
        }
        let created = StreamConsumer(name: name, seenTime: now)
        consumers[name] = created
        return (created, true)
    }

    /// Deletes a consumer and its pending entries; how many it had, nil if none.
    func deleteConsumer(_ name: ByteString) -> Int? {
        guard let consumer = consumers.removeValue(forKey: name) else { return nil }
        let ids = consumer.pendingIDs
        for id in ids { removePending(id) }
        return ids.count
    }

    /// Gives `id` to `consumer` at `time`: a new pending entry, or the existing one moved
    /// to `consumer` (its delivery count unchanged); returns it.
    @discardableResult
    func assign(_ id: StreamID, to consumer: StreamConsumer, time: Int64) -> PendingEntry {
        if let entry = pending[id] {
            if entry.consumer !== consumer {
                entry.consumer?.removePending(id)
                consumer.addPending(id)
                entry.consumer = consumer
            }
            entry.deliveryTime = time
            return entry
        }
        let entry = PendingEntry(consumer: consumer, deliveryTime: time)
        pending[id] = entry
        SortedIDs.insert(id, into: &pendingIDs)
        consumer.addPending(id)
        return entry
    }

    /// A pending entry owned by no consumer yet (XCLAIM FORCE).
    func addUnowned(_ id: StreamID, time: Int64) -> PendingEntry {
        let entry = PendingEntry(consumer: nil, deliveryTime: time)
        entry.deliveryCount = 0
        pending[id] = entry
        SortedIDs.insert(id, into: &pendingIDs)
        return entry
    }

    /// Removes `id` from the PEL and its consumer's; whether it was pending.
    @discardableResult
    func removePending(_ id: StreamID) -> Bool {
        guard let entry = pending.removeValue(forKey: id) else { return false }
        SortedIDs.remove(id, from: &pendingIDs)
        entry.consumer?.removePending(id)
        return true
    }

    /// Heap bytes, roughly (memory accounting).
    var footprint: Int { 160 + pending.count * 120 + consumers.count * 160 }
}

/// One consumer of a group (`streamConsumer`).
///
/// # Thread safety
/// Not thread-safe: part of a ``StreamValue``, under the same rules.
final class StreamConsumer {
    let name: ByteString
    /// When it last read or claimed (store clock, ms).
    var seenTime: Int64
    /// Its pending IDs, ascending.
    private(set) var pendingIDs: [StreamID] = []

    init(name: ByteString, seenTime: Int64) {
        self.name = name
        self.seenTime = seenTime
    }

    func addPending(_ id: StreamID) { SortedIDs.insert(id, into: &pendingIDs) }
    func removePending(_ id: StreamID) { SortedIDs.remove(id, from: &pendingIDs) }
}

/// An entry of a PEL (`streamNACK`).
///
/// # Thread safety
/// Not thread-safe: part of a ``StreamValue``, under the same rules.
final class PendingEntry {
    /// nil only for an entry XCLAIM FORCE created, until it is assigned.
    var consumer: StreamConsumer?
    var deliveryTime: Int64
    var deliveryCount: UInt64 = 1

    init(consumer: StreamConsumer?, deliveryTime: Int64) {
        self.consumer = consumer
        self.deliveryTime = deliveryTime
    }
}

/// Sorted arrays of IDs.
enum SortedIDs {
    /// The index of the first ID at or above `id`.
    static func lowerBound(_ id: StreamID, in ids: [StreamID]) -> Int {
        var low = 0, high = ids.count
        while low < high {
            let mid = (low + high) / 2
            if ids[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low
    }

    static func insert(_ id: StreamID, into ids: inout [StreamID]) {
        let index = lowerBound(id, in: ids)
        if index == ids.count || ids[index] != id { ids.insert(id, at: index) }
    }

    static func remove(_ id: StreamID, from ids: inout [StreamID]) {
        let index = lowerBound(id, in: ids)
        if index < ids.count && ids[index] == id { ids.remove(at: index) }
    }
}
