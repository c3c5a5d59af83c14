import LuaStoreCore

/// The sorted-set commands as typed calls: scores are `Double`s and results are
/// ``SortedSetEntry`` values, never text.
extension KeyValueCommands {
    /// ZADD: adds members or updates their scores; returns how many were added (with
    /// `changed`, CH: added or updated).
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - members: score and member pairs, applied in order.
    ///   - condition: NX (`.ifAbsent`: only add) or XX (`.ifPresent`: only update).
    ///   - comparison: GT / LT: update only to a greater / smaller score.
    ///   - changed: CH: count updated members too.
    /// - Throws: `StoreError.wrongType`, the ZADD option conflicts Redis reports, or
    ///   `StoreError.notFloat` for a NaN score.
    /// - Complexity: O(log n) per member
    @discardableResult
    public func zadd(
        _ key: ByteString, _ members: [(score: Double, member: ByteString)], condition: SetCondition = .always,
        comparison: ScoreComparison? = nil, changed: Bool = false
    ) throws(StoreError) -> Int {
        try Self.checkZAddOptions(condition, comparison, count: members.count, anyNaN: members.contains(where: { $0.score.isNaN }))
        let scope = commandScope
        try scope.checkWrite(key)
        let result = try members.withUnsafeBufferPointer { pairs throws(StoreError) in
            try scope.keyspace.zadd(key, pairs, condition: condition, comparison: comparison, increment: false)
        }
        return changed ? result.added + result.updated : result.added
    }

    /// ZADD with one member (`ZADD key score member`), the leaderboard update: the same as
    /// ``zadd(_:_:condition:comparison:changed:)`` without building an array of pairs.
    /// - Complexity: O(log n)
    @discardableResult
    public func zadd(
        _ key: ByteString, score: Double, member: ByteString, condition: SetCondition = .always,
        comparison: ScoreComparison? = nil, changed: Bool = false
    ) throws(StoreError) -> Int {
        let scope = commandScope
        if condition == .always && comparison == nil && !changed && score != 0 && !score.isNaN {
            try scope.checkWrite(key)
            return try scope.keyspace.zadd(key, score: score, member: member) ? 1 : 0
        }
        let pair = (score: score, member: member)
        try Self.checkZAddOptions(condition, comparison, count: 1, anyNaN: pair.score.isNaN)
        try scope.checkWrite(key)
        let result = try withUnsafePointer(to: pair) { p throws(StoreError) in
            try scope.keyspace.zadd(key, UnsafeBufferPointer(start: p, count: 1), condition: condition, comparison: comparison, increment: false)
        }
        return changed ? result.added + result.updated : result.added
    }

    /// ZADD ... INCR: adds `increment` to the member's score under the same conditions as
    /// ``zadd(_:_:condition:comparison:changed:)``; the new score, or nil when a condition
    /// prevented the change.
    /// - Complexity: O(log n)
    @discardableResult
    public func zaddIncr(
        _ key: ByteString, _ increment: Double, _ member: ByteString, condition: SetCondition = .always,
        comparison: ScoreComparison? = nil
    ) throws(StoreError) -> Double? {
        let pair = (score: increment, member: member)
        try Self.checkZAddOptions(condition, comparison, count: 1, anyNaN: pair.score.isNaN)
        let scope = commandScope
        try scope.checkWrite(key)
        return try withUnsafePointer(to: pair) { p throws(StoreError) in
            try scope.keyspace.zadd(key, UnsafeBufferPointer(start: p, count: 1), condition: condition, comparison: comparison, increment: true)
        }.score
    }

    /// ZINCRBY: the member's new score.
    /// - Throws: `ERR resulting score is not a number (NaN)` for inf + -inf.
    /// - Complexity: O(log n)
    @discardableResult
    public func zincrby(_ key: ByteString, _ increment: Double, _ member: ByteString) throws(StoreError) -> Double {
        try zaddIncr(key, increment, member) ?? increment
    }

