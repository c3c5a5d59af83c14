import LuaStoreCore

/// The sorted-set commands (Redis's t_zset.c): handlers parse argv, call the operations in
/// `SortedSetOps*.swift`, and shape the reply. Ranges are in `SortedSetFamily+Ranges.swift`,
/// pops and the set algebra in `SortedSetFamily+Combine.swift`.
///
/// Scores are replied as Redis 7.0 does: bulk strings in `%.17g` (``Score``) to RESP2
/// callers, doubles to RESP3 callers, which also get member/score pairs as nested arrays
/// (``scoreReply(_:resp3:)``, ``entriesReply(_:withScores:resp3:)``).
enum SortedSetFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("zadd", arity: -4, flags: [.write, .denyOOM, .fast], acl: [.sortedSet], keys: [.range(1, [.RW, .update])], handler: zadd),
        CommandSpec("zincrby", arity: 4, flags: [.write, .denyOOM, .fast], acl: [.sortedSet], keys: [.range(1, [.RW, .access, .update])], handler: zincrby),
        CommandSpec("zscore", arity: 3, flags: [.readonly, .fast], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: zscore),
        CommandSpec("zmscore", arity: -3, flags: [.readonly, .fast], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: zmscore),
        CommandSpec("zcard", arity: 2, flags: [.readonly, .fast], acl: [.sortedSet], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.zcard(argv[1]))) }),
        CommandSpec("zcount", arity: 4, flags: [.readonly, .fast], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: zcount),
        CommandSpec("zlexcount", arity: 4, flags: [.readonly, .fast], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: zlexcount),
        CommandSpec("zrank", arity: 3, flags: [.readonly, .fast], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try zrank(ctx, argv, reverse: false) }),
        CommandSpec("zrevrank", arity: 3, flags: [.readonly, .fast], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try zrank(ctx, argv, reverse: true) }),
        CommandSpec("zrem", arity: -3, flags: [.write, .fast], acl: [.sortedSet], keys: [.range(1, [.RW, .delete])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.zrem(argv[1], Array(argv[2...])))) }),
        CommandSpec("zrandmember", arity: -2, flags: [.readonly], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output"], handler: zrandmember),
        CommandSpec("zscan", arity: -3, flags: [.readonly], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output"], handler: zscan),
    ] + rangeCommands + combineCommands

    /// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...] —
    /// O(log n) per member
    ///
    /// As `zaddGenericCommand`: options in any order and case, then the pairs; the checks
    /// (pair count, NX+XX, GT/LT/NX, INCR with several pairs, every score) all run before
    /// anything is written.
    static func zadd(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        try zadd(ctx, argv, incr: false)
    }

    /// ZADD, and ZINCRBY key increment member (`incr`): Redis runs both through
    /// `zaddGenericCommand`, so ZINCRBY also reads ZADD's options where its increment goes
    /// (`ZINCRBY key NX m` is a syntax error: one argument is left for the pairs).
    static func zadd(_ ctx: borrowing CommandContext, _ argv: [ByteString], incr incrCommand: Bool) throws(StoreError) -> Reply {
        var nx = false, xx = false, gt = false, lt = false, ch = false, incr = incrCommand
        var j = 2
        while j < argv.count {
            let o = argv[j]
            if o.isOption("NX") { nx = true }
            else if o.isOption("XX") { xx = true }
            else if o.isOption("CH") { ch = true }
            else if o.isOption("INCR") { incr = true }
            else if o.isOption("GT") { gt = true }
            else if o.isOption("LT") { lt = true }
            else { break }
            j += 1
        }
        let elements = argv.count - j
        guard elements > 0 && elements % 2 == 0 else { throw .syntax }
        if nx && xx { throw .zaddNXAndXX }
        if (gt && nx) || (lt && nx) || (gt && lt) { throw .zaddGTLTAndNX }
        if incr && elements > 2 { throw .zaddIncrSinglePair }
        let pairs = try scorePairs(argv[j...])
        let result = try ctx.keyspace.zadd(
            argv[1], pairs, condition: nx ? .ifAbsent : xx ? .ifPresent : .always,
            comparison: gt ? .greaterThan : lt ? .lessThan : nil, increment: incr)
        if incr {
            guard let score = result.score else { return .null }
            return scoreReply(score, resp3: ctx.resp3)
        }
        return .integer(Int64(ch ? result.added + result.updated : result.added))
    }

    /// ZINCRBY key increment member — O(log n)
    static func zincrby(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        try zadd(ctx, argv, incr: true)
    }

    /// ZSCORE key member — O(1)
    static func zscore(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let resp3 = ctx.resp3
        return try ctx.keyspace.zscore(argv[1], argv[2])
            .map { scoreReply($0, resp3: resp3) } ?? .null
    }

    /// ZMSCORE key member [member ...] — O(N) members
    static func zmscore(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let resp3 = ctx.resp3
        return .array(try ctx.keyspace.zmscore(argv[1], Array(argv[2...]))
            .map { $0.map { scoreReply($0, resp3: resp3) } ?? .null })
    }

    /// ZCOUNT key min max — O(log n)
    static func zcount(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let range = try ScoreRange(parsingMin: argv[2], max: argv[3])
        return .integer(Int64(try ctx.keyspace.zcount(argv[1], range)))
    }

    /// ZLEXCOUNT key min max — O(log n)
    static func zlexcount(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let range = try LexRange(parsingMin: argv[2], max: argv[3])
        return .integer(Int64(try ctx.keyspace.zlexcount(argv[1], range)))
    }

    /// ZRANK key member / ZREVRANK key member — O(log n). (WITHSCORE is Redis 7.2's; 7.0
    /// rejects it by arity, and so does LuaStore.)
    static func zrank(_ ctx: borrowing CommandContext, _ argv: [ByteString], reverse: Bool) throws(StoreError) -> Reply {
        try ctx.keyspace.zrank(argv[1], argv[2], reverse: reverse).map { .integer(Int64($0)) } ?? .null
    }

    /// ZRANDMEMBER key [count [WITHSCORES]] — O(|count| log n)
    static func zrandmember(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard argv.count >= 3 else {
            guard let picked = try ctx.keyspace.zrandmember(argv[1], count: nil) else { return .null }
            return .bulk(picked[0].member)
        }
        let (count, withScores) = try randomCountArguments(argv, option: "WITHSCORES")
        let picked = try ctx.keyspace.zrandmember(argv[1], count: count) ?? []
        return entriesReply(picked, withScores: withScores, resp3: ctx.resp3)
    }

    /// ZSCAN key cursor [MATCH pattern] [COUNT count] — O(COUNT) per call for a skiplist
    /// set (O(N) for a complete iteration); O(N) for a listpack set (N <= 128), which
    /// comes back whole, in order, with cursor 0 as Redis returns it. Replies member/score
    /// pairs, flat, the scores as ``Score`` formats them, in both protocols (as Redis).
    ///
    /// A skiplist set is walked with Redis's reverse-binary cursor over its member index
    /// (see ``SortedSetValue/scan(cursor:count:)``): a member present for the whole
    /// iteration is returned at least once, whatever changes between calls.
    static func zscan(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let keyspace = ctx.keyspace
        return try ScanArguments.handle(argv, fetch: { cursor, options throws(StoreError) in
            try keyspace.zscan(argv[1], cursor: cursor, count: options.count, pattern: options.pattern)
                .map { ($0.cursor, $0.entries) }
        }, elements: { entriesReply($0, withScores: true, resp3: false) })
    }

    // MARK: Shared parsing and replies

    /// Score/member pairs, every score checked (`ERR value is not a valid float`).
    static func scorePairs(_ args: ArraySlice<ByteString>) throws(StoreError) -> [(score: Double, member: ByteString)] {
        var pairs: [(score: Double, member: ByteString)] = []
        pairs.reserveCapacity(args.count / 2)
        var i = args.startIndex
        while i + 1 < args.endIndex {
            guard let score = Score.parse(args[i]) else { throw .notFloat }
            pairs.append((score, args[i + 1]))
            i += 2
        }
        return pairs
    }

    /// ZRANDMEMBER's and HRANDFIELD's `count [WITH...]`, as `zrandmemberCommand`: count in
    /// -LONG_MAX...LONG_MAX, only `option` may follow, and with it |count| <= LONG_MAX / 2.
    /// The op refuses a negative count past ``maxRepeatedRandomCount``.
    static func randomCountArguments(_ argv: [ByteString], option: StaticString) throws(StoreError) -> (count: Int, withValues: Bool) {
        let count = try argv[2].integerArgument()
        guard count != Int64.min else {
            throw .valueOutOfRange(min: -Int64.max, max: Int64.max)
        }
        if argv.count > 4 || (argv.count == 4 && !argv[3].isOption(option)) { throw .syntax }
        let withValues = argv.count == 4
        if withValues && (count < -Int64.max / 2 || count > Int64.max / 2) { throw .valueOutOfRangeUnbounded }
        return (Int(count), withValues)
    }

    /// A score as the caller's protocol sends it (`addReplyDouble`): a double in RESP3,
    /// `%.17g` in a bulk string in RESP2.
    @inline(__always)
    static func scoreReply(_ score: Double, resp3: Bool) -> Reply {
        resp3 ? .double(score) : .bulk(Score.format(score))
    }

    /// Members, each with its score when `withScores`: a flat array in RESP2, an array of
    /// [member, score] pairs in RESP3 (Redis's `zrangeResultHandler`, which keeps the order
    /// a map would lose).
    static func entriesReply(_ entries: [SortedSetEntry], withScores: Bool, resp3: Bool) -> Reply {
        if withScores && resp3 {
            return .array(entries.map { .array([.bulk($0.member), .double($0.score)]) })
        }
        var out: [Reply] = []
        out.reserveCapacity(withScores ? entries.count * 2 : entries.count)
        for e in entries {
            out.append(.bulk(e.member))
            if withScores { out.append(.bulk(Score.format(e.score))) }
        }
        return .array(out)
    }
}
