import LuaStoreCore

/// ZADD's GT / LT: update an existing member only if its new score is greater / less.
public enum ScoreComparison: Sendable {
    case greaterThan
    case lessThan
}

/// What one ZADD did.
struct ZAddResult {
    var added = 0
    var updated = 0
    /// The member's score after the command (INCR's reply); nil when nothing was processed
    /// (NX on an existing member, XX on a missing one, a GT/LT comparison that failed).
    var score: Double?
}

/// The sorted-set operations on single keys (Redis's t_zset.c, "Sorted set commands"):
/// adds, lookups, removals and pops. Ranges are in `SortedSetOps+Ranges.swift`, the set
/// algebra in `SortedSetOps+Algebra.swift`.
extension KeyspaceAccess {
    /// ``zadd(_:_:condition:comparison:increment:)`` for pairs in an array.
    func zadd(
        _ key: ByteString, _ pairs: [(score: Double, member: ByteString)], condition: SetCondition,
        comparison: ScoreComparison?, increment: Bool
    ) throws(StoreError) -> ZAddResult {
        try pairs.withUnsafeBufferPointer { buffer throws(StoreError) in
            try zadd(key, buffer, condition: condition, comparison: comparison, increment: increment)
        }
    }

    /// ZADD (and ZINCRBY with `increment`). `pairs` are already validated (no NaN). Follows
    /// `zsetAdd`: NX skips existing members, XX missing ones; INCR adds to the current
    /// score; GT/LT compare the new score with the current one; an unchanged score is not
    /// an update.
    /// - Throws: `ERR resulting score is not a number (NaN)` when INCR adds -inf to inf.
    func zadd(
        _ key: ByteString, _ pairs: UnsafeBufferPointer<(score: Double, member: ByteString)>, condition: SetCondition,
        comparison: ScoreComparison?, increment: Bool
    ) throws(StoreError) -> ZAddResult {
        let result = try withKey(key, access: .write) { (s, h) throws(StoreError) -> ZAddResult in
            // The set is used unretained (see ``ShardState/unretainedSortedSet(_:hash:)``).
            let z: Unretained<SortedSetValue>
            if let found = try s.unretainedSortedSet(key, hash: h) {
                z = found
            } else {
                if condition == .ifPresent { return ZAddResult() }
                let created = SortedSetValue()
                s.store(key, hash: h, value: .sortedSet(created))
                z = Unretained(created, keptAliveBy: .keyEntry)
            }
            return try z.borrow { z throws(StoreError) in
                try KeyspaceAccess.zadd(pairs, to: z, condition: condition, comparison: comparison, increment: increment)
            }
        }
        if result.added > 0 { signalKeyReady(key) }
        if result.added + result.updated > 0 { notify(.sortedSet, increment ? "zincr" : "zadd", key) }
        return result
    }

