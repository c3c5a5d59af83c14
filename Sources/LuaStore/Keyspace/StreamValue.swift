import LuaStoreCore

/// A stream (Redis's `stream`): entries ordered by ID in ``StreamBlock``s, with the
/// stream's last ID, first live ID, largest deleted ID and count of entries ever added.
///
/// # Thread safety
/// Writes need exclusion; reads may run concurrently (`Keyspace.readCollection` reads a
/// read-biased shard without its lock), so no reading member writes anything. The shard's
/// exclusive lock for writes and this rule for reads make the `@unchecked Sendable` sound.
final class StreamValue: @unchecked Sendable {
    /// Entries per block, deleted ones included (`stream-node-max-entries`).
    static let maxEntriesPerBlock = 100

    private(set) var blocks: [StreamBlock] = []
    /// Live entries.
    private(set) var length = 0
    /// The greatest ID the stream has handed out or been set to (`last_id`).
    var lastID = StreamID.zero
    /// The first live entry's ID, `0-0` when empty.
    private(set) var firstID = StreamID.zero
    /// The greatest ID deleted by XDEL (`max_deleted_entry_id`).
    var maxDeletedID = StreamID.zero
    /// Entries ever added (`entries_added`).
    var entriesAdded: UInt64 = 0
    /// What memory accounting counted last (``AccountedCollection``).
    var accountedBytes = 0
    /// The blocks' footprints, summed.
    private var blockBytes = 0
    /// The consumer groups by name.
    var groups: [ByteString: StreamGroup] = [:]

    /// Heap bytes of the stream: O(1) in its entries, O(G) in its groups.
    var memoryFootprint: Int { 96 + blocks.capacity * 8 + blockBytes + groups.values.reduce(0) { $0 + $1.footprint } }

    /// The groups in Redis's order (bytewise by name).
    var orderedGroups: [(name: ByteString, group: StreamGroup)] {
        groups.map { (name: $0.key, group: $0.value) }.sorted { $0.name.bytes.lexicographicallyPrecedes($1.name.bytes) }
    }

    // MARK: Adding

    /// Appends an entry; `id` must be above ``lastID``.
    func append(_ id: StreamID, _ pairs: [(field: ByteString, value: ByteString)]) {
        if let tail = blocks.last, !tail.isFull(for: pairs) {
            changing(tail) { $0.append(id, pairs) }
        } else {
            if let tail = blocks.last { changing(tail) { $0.seal() } }
            let block = StreamBlock(first: id, fields: pairs.map(\.field))
            block.append(id, pairs)
            blocks.append(block)
            blockBytes += block.footprint
        }
        length += 1
        entriesAdded &+= 1
        lastID = id
        if length == 1 { firstID = id }
    }

    private func changing(_ block: StreamBlock, _ body: (StreamBlock) -> Void) {
        blockBytes -= block.footprint
        body(block)
        blockBytes += block.footprint
    }

    private func removeBlock(at index: Int) {
        blockBytes -= blocks[index].footprint
        blocks.remove(at: index)
    }

    // MARK: Reading

