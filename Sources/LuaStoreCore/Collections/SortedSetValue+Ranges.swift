/// Score ranges, pops and random picks: all of them reduce to a rank range found by two
/// ``SortedSetValue/rank(where:)`` searches, then a walk by rank. Lex ranges follow
/// Redis's own walk instead (`SortedSetValue+Lex.swift`).
extension SortedSetValue {
    /// The ranks whose scores fall in `range` (empty when none do or min > max).
    /// - Complexity: O(log n)
    @usableFromInline package func ranks(in range: ScoreRange) -> Range<Int> {
        let lo = rank { !range.isAboveMin($0.score) }
        let hi = rank { range.isBelowMax($0.score) }
        return lo..<Swift.max(lo, hi)
    }

    /// The ranks that ZRANGE's `start stop` select (negative from the end, clamped).
    /// - Complexity: O(1)
    @usableFromInline package func ranks(start: Int, stop: Int) -> Range<Int> {
        RedisIndex.range(start: start, stop: stop, count: count)
    }

    /// ZCOUNT.
    /// - Complexity: O(log n)
    @usableFromInline package func count(in range: ScoreRange) -> Int { ranks(in: range).count }

    /// The entries of `ranks` in walk order (descending with `reverse`), skipping `offset`
    /// and keeping at most `limit` (negative: all), as ZRANGE ... LIMIT offset count does.
    /// A negative `offset` selects nothing, as in Redis.
    /// - Complexity: O(log n + offset + k)
    @usableFromInline package func entries(ranks: Range<Int>, reverse: Bool, offset: Int, limit: Int) -> [SortedSetEntry] {
        if offset < 0 || offset >= ranks.count { return [] }
        let available = ranks.count - offset
        let k = limit < 0 ? available : Swift.min(limit, available)
        let window = reverse
            ? (ranks.upperBound - offset - k)..<(ranks.upperBound - offset)
            : (ranks.lowerBound + offset)..<(ranks.lowerBound + offset + k)
        return entries(ranks: window, reverse: reverse)
    }

    /// ZRANGEBYSCORE / ZREVRANGEBYSCORE (with `reverse`, walking from the top).
    /// - Complexity: O(log n + k)
    @usableFromInline package func entries(in range: ScoreRange, reverse: Bool = false, offset: Int = 0, limit: Int = -1) -> [SortedSetEntry] {
        entries(ranks: ranks(in: range), reverse: reverse, offset: offset, limit: limit)
    }

    /// ZREMRANGEBYSCORE; returns the number removed.
    /// - Complexity: O(k log n)
    @discardableResult
    @usableFromInline package func remove(in range: ScoreRange) -> Int { removeRanks(ranks(in: range)) }

    /// ZPOPMIN: removes and returns up to `count` lowest entries, lowest first.
    /// - Complexity: O(k log n)
    @usableFromInline package func popMin(_ count: Int = 1) -> [SortedSetEntry] {
        let window = 0..<Swift.min(Swift.max(count, 0), self.count)
        let out = entries(ranks: window)
        removeRanks(window)
        return out
    }

    /// ZPOPMAX: removes and returns up to `count` highest entries, highest first.
    /// - Complexity: O(k log n)
    @usableFromInline package func popMax(_ count: Int = 1) -> [SortedSetEntry] {
        let n = self.count
        let window = (n - Swift.min(Swift.max(count, 0), n))..<n
        let out = entries(ranks: window, reverse: true)
        removeRanks(window)
        return out
    }

    /// ZRANDMEMBER with a count: `count >= 0` gives up to `count` distinct entries (all of
    /// them, in order, when `count >= self.count`); `count < 0` gives `-count` entries
    /// drawn with repetition. The caller bounds `-count`.
    /// - Complexity: O(|count| log n)
    @usableFromInline package func randomEntries(count: Int, using rng: inout some RandomNumberGenerator) -> [SortedSetEntry] {
        RandomSelection.positions(count: count, in: self.count, using: &rng).map { entry(atRank: $0) }
    }

    /// ZRANDMEMBER without a count.
    /// - Complexity: O(log n)
    @usableFromInline package func randomEntry(using rng: inout some RandomNumberGenerator) -> SortedSetEntry? {
        isEmpty ? nil : entry(atRank: Int.random(in: 0..<count, using: &rng))
    }
}
