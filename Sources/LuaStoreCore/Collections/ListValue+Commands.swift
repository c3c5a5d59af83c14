/// The O(n) list commands (LRANGE, LINSERT, LREM, LTRIM, LPOS), with Redis's index rules.
extension ListValue {
    /// LRANGE: the elements `start ... stop` (inclusive, negative from the tail, clamped).
    /// - Complexity: O(k) (quicklist), O(n) listpack.
    @usableFromInline package func range(start: Int, stop: Int) -> [ByteString] {
        elements(in: RedisIndex.range(start: start, stop: stop, count: count))
    }

    /// LINSERT: inserts `x` before (or after) the first element equal to `pivot`, searching
    /// from the head. Returns false, changing nothing, if there is no such element.
    /// - Complexity: O(n)
    @discardableResult
    @usableFromInline package func insert(_ x: ByteString, before: Bool, pivot: ByteString) -> Bool {
        guard let p = positions(of: pivot, rank: 1, count: 1).first else { return false }
        let i = before ? p : p + 1
        if isCompact && count < Self.maxCompactEntries
            && packed.bytes.count + PackedList.encodedSize(x) <= Self.maxCompactBytes {
            packed.insert(x, at: i)
        } else if isCompact {
            var all = packed.elements
            all.insert(x, at: i)
            replaceAll(with: all)
        } else {
            ring.insert(x, at: i)
        }
        return true
    }

    /// LREM: removes elements equal to `x`: the first `count` from the head when
    /// `count > 0`, the last `-count` from the tail when `count < 0`, all when 0. Returns
    /// the number removed.
    /// - Complexity: O(n)
    @discardableResult
    @usableFromInline package func remove(_ x: ByteString, count: Int) -> Int {
        let limit = count == 0 ? 0 : (count == Int.min ? Int.max : abs(count))
        let doomed = positions(of: x, rank: count < 0 ? -1 : 1, count: limit)
        if doomed.isEmpty { return 0 }
        if !isCompact && doomed.count == 1 {
            ring.remove(at: doomed[0])
        } else {
            let drop = Set(doomed)
            var kept: [ByteString] = []
            kept.reserveCapacity(self.count - doomed.count)
            for (i, e) in allElements.enumerated() where !drop.contains(i) { kept.append(e) }
            replaceAll(with: kept)
        }
        didShrink()
        return doomed.count
    }

    /// LTRIM: keeps only `start ... stop` (LRANGE's rules; an empty selection empties the
    /// list, and the caller then deletes the key).
    /// - Complexity: O(removed) (quicklist), O(n) listpack.
    @usableFromInline package func trim(start: Int, stop: Int) {
        let n = count
        let keep = RedisIndex.range(start: start, stop: stop, count: n)
        if keep.isEmpty {
            replaceAll(with: [])
            return
        }
        if isCompact {
            packed.removeSubrange(keep.upperBound..<n)
            packed.removeSubrange(0..<keep.lowerBound)
        } else {
            ring.removeLast(n - keep.upperBound)
            ring.removeFirst(keep.lowerBound)
        }
        didShrink()
    }

    /// LPOS: the indices (from the head) of elements equal to `x`. `rank` (never 0) picks
    /// the rank-th match from the head, or `-rank`-th from the tail when negative, scanning
    /// in that direction; `count` is how many matches to return (0: all); `maxLength`
    /// bounds how many elements are compared (0: no bound). Matches come in scan order.
    /// - Complexity: O(n)
    @usableFromInline package func positions(of x: ByteString, rank: Int = 1, count: Int = 1, maxLength: Int = 0) -> [Int] {
        precondition(rank != 0, "LPOS RANK 0 is rejected by the command layer")
        let n = self.count
        let fromTail = rank < 0
        var skip = rank == Int.min ? Int.max : abs(rank) - 1
        let scanned = maxLength <= 0 ? n : Swift.min(maxLength, n)
        var out: [Int] = []
        func consider(_ i: Int) -> Bool {
            if skip > 0 {
                skip -= 1
            } else {
                out.append(i)
            }
            return count != 0 && out.count >= count
        }
        if isCompact {
            // The packed form only walks forwards: collect the candidates, then take them
            // in scan order.
            var matches: [Int] = []
            packed.forEachMatch(of: x) { matches.append($0) }
            let window = fromTail ? (n - scanned)..<n : 0..<scanned
            for i in (fromTail ? matches.reversed() : matches) where window.contains(i) {
                if consider(i) { break }
            }
        } else {
            for k in 0..<scanned {
                let i = fromTail ? n - 1 - k : k
                if ring[i] == x && consider(i) { break }
            }
        }
        return out
    }
}
