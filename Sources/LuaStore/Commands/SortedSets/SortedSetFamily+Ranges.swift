import LuaStoreCore

/// ZRANGE in all its spellings, ZRANGESTORE and ZREMRANGEBY*.
extension SortedSetFamily {
    static let rangeCommands: [CommandSpec] = [
        CommandSpec("zrange", arity: -4, flags: [.readonly], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try zrange(ctx, argv, keyIndex: 1, store: false, kind: nil, reverse: nil) }),
        CommandSpec("zrangestore", arity: -5, flags: [.write, .denyOOM], acl: [.sortedSet], keys: [.range(1, [.OW, .update]), .range(2, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try zrange(ctx, argv, keyIndex: 2, store: true, kind: nil, reverse: nil) }),
        CommandSpec("zrevrange", arity: -4, flags: [.readonly], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try zrange(ctx, argv, keyIndex: 1, store: false, kind: .rank, reverse: true) }),
        CommandSpec("zrangebyscore", arity: -4, flags: [.readonly], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try zrange(ctx, argv, keyIndex: 1, store: false, kind: .score, reverse: false) }),
        CommandSpec("zrevrangebyscore", arity: -4, flags: [.readonly], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try zrange(ctx, argv, keyIndex: 1, store: false, kind: .score, reverse: true) }),
        CommandSpec("zrangebylex", arity: -4, flags: [.readonly], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try zrange(ctx, argv, keyIndex: 1, store: false, kind: .lex, reverse: false) }),
        CommandSpec("zrevrangebylex", arity: -4, flags: [.readonly], acl: [.sortedSet], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try zrange(ctx, argv, keyIndex: 1, store: false, kind: .lex, reverse: true) }),
        CommandSpec("zremrangebyrank", arity: 4, flags: [.write], acl: [.sortedSet], keys: [.range(1, [.RW, .delete])], handler: { ctx, argv throws(StoreError) in
            try zremrange(ctx, argv, kind: .rank) }),
        CommandSpec("zremrangebyscore", arity: 4, flags: [.write], acl: [.sortedSet], keys: [.range(1, [.RW, .delete])], handler: { ctx, argv throws(StoreError) in
            try zremrange(ctx, argv, kind: .score) }),
        CommandSpec("zremrangebylex", arity: 4, flags: [.write], acl: [.sortedSet], keys: [.range(1, [.RW, .delete])], handler: { ctx, argv throws(StoreError) in
            try zremrange(ctx, argv, kind: .lex) }),
    ]

    enum RangeKind {
        case rank, score, lex
    }

    /// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
    /// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
    /// ZREVRANGE key start stop [WITHSCORES]
    /// Z[REV]RANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
    /// Z[REV]RANGEBYLEX key min max [LIMIT offset count] — O(log n + k)
    ///
    /// `zrangeGenericCommand`: the older commands fix the kind and direction (`kind`,
    /// `reverse`), so BYSCORE/BYLEX/REV after them are syntax errors. The arguments are
    /// checked in Redis's order: options, LIMIT without BYSCORE/BYLEX, WITHSCORES with
    /// BYLEX, then the bounds (given max first when reversed), then the key's type.
    static func zrange(
        _ ctx: borrowing CommandContext, _ argv: [ByteString], keyIndex: Int, store: Bool, kind: RangeKind?, reverse: Bool?
    ) throws(StoreError) -> Reply {
        var kind = kind
        var reverse = reverse
        var withScores = false
        var offset: Int64 = 0
        var limit: Int64 = -1
        var j = keyIndex + 3
        while j < argv.count {
            let o = argv[j]
            if !store && o.isOption("WITHSCORES") {
                withScores = true
            } else if o.isOption("LIMIT") && argv.count - j - 1 >= 2 {
                offset = try argv[j + 1].integerArgument()
                limit = try argv[j + 2].integerArgument()
                j += 2
            } else if reverse == nil && o.isOption("REV") {
                reverse = true
            } else if kind == nil && o.isOption("BYLEX") {
                kind = .lex
            } else if kind == nil && o.isOption("BYSCORE") {
                kind = .score
            } else {
                throw .syntax
            }
            j += 1
        }
        let resolvedKind = kind ?? .rank
        let isReverse = reverse ?? false
        if limit != -1 && resolvedKind == .rank {
            throw .limitNeedsByScoreOrByLex
        }
        if withScores && resolvedKind == .lex {
            throw .withScoresWithByLex
        }
        var low = argv[keyIndex + 1], high = argv[keyIndex + 2]
        if isReverse && resolvedKind != .rank { swap(&low, &high) }
        let range = try parseRange(resolvedKind, low, high)
        if store {
            let n = try ctx.keyspace.zrangestore(
                argv[1], argv[2], range, reverse: isReverse, offset: Int(offset), limit: Int(limit))
            return .integer(Int64(n))
        }
        if case .rank(let start, let stop) = range {
            var out: [Reply] = []
            let resp3 = ctx.resp3
            let pairs = withScores && resp3
            try ctx.keyspace.zrangeByRank(
                argv[keyIndex], start: start, stop: stop, reverse: isReverse,
                reserve: { out.reserveCapacity(withScores && !pairs ? $0 * 2 : $0) },
                visit: { e in
                    if pairs {
                        out.append(.array([.bulk(e.member), .double(e.score)]))
                    } else {
                        out.append(.bulk(e.member))
                        if withScores { out.append(.bulk(Score.format(e.score))) }
                    }
                })
            return .array(out)
        }
        let entries = try ctx.keyspace.zrange(
            argv[keyIndex], range, reverse: isReverse, offset: Int(offset), limit: Int(limit))
        return entriesReply(entries, withScores: withScores, resp3: ctx.resp3)
    }

    /// ZREMRANGEBYRANK key start stop / ZREMRANGEBYSCORE key min max /
    /// ZREMRANGEBYLEX key min max — O(log n + k log n)
    static func zremrange(_ ctx: borrowing CommandContext, _ argv: [ByteString], kind: RangeKind) throws(StoreError) -> Reply {
        let range = try parseRange(kind, argv[2], argv[3])
        return .integer(Int64(try ctx.keyspace.zremrange(argv[1], range)))
    }

    /// The bounds of a range of `kind`, low end first, with Redis's error for each kind.
    static func parseRange(_ kind: RangeKind, _ low: ByteString, _ high: ByteString) throws(StoreError) -> SortedSetRange {
        switch kind {
        case .rank: return .rank(start: Int(try low.integerArgument()), stop: Int(try high.integerArgument()))
        case .score: return .score(try ScoreRange(parsingMin: low, max: high))
        case .lex: return .lex(try LexRange(parsingMin: low, max: high))
        }
    }
}
