/// SSCAN, HSCAN and ZSCAN pages, as Redis's `scanGenericCommand` builds them for a key.
///
/// The compact encodings (intset, listpack) come back whole with cursor 0 whatever the
/// cursor and COUNT, as Redis returns them. The large encodings are walked through their
/// member index with Redis's reverse-binary cursor (see `SlotIndex+Scan.swift`): a page
/// visits home buckets until it holds `count` elements or has visited ten times `count`
/// buckets (twenty for hashes and sorted sets, whose Redis replies count fields and
/// values), so a call costs O(count), and an element present for a whole iteration is
/// returned at least once whatever is added or removed between calls.
///
/// MATCH is not applied here: Redis filters after fetching, so COUNT bounds the elements
/// visited, not the elements returned.
enum CollectionScan {
    /// The bucket budget of one page: `factor` x `count`, saturating.
    static func bucketBudget(count: Int, factor: Int) -> Int {
        let (budget, overflow) = Swift.max(1, count).multipliedReportingOverflow(by: factor)
        return overflow ? Int.max : budget
    }

    /// One page over a large encoding: `elements` indexed by `index`, each hashed by the
    /// bytes `key` names.
    static func page<T>(
        _ elements: [T], index: SlotIndex, cursor: UInt64, count: Int, bucketFactor: Int, key: (T) -> ByteString
    ) -> (cursor: UInt64, elements: [T]) {
        var out: [T] = []
        out.reserveCapacity(Swift.max(0, Swift.min(count, elements.count)))
        let next = elements.withUnsafeBufferPointer { e in
            index.scan(
                cursor: cursor, count: count, maxBuckets: bucketBudget(count: count, factor: bucketFactor),
                hashOf: { key(e[Int($0)]).storeHash }
            ) { out.append(e[Int($0)]) }
        }
        return (next, out)
    }
}

extension SetValue {
    /// One SSCAN page from `cursor`: the members and the cursor to continue from (0 when
    /// the iteration is done). intset and listpack: every member, cursor 0.
    /// - Complexity: hashtable O(count) expected; O(n) for the compact encodings (n <= 512).
    @usableFromInline package func scan(cursor: UInt64, count: Int) -> (cursor: UInt64, members: [ByteString]) {
        guard encoding == .hashtable else { return (0, allMembers) }
        let page = CollectionScan.page(members, index: index, cursor: cursor, count: count, bucketFactor: 10) { $0 }
        return (page.cursor, page.elements)
    }
}

extension HashValue {
    /// One HSCAN page from `cursor`: the entries and the cursor to continue from (0 when
    /// the iteration is done). listpack: every entry, cursor 0.
    /// - Complexity: hashtable O(count) expected; O(n) for listpack (n <= 128).
    @usableFromInline package func scan(cursor: UInt64, count: Int) -> (cursor: UInt64, entries: [HashEntry]) {
        if isCompact { return (0, entries) }
        let page = CollectionScan.page(entries, index: index, cursor: cursor, count: count, bucketFactor: 20) { $0.field }
        return (page.cursor, page.elements)
    }
}

extension SortedSetValue {
    /// One ZSCAN page from `cursor`: the entries and the cursor to continue from (0 when
    /// the iteration is done). Compact (listpack): every entry in order, cursor 0.
    /// - Complexity: indexed O(count) expected; O(n) for the compact encoding (n <= 128).
    @usableFromInline package func scan(cursor: UInt64, count: Int) -> (cursor: UInt64, entries: [SortedSetEntry]) {
        if isCompact { return (0, compact) }
        let page = CollectionScan.page(slots, index: index, cursor: cursor, count: count, bucketFactor: 20) { $0.member }
        return (page.cursor, page.elements)
    }
}
