import LuaStoreCore

/// Which members a ZRANGE-style command selects: by rank (`start stop`, negative from the
/// end), by score or by member bytes. A score or lex range is always given low to high;
/// `reverse` only decides the walk order (and so where LIMIT's offset starts).
public enum SortedSetRange: Sendable, Hashable {
    case rank(start: Int, stop: Int)
    case score(ScoreRange)
    case lex(LexRange)
}

/// ZRANGE and its older forms, ZRANGESTORE and the ZREMRANGEBY* commands: each resolves
/// its ``SortedSetRange`` to a window of ranks, then walks or removes that window.
extension KeyspaceAccess {
    /// ZRANGE / ZRANGEBYSCORE / ZRANGEBYLEX / ZREVRANGE...: the selected entries in walk
    /// order, after skipping `offset` and keeping at most `limit` (negative: all).
    func zrange(
        _ key: ByteString, _ range: SortedSetRange, reverse: Bool = false, offset: Int = 0, limit: Int = -1
    ) throws(StoreError) -> [SortedSetEntry] {
        try readSortedSet(key) { z -> [SortedSetEntry] in
            guard let z else { return [] }
            return z.select(range, reverse: reverse, offset: offset, limit: limit)
        }
    }

    /// ZRANGE by rank: calls `visit` with each selected entry in walk order, under the
    /// shard lock, straight from the tree walk (no intermediate entry array; the family
    /// builds its reply as it goes). Returns how many entries there are first, so the
    /// caller can reserve; a missing key selects nothing.
    func zrangeByRank(
        _ key: ByteString, start: Int, stop: Int, reverse: Bool,
        reserve: (Int) -> Void, visit: (SortedSetEntry) -> Void
    ) throws(StoreError) {
        try readSortedSet(key) { z in
            guard let z else { return }
            let window = z.ranks(start: start, stop: stop)
            let ascending = reverse ? (z.count - window.upperBound)..<(z.count - window.lowerBound) : window
            reserve(ascending.count)
            z.forEach(ranks: ascending, reverse: reverse, visit)
        }
    }

    /// ZRANGESTORE: stores the selection in `destination` (replacing whatever it held)
    /// and returns its size; an empty selection deletes `destination`.
    func zrangestore(
        _ destination: ByteString, _ source: ByteString, _ range: SortedSetRange, reverse: Bool, offset: Int, limit: Int
    ) throws(StoreError) -> Int {
        let stored = try withKeys([destination, source], access: [.write, .read]) { set throws(StoreError) -> Int in
            let sh = source.storeHash
            guard let z = try set[sh].sortedSet(source, hash: sh)?.zset else {
                set.replace(destination, with: [])
                return 0
            }
            let selected = z.select(range, reverse: reverse, offset: offset, limit: limit)
            set.replace(destination, with: selected)
            return selected.count
        }
        if stored > 0 { signalKeyReady(destination) }
        return stored
    }

    /// ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX: how many members were removed;
    /// the key goes when the set empties.
    func zremrange(_ key: ByteString, _ range: SortedSetRange) throws(StoreError) -> Int {
        try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let (slot, z) = try s.sortedSet(key, hash: h) else { return 0 }
            let removed = z.removeRanks(z.ranks(selecting: range))
            if z.isEmpty { s.delete(slot: slot) }
            return removed
        }
    }
}

extension SortedSetValue {
    /// The ascending ranks a rank or score range selects (lex ranges are walked instead:
    /// see `SortedSetValue+Lex.swift`).
    /// - Complexity: O(log n)
    func ranks(selecting range: SortedSetRange) -> Range<Int> {
        switch range {
        case .rank(let start, let stop): return ranks(start: start, stop: stop)
        case .score(let r): return ranks(in: r)
        case .lex(let r): return removalRanks(in: r)
        }
    }

    /// The entries `range` selects, walked from the low end (from the high end with
    /// `reverse`), LIMIT applied to score and lex ranges only (Redis accepts
    /// `LIMIT offset -1` on a rank range and ignores it). For a rank range `reverse` also
    /// reverses the indices: ZREVRANGE 0 0 is the highest member.
    /// - Complexity: O(log n + offset + k)
    func select(_ range: SortedSetRange, reverse: Bool, offset: Int, limit: Int) -> [SortedSetEntry] {
        switch range {
        case .rank(let start, let stop):
            let window = ranks(start: start, stop: stop)
            let ascending = reverse ? (count - window.upperBound)..<(count - window.lowerBound) : window
            return entries(ranks: ascending, reverse: reverse)
        case .score(let r):
            return entries(ranks: ranks(in: r), reverse: reverse, offset: offset, limit: limit)
        case .lex(let r):
            return entries(in: r, reverse: reverse, offset: offset, limit: limit)
        }
    }
}

extension LockedShards {
    /// Replaces whatever `key` holds with a sorted set of `entries`, or deletes it when
    /// `entries` is empty (the *STORE commands). The TTL goes too, as with Redis's
    /// `setKey`.
    func replace(_ key: ByteString, with entries: [SortedSetEntry]) {
        let h = key.storeHash
        if entries.isEmpty {
            if let slot = self[h].lookup(key, hash: h) { self[h].delete(slot: slot) }
            return
        }
        let z = SortedSetValue()
        for e in entries { z.set(e.member, score: e.score) }
        if !z.isCompact {
            // Redis builds the result as a skiplist, which keeps -0 scores, and converts it
            // to a listpack only if small. This set passed through its compact encoding
            // (which stores -0 as 0, as a listpack reads back) before growing: restore them.
            for e in entries where e.score == 0 && e.score.sign == .minus { z.set(e.member, score: e.score) }
        }
        self[h].store(key, hash: h, value: .sortedSet(z))
    }
}