    /// The index of the first block whose last ID is at least `id`.
    private func firstBlock(reaching id: StreamID) -> Int {
        var low = 0, high = blocks.count
        while low < high {
            let mid = (low + high) / 2
            if blocks[mid].last < id { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The live entries with IDs in `start...end`, ascending (or descending with
    /// `reverse`), at most `count` of them (0: all).
    func entries(from start: StreamID, to end: StreamID, count: Int = 0, reverse: Bool = false) -> [StreamEntry] {
        var result: [StreamEntry] = []
        guard start <= end else { return result }
        if !reverse {
            var index = firstBlock(reaching: start)
            while index < blocks.count, blocks[index].master <= end {
                var done = false
                blocks[index].forEach(withPairs: true) { item in
                    if item.id > end { done = true; return false }
                    if !item.isDeleted && item.id >= start {
                        result.append(StreamEntry(id: item.id, pairs: item.pairs))
                        if count > 0 && result.count >= count { done = true; return false }
                    }
                    return true
                }
                if done { break }
                index += 1
            }
        } else {
            var index = min(firstBlock(reaching: end), blocks.count - 1)
            while index >= 0, blocks[index].last >= start {
                for item in blocks[index].liveItems.reversed() where item.id <= end {
                    if item.id < start { return result }
                    result.append(StreamEntry(id: item.id, pairs: item.pairs))
                    if count > 0 && result.count >= count { return result }
                }
                index -= 1
            }
        }
        return result
    }

    /// The live entry `id`, nil if there is none.
    func entry(_ id: StreamID) -> StreamEntry? {
        entries(from: id, to: id, count: 1).first
    }

    /// The last live entry's ID (`streamLastValidID`); `0-0` when empty.
    var lastLiveID: StreamID {
        for block in blocks.reversed() { if let id = block.lastLiveID { return id } }
        return .zero
    }

    private func refreshFirstID() {
        firstID = .zero
        guard length > 0 else { return }
        for block in blocks { if let id = block.firstLiveID { firstID = id; return } }
    }

    // MARK: Removing

    /// Deletes the live entry `id` (XDEL's `streamDeleteItem`); whether there was one. A
    /// block whose last live entry goes is removed.
    func delete(_ id: StreamID) -> Bool {
        let index = firstBlock(reaching: id)
        guard index < blocks.count, blocks[index].master <= id else { return false }
        let block = blocks[index]
        var offset: Int?
        block.forEach(withPairs: false) { item in
            if item.id == id && !item.isDeleted { offset = item.offset }
            return item.id < id
        }
        guard let offset else { return false }
        if block.live == 1 { removeBlock(at: index) } else { block.markDeleted(at: offset) }
        length -= 1
        return true
    }

    /// XDEL: deletes each ID, then updates the largest deleted ID and the first ID as
    /// `xdelCommand` does; how many were deleted.
    func delete(_ ids: [StreamID]) -> Int {
        var deleted = 0
        var first = false
        for id in ids where delete(id) {
            if id == firstID { first = true }
            if id > maxDeletedID { maxDeletedID = id }
            deleted += 1
        }
        if deleted > 0 && (length == 0 || first) { refreshFirstID() }
        return deleted
    }

    /// Trims as `streamTrim`: whole blocks from the front while the strategy allows (and
    /// the limit, if any, is not passed), then, unless approximate, entries of the next
    /// block one by one. Returns how many entries went.
    func trim(_ trim: StreamTrim) -> Int {
        let limit = trim.effectiveLimit
        var deleted = 0
        while let block = blocks.first {
            let entries = block.live
            if limit > 0 && deleted + entries > limit { break }
            let removeWhole: Bool
            switch trim.strategy {
            case .maxLength(let maxLength): removeWhole = length - entries >= maxLength
            case .minID(let minID): removeWhole = block.last < minID
            }
            if removeWhole {
                removeBlock(at: 0)
                length -= entries
                deleted += entries
                continue
            }
            if trim.approximate { break }
            var offsets: [Int] = []
            var remaining = length
            block.forEach(withPairs: false) { item in
                if item.isDeleted { return true }
                switch trim.strategy {
                case .maxLength(let maxLength): if remaining <= maxLength { return false }
                case .minID(let minID): if item.id >= minID { return false }
                }
                offsets.append(item.offset)
                remaining -= 1
                return true
            }
            for offset in offsets { block.markDeleted(at: offset) }
            length -= offsets.count
            deleted += offsets.count
            break
        }
        refreshFirstID()
        return deleted
    }

    /// An independent copy (COPY). O(N).
    func copy() -> StreamValue {
        let result = StreamValue()
        for block in blocks { for item in block.liveItems { result.append(item.id, item.pairs) } }
        result.lastID = lastID
        result.maxDeletedID = maxDeletedID
        result.entriesAdded = entriesAdded
        return result
    }
}
