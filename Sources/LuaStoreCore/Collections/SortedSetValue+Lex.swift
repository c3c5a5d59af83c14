/// Lex ranges walked the way redis-server walks them.
///
/// A lex range is only meaningful when every member has the same score, but Redis answers
/// it on any set, and users rely on whatever it answers. Redis does not search for the
/// whole window: it finds the first member >= min (listpack: a scan from the low end;
/// skiplist: a descent, in effect a binary search), checks it is <= max, then walks on
/// while members stay <= max (reversed: from the last member <= max, down while >= min).
/// LIMIT's offset is skipped without range checks. On a set with mixed scores these
/// differ from a window found by two binary searches, so this file repeats Redis's steps:
/// the compact encoding scans like the listpack, exactly; the indexed one uses the tree's
/// binary search as the skiplist descent does (Redis's own answer there depends on its
/// random node levels).
extension SortedSetValue {
    /// ZRANGEBYLEX / ZREVRANGEBYLEX / ZRANGE BYLEX with LIMIT (a negative `limit`: all),
    /// as `genericZrangebylexCommand`.
    /// - Complexity: O(log n + offset + k) indexed, O(n) compact.
    @usableFromInline package func entries(in range: LexRange, reverse: Bool = false, offset: Int = 0, limit: Int = -1) -> [SortedSetEntry] {
        guard var rank = reverse ? lastInLexRange(range) : firstInLexRange(range) else { return [] }
        let step = reverse ? -1 : 1
        if offset < 0 || offset >= count { return [] }
        rank += offset * step
        var out: [SortedSetEntry] = []
        var remaining = limit
        while rank >= 0 && rank < count && remaining != 0 {
            let e = entry(atRank: rank)
            if reverse ? !range.isAboveMin(e.member) : !range.isBelowMax(e.member) { break }
            out.append(e)
            remaining -= 1
            rank += step
        }
        return out
    }

    /// ZLEXCOUNT, as `zsetLexCount`: listpack walks on from the first member in range;
    /// skiplist subtracts the ranks of the first and last members in range.
    /// - Complexity: O(log n) indexed, O(n) compact.
    @usableFromInline package func count(in range: LexRange) -> Int {
        guard let first = firstInLexRange(range) else { return 0 }
        if isCompact { return lexRunEnd(from: first, range) - first }
        guard let last = lastInLexRange(range) else { return count - first }
        return last - first + 1
    }

    /// The ranks ZREMRANGEBYLEX removes: from the first member in range, on while <= max.
    /// - Complexity: O(log n + k) indexed, O(n) compact.
    @usableFromInline package func removalRanks(in range: LexRange) -> Range<Int> {
        guard let first = firstInLexRange(range) else { return 0..<0 }
        return first..<lexRunEnd(from: first, range)
    }

    /// ZREMRANGEBYLEX; returns the number removed.
    /// - Complexity: O(k log n)
    @discardableResult
    @usableFromInline package func remove(in range: LexRange) -> Int { removeRanks(removalRanks(in: range)) }

    /// The rank after the run of members <= max that starts at `first`.
    private func lexRunEnd(from first: Int, _ range: LexRange) -> Int {
        var end = first
        while end < count && range.isBelowMax(entry(atRank: end).member) { end += 1 }
        return end
    }

    /// `zslFirstInLexRange` / `zzlFirstInLexRange`.
    func firstInLexRange(_ range: LexRange) -> Int? {
        guard mayIntersect(range) else { return nil }
        let first: Int
        if isCompact {
            var i = 0
            while i < count && !range.isAboveMin(entry(atRank: i).member) { i += 1 }
            first = i
        } else {
            first = rank { !range.isAboveMin($0.member) }
        }
        guard first < count, range.isBelowMax(entry(atRank: first).member) else { return nil }
        return first
    }

    /// `zslLastInLexRange` / `zzlLastInLexRange`.
    func lastInLexRange(_ range: LexRange) -> Int? {
        guard mayIntersect(range) else { return nil }
        let last: Int
        if isCompact {
            var i = count - 1
            while i >= 0 && !range.isBelowMax(entry(atRank: i).member) { i -= 1 }
            last = i
        } else {
            last = rank { range.isBelowMax($0.member) } - 1
        }
        guard last >= 0, range.isAboveMin(entry(atRank: last).member) else { return nil }
        return last
    }

    /// `zslIsInLexRange`: false when the range is empty (min above max, or equal with an
    /// exclusive end), when the last member is below min or the first above max.
    private func mayIntersect(_ range: LexRange) -> Bool {
        let order = LexBound.compare(range.min, range.max)
        if order > 0 { return false }
        if order == 0 {
            switch (range.min, range.max) {
            case (.inclusive, .inclusive): break
            default: return false
            }
        }
        guard !isEmpty else { return false }
        return range.isAboveMin(entry(atRank: count - 1).member) && range.isBelowMax(entry(atRank: 0).member)
    }
}

extension LexBound {
    /// `sdscmplex`: `-` below every string, `+` above, strings by bytes; a bound equals
    /// itself.
    static func compare(_ a: LexBound, _ b: LexBound) -> Int {
        switch (a, b) {
        case (.negativeInfinity, .negativeInfinity), (.positiveInfinity, .positiveInfinity): return 0
        case (.negativeInfinity, _), (_, .positiveInfinity): return -1
        case (.positiveInfinity, _), (_, .negativeInfinity): return 1
        case let (.inclusive(x), .inclusive(y)), let (.inclusive(x), .exclusive(y)),
             let (.exclusive(x), .inclusive(y)), let (.exclusive(x), .exclusive(y)):
            return x.compare(y)
        }
    }
}