    private static func checkZAddOptions(
        _ condition: SetCondition, _ comparison: ScoreComparison?, count: Int, anyNaN: Bool
    ) throws(StoreError) {
        if condition == .ifAbsent && comparison != nil {
            throw .zaddGTLTAndNX
        }
        if count == 0 { throw .wrongArity(command: "zadd") }
        if anyNaN { throw .notFloat }
    }

    /// ZSCORE
    /// - Complexity: O(1)
    public func zscore(_ key: ByteString, _ member: ByteString) throws(StoreError) -> Double? {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zscore(key, member)
    }

    /// ZMSCORE: one optional score per member.
    /// - Complexity: O(N) members
    public func zmscore(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> [Double?] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zmscore(key, members)
    }

    /// ZCARD
    /// - Complexity: O(1)
    public func zcard(_ key: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zcard(key)
    }

    /// ZCOUNT
    /// - Complexity: O(log n)
    public func zcount(_ key: ByteString, _ range: ScoreRange) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zcount(key, range)
    }

    /// ZLEXCOUNT
    /// - Complexity: O(log n)
    public func zlexcount(_ key: ByteString, _ range: LexRange) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zlexcount(key, range)
    }

    /// ZRANK: the 0-based rank by ascending score, nil if absent.
    /// - Complexity: O(log n)
    public func zrank(_ key: ByteString, _ member: ByteString) throws(StoreError) -> Int? {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zrank(key, member, reverse: false)
    }

    /// ZREVRANK: the 0-based rank by descending score, nil if absent.
    /// - Complexity: O(log n)
    public func zrevrank(_ key: ByteString, _ member: ByteString) throws(StoreError) -> Int? {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zrank(key, member, reverse: true)
    }

    /// ZRANGE: the entries `range` selects, from the low end or (`reverse`, REV) the high
    /// end. `offset` and `count` are LIMIT (score and lex ranges only; a negative count
    /// means all).
    /// - Complexity: O(log n + offset + k)
    public func zrange(
        _ key: ByteString, _ range: SortedSetRange, reverse: Bool = false, offset: Int = 0, count: Int = -1
    ) throws(StoreError) -> [SortedSetEntry] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zrange(key, range, reverse: reverse, offset: offset, limit: count)
    }

    /// ZRANGE key start stop: the entries at ranks `start...stop` (negative from the end).
    /// - Complexity: O(log n + k)
    public func zrange(_ key: ByteString, _ start: Int, _ stop: Int) throws(StoreError) -> [SortedSetEntry] {
        try zrange(key, .rank(start: start, stop: stop))
    }

    /// ZREVRANGE key start stop: ranks counted from the highest score.
    /// - Complexity: O(log n + k)
    public func zrevrange(_ key: ByteString, _ start: Int, _ stop: Int) throws(StoreError) -> [SortedSetEntry] {
        try zrange(key, .rank(start: start, stop: stop), reverse: true)
    }

    /// ZRANGEBYSCORE (ZREVRANGEBYSCORE with `reverse`).
    /// - Complexity: O(log n + offset + k)
    public func zrangebyscore(
        _ key: ByteString, _ range: ScoreRange, reverse: Bool = false, offset: Int = 0, count: Int = -1
    ) throws(StoreError) -> [SortedSetEntry] {
        try zrange(key, .score(range), reverse: reverse, offset: offset, count: count)
    }

    /// ZRANGEBYLEX (ZREVRANGEBYLEX with `reverse`): the members only, as Redis.
    /// - Complexity: O(log n + offset + k)
    public func zrangebylex(
        _ key: ByteString, _ range: LexRange, reverse: Bool = false, offset: Int = 0, count: Int = -1
    ) throws(StoreError) -> [ByteString] {
        try zrange(key, .lex(range), reverse: reverse, offset: offset, count: count).map(\.member)
    }

    /// ZRANGESTORE: stores the selection in `destination`; returns its size (0 deletes
    /// `destination`).
    /// - Complexity: O(log n + k log k)
    @discardableResult
    public func zrangestore(
        _ destination: ByteString, _ source: ByteString, _ range: SortedSetRange, reverse: Bool = false,
        offset: Int = 0, count: Int = -1
    ) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(destination)
        try scope.check(source)
        return try scope.keyspace.zrangestore(destination, source, range, reverse: reverse, offset: offset, limit: count)
    }

    /// ZREM: how many of `members` were removed.
    /// - Complexity: O(log n) per member
    @discardableResult
    public func zrem(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.zrem(key, members)
    }

    /// ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX, by the kind of `range`: how many
    /// members were removed.
    /// - Complexity: O(log n + k log n)
    @discardableResult
    public func zremrange(_ key: ByteString, _ range: SortedSetRange) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.zremrange(key, range)
    }

    /// ZPOPMIN: up to `count` lowest entries, lowest first.
    /// - Complexity: O(k log n)
    @discardableResult
    public func zpopmin(_ key: ByteString, count: Int = 1) throws(StoreError) -> [SortedSetEntry] {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.zpop(key, count: max(count, 0), max: false)
    }

    /// ZPOPMAX: up to `count` highest entries, highest first.
    /// - Complexity: O(k log n)
    @discardableResult
    public func zpopmax(_ key: ByteString, count: Int = 1) throws(StoreError) -> [SortedSetEntry] {
        let scope = commandScope
        try scope.checkWrite(key)
        return try scope.keyspace.zpop(key, count: max(count, 0), max: true)
    }

    /// ZMPOP: pops up to `count` entries from the low end (high end with `max`) of the
    /// first key holding a sorted set; nil if none does.
    /// - Complexity: O(k log n)
    public func zmpop(_ keys: [ByteString], max: Bool, count: Int = 1) throws(StoreError) -> (key: ByteString, entries: [SortedSetEntry])? {
        let scope = commandScope
        try scope.checkWrite(keys)
        return try scope.keyspace.zmpop(keys, count: count, max: max)
    }

    /// ZRANDMEMBER key: one random member, nil if the key is missing.
    /// - Complexity: O(log n)
    public func zrandmember(_ key: ByteString) throws(StoreError) -> ByteString? {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zrandmember(key, count: nil)?.first?.member
    }

    /// ZRANDMEMBER key count: `count >= 0` distinct entries (the whole set if it is
    /// smaller), `count < 0` gives `-count` entries that may repeat.
    /// - Complexity: O(|count| log n)
    public func zrandmember(_ key: ByteString, count: Int) throws(StoreError) -> [SortedSetEntry] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zrandmember(key, count: count) ?? []
    }

    /// ZUNION: the union of sorted sets (sets count with score 1), scores weighted then
    /// aggregated.
    /// - Complexity: O(N log N) in the input sizes
    public func zunion(_ keys: [ByteString], weights: [Double]? = nil, aggregate: ScoreAggregate = .sum) throws(StoreError) -> [SortedSetEntry] {
        try combine(keys, .union, weights: weights, aggregate: aggregate, command: "zunion")
    }

    /// ZINTER: the members present in every input.
    /// - Complexity: O(N log N) in the smallest input
    public func zinter(_ keys: [ByteString], weights: [Double]? = nil, aggregate: ScoreAggregate = .sum) throws(StoreError) -> [SortedSetEntry] {
        try combine(keys, .inter, weights: weights, aggregate: aggregate, command: "zinter")
    }

    /// ZDIFF: the members of the first input that are in no other, with their scores.
    /// - Complexity: O(N log N) in the input sizes
    public func zdiff(_ keys: [ByteString]) throws(StoreError) -> [SortedSetEntry] {
        try combine(keys, .diff, weights: nil, aggregate: .sum, command: "zdiff")
    }

    /// ZUNIONSTORE: the size of the stored union (0 deletes `destination`).
    /// - Complexity: O(N log N) in the input sizes
    @discardableResult
    public func zunionstore(_ destination: ByteString, _ keys: [ByteString], weights: [Double]? = nil, aggregate: ScoreAggregate = .sum) throws(StoreError) -> Int {
        try combineStore(destination, keys, .union, weights: weights, aggregate: aggregate, command: "zunionstore")
    }

    /// ZINTERSTORE: the size of the stored intersection (0 deletes `destination`).
    /// - Complexity: O(N log N) in the smallest input
    @discardableResult
    public func zinterstore(_ destination: ByteString, _ keys: [ByteString], weights: [Double]? = nil, aggregate: ScoreAggregate = .sum) throws(StoreError) -> Int {
        try combineStore(destination, keys, .inter, weights: weights, aggregate: aggregate, command: "zinterstore")
    }

    /// ZDIFFSTORE: the size of the stored difference (0 deletes `destination`).
    /// - Complexity: O(N log N) in the input sizes
    @discardableResult
    public func zdiffstore(_ destination: ByteString, _ keys: [ByteString]) throws(StoreError) -> Int {
        try combineStore(destination, keys, .diff, weights: nil, aggregate: .sum, command: "zdiffstore")
    }

    /// ZINTERCARD: the size of the intersection, counting stops at `limit` (0: no limit).
    /// - Complexity: O(N log N) in the smallest input
    public func zintercard(_ keys: [ByteString], limit: Int = 0) throws(StoreError) -> Int {
        try Self.checkInputs(keys, command: "zintercard")
        let scope = commandScope
        try scope.check(keys)
        return try scope.keyspace.zintercard(keys) { limit }
    }

    /// ZSCAN key cursor [MATCH pattern] [COUNT count]: one page of member/score entries of
    /// a cursor iteration, and the cursor to pass next (0 when the iteration is done).
    /// Start from cursor 0.
    ///
    /// A member present from the first call to the last is returned at least once, perhaps
    /// more, whatever is added or removed in between. A listpack set comes back whole, in
    /// order, with cursor 0. `count` is a hint of how many members to visit, before `match`
    /// (a glob; nil or `*`: all) filters them.
    /// - Throws: `StoreError.wrongType` if the key holds another type.
    /// - Complexity: O(count) per call; O(N) for a listpack set.
    public func zscan(
        _ key: ByteString, cursor: UInt64, match pattern: ByteString? = nil, count: Int = 10
    ) throws(StoreError) -> ScanResult<SortedSetEntry> {
        let scope = commandScope
        try scope.check(key)
        let filter = ScanArguments.effectivePattern(pattern)
        return ScanResult(try scope.keyspace.zscan(key, cursor: cursor, count: max(1, count), pattern: filter)
            ?? (0, []))
    }

    /// A complete ZSCAN iteration in one call: every entry whose member matches `pattern`
    /// (nil or `*`: all), in order, each once, read atomically.
    /// ``zscan(_:cursor:match:count:)`` pages a large set instead.
    /// - Complexity: O(n)
    public func zscan(_ key: ByteString, match pattern: ByteString? = nil) throws(StoreError) -> [SortedSetEntry] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.zscan(key, pattern: ScanArguments.effectivePattern(pattern)) ?? []
    }

    private func combine(
        _ keys: [ByteString], _ combination: KeyspaceAccess.SortedSetCombination, weights: [Double]?, aggregate: ScoreAggregate,
        command: String
    ) throws(StoreError) -> [SortedSetEntry] {
        try Self.checkInputs(keys, command: command)
        let scope = commandScope
        try scope.check(keys)
        return try scope.keyspace.zcombine(keys, combination) { KeyspaceAccess.CombineOptions(weights: weights, aggregate: aggregate) }
    }

    private func combineStore(
        _ destination: ByteString, _ keys: [ByteString], _ combination: KeyspaceAccess.SortedSetCombination, weights: [Double]?,
        aggregate: ScoreAggregate, command: String
    ) throws(StoreError) -> Int {
        try Self.checkInputs(keys, command: command)
        let scope = commandScope
        try scope.checkWrite(destination)
        try scope.check(keys)
        return try scope.keyspace.zcombineStore(destination, keys, combination) { KeyspaceAccess.CombineOptions(weights: weights, aggregate: aggregate) }
    }

    /// numkeys 0, refused before any key is read; the op checks the weights after the
    /// inputs' types, as Redis.
    private static func checkInputs(_ keys: [ByteString], command: String) throws(StoreError) {
        if keys.isEmpty { throw .atLeastOneInputKey(command: command) }
    }
}