    /// `ZADD key score member` with no option and a non-zero score, the leaderboard
    /// update: whether the member was added. The same as the general ``zadd(_:_:condition:comparison:increment:)``
    /// without its loop, options and result (~220 fewer instructions a call, callgrind).
    func zadd(_ key: ByteString, score: Double, member: ByteString) throws(StoreError) -> Bool {
        var changed = true
        let added = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Bool in
            if let z = try s.unretainedSortedSet(key, hash: h) {
                let previous = z.borrow { $0.set(member, score: score) }
                changed = previous != score
                return previous == nil
            }
            let created = SortedSetValue()
            s.store(key, hash: h, value: .sortedSet(created))
            created.set(member, score: score)
            return true
        }
        if added { signalKeyReady(key) }
        if changed { notify(.sortedSet, "zadd", key) }
        return added
    }

    /// ZADD's per-member rules (`zsetAdd`) applied to `z`.
    @inline(__always)
    private static func zadd(
        _ pairs: UnsafeBufferPointer<(score: Double, member: ByteString)>, to z: SortedSetValue, condition: SetCondition,
        comparison: ScoreComparison?, increment: Bool
    ) throws(StoreError) -> ZAddResult {
        var result = ZAddResult()
        // Plain ZADD of a non-zero score needs one lookup, not two: `set` reports the old
        // score. (A zero score takes the full path: Redis keeps an existing 0 when -0
        // arrives, where `set` would store the -0.)
        let plain = condition == .always && comparison == nil && !increment
        for i in pairs.indices {
            // Read in place: destructuring the pair copied the member (an outlined call).
            let score = pairs[i].score
            let member = pairs[i].member
            if plain && score != 0 {
                if let old = z.set(member, score: score) {
                    if old != score { result.updated += 1 }
                } else {
                    result.added += 1
                }
                result.score = score
            } else if let current = z.score(of: member) {
                if condition == .ifAbsent { continue }
                let new = increment ? current + score : score
                if new.isNaN { throw .scoreNaN }
                switch comparison {
                case .greaterThan? where new <= current, .lessThan? where new >= current: continue
                default: break
                }
                result.score = new
                if new != current {
                    z.set(member, score: new)
                    result.updated += 1
                }
            } else if condition != .ifPresent {
                z.set(member, score: score)
                result.added += 1
                result.score = score
            }
        }
        return result
    }

    /// ZSCORE
    func zscore(_ key: ByteString, _ member: ByteString) throws(StoreError) -> Double? {
        try readSortedSet(key) { $0?.score(of: member) }
    }

    /// ZMSCORE
    func zmscore(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> [Double?] {
        try readSortedSet(key) { z in
            guard let z else { return members.map { _ in nil } }
            return members.map { z.score(of: $0) }
        }
    }

    /// ZCARD
    func zcard(_ key: ByteString) throws(StoreError) -> Int {
        try readSortedSet(key) { $0?.count ?? 0 }
    }

    /// ZCOUNT
    func zcount(_ key: ByteString, _ range: ScoreRange) throws(StoreError) -> Int {
        try readSortedSet(key) { $0?.count(in: range) ?? 0 }
    }

    /// ZLEXCOUNT
    func zlexcount(_ key: ByteString, _ range: LexRange) throws(StoreError) -> Int {
        try readSortedSet(key) { $0?.count(in: range) ?? 0 }
    }

    /// ZRANK / ZREVRANK (with `reverse`).
    func zrank(_ key: ByteString, _ member: ByteString, reverse: Bool) throws(StoreError) -> Int? {
        try readSlot(key) { (s, slot) throws(StoreError) -> Int? in
            guard let slot else { return nil }
            // Unretained, as in ``ShardState/unretainedSortedSet(_:hash:)``: readers of one
            // set on two cores would otherwise write its reference count in turn.
            guard case .sortedSet(let v) = s.table[slot].value else { throw .wrongType }
            return Unretained(v, keptAliveBy: .keyEntry).borrow { $0.rank(of: member, reverse: reverse) }
        }
    }

    /// ZREM: how many of `members` were removed; the key goes when the set empties.
    func zrem(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> Int {
        var emptied = false
        let removed = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let (slot, z) = try s.sortedSet(key, hash: h) else { return 0 }
            var removed = 0
            for member in members where z.remove(member) != nil { removed += 1 }
            if z.isEmpty {
                s.delete(slot: slot)
                emptied = true
            }
            return removed
        }
        notifyRemoval(removed, .sortedSet, "zrem", key, emptied: emptied)
        return removed
    }

    /// ZPOPMIN / ZPOPMAX (with `max`): removes up to `count` members from the low (high)
    /// end, in pop order; the key goes when the set empties. Also the pop that BZPOPMIN /
    /// BZPOPMAX perform once a set has members.
    func zpop(_ key: ByteString, count: Int, max: Bool) throws(StoreError) -> [SortedSetEntry] {
        var emptied = false
        let result = try withKey(key, access: .write) { (s, h) throws(StoreError) -> [SortedSetEntry] in
            guard let (slot, z) = try s.sortedSet(key, hash: h) else { return [] }
            let popped = max ? z.popMax(count) : z.popMin(count)
            if z.isEmpty {
                s.delete(slot: slot)
                emptied = true
            }
            return popped
        }
        notifyRemoval(result.count, .sortedSet, max ? "zpopmax" : "zpopmin", key, emptied: emptied)
        return result
    }

    /// ZMPOP (and BZPOPMIN / BZPOPMAX / BZMPOP answered at once): pops from the first of
    /// `keys` that holds a sorted set, as `genericZpopCommand` does; nil if none does. A key
    /// of another type met before that is an error. No keys or a count below 1 is refused
    /// before any key is read.
    func zmpop(_ keys: [ByteString], count: Int, max: Bool) throws(StoreError) -> (key: ByteString, entries: [SortedSetEntry])? {
        guard !keys.isEmpty else { throw .numkeysNotPositive }
        guard count >= 1 else { throw .countNotPositive }
        return try withKeys(keys, access: Array(repeating: .write, count: keys.count)) { set throws(StoreError) in
            for key in keys {
                let h = key.storeHash
                guard let (slot, z) = try set[h].sortedSet(key, hash: h) else { continue }
                let popped = max ? z.popMax(count) : z.popMin(count)
                if z.isEmpty { set[h].delete(slot: slot) }
                return (key, popped)
            }
            return nil
        }
    }

    /// ZRANDMEMBER: with `count` nil one random member (nil if the key is missing);
    /// otherwise the entries `RandomSelection` picks for `count` (empty if missing).
    /// Refuses a negative count past ``maxRepeatedRandomCount`` before the key is read.
    func zrandmember(_ key: ByteString, count: Int?) throws(StoreError) -> [SortedSetEntry]? {
        if let count { try checkRepeatedRandomCount(count, else: .valueOutOfRangeUnbounded) }
        return try readSortedSet(key) { z -> [SortedSetEntry]? in
            guard let z else { return count == nil ? nil : [] }
            var rng = SystemRandomNumberGenerator()
            guard let count else { return z.randomEntry(using: &rng).map { [$0] } }
            // redis-server 7.0 answers a count covering the whole set from the high end.
            if count >= z.count { return z.entries(ranks: 0..<z.count, reverse: true) }
            return z.randomEntries(count: count, using: &rng)
        }
    }

    /// ZSCAN: one page from `cursor` (see ``SortedSetValue/scan(cursor:count:)``), its
    /// entries filtered on the member by `pattern` (nil: all) after fetching, as Redis
    /// does; nil for a missing key.
    /// - Complexity: O(count) for the indexed encoding, O(n) for the compact one.
    func zscan(
        _ key: ByteString, cursor: UInt64, count: Int, pattern: ByteString?
    ) throws(StoreError) -> (cursor: UInt64, entries: [SortedSetEntry])? {
        try readSortedSet(key) { z -> (cursor: UInt64, entries: [SortedSetEntry])? in
            guard let z else { return nil }
            var page = z.scan(cursor: cursor, count: count)
            if let pattern { page.entries.removeAll { !GlobPattern.matches(pattern, $0.member) } }
            return page
        }
    }

    /// Every entry whose member matches `pattern` (nil: all), in order, in one locked pass:
    /// the typed API's complete ZSCAN iteration. nil for a missing key.
    /// - Complexity: O(n)
    func zscan(_ key: ByteString, pattern: ByteString?) throws(StoreError) -> [SortedSetEntry]? {
        try readSortedSet(key) { z -> [SortedSetEntry]? in
            guard let z else { return nil }
            guard let pattern else { return z.entries }
            var out: [SortedSetEntry] = []
            z.forEach(ranks: 0..<z.count) { if GlobPattern.matches(pattern, $0.member) { out.append($0) } }
            return out
        }
    }
}

extension KeyspaceAccess {
    /// A read-only `body` on the sorted set under `key` (nil when the key is missing),
    /// through ``readCollection(_:_:_:)``: without the shard lock when the shard is
    /// read-biased.
    /// - Throws: ``StoreError/wrongType`` if the key holds another type.
    @inline(__always)
    func readSortedSet<R>(_ key: ByteString, _ body: (SortedSetValue?) throws(StoreError) -> R) throws(StoreError) -> R {
        try readCollection(key, { if case .sortedSet(let v) = $0 { v } else { nil } }, body)
    }
}

extension ShardState {
    /// The sorted set under `key` without a retain, for a read under the shard lock (the
    /// entry keeps it alive): a retain and release of the set per call are two atomic
    /// operations on its header.
    @inline(__always)
    mutating func unretainedSortedSet(_ key: ByteString, hash: UInt64) throws(StoreError) -> Unretained<SortedSetValue>? {
        guard let slot = lookup(key, hash: hash) else { return nil }
        guard case .sortedSet(let v) = table[slot].value else { throw .wrongType }
        collectionsTouched = true    // a write settles its memory (ShardState+Memory)
        return Unretained(v, keptAliveBy: .keyEntry)
    }

    /// The sorted set under `key` and its slot, nil if the key is missing.
    /// - Throws: ``StoreError/wrongType`` if the key holds another type.
    @inline(__always)
    mutating func sortedSet(_ key: ByteString, hash: UInt64) throws(StoreError) -> (slot: Int, zset: SortedSetValue)? {
        try collection(key, hash: hash) { if case .sortedSet(let v) = $0 { v } else { nil } }.map { (slot: $0.0, zset: $0.1) }
    }
}
