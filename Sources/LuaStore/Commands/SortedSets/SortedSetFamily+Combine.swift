import LuaStoreCore

/// Pops (ZPOPMIN ZPOPMAX ZMPOP, and BZPOPMIN BZPOPMAX answered at once) and the set algebra
/// (ZUNION ZINTER ZDIFF, their STORE forms, ZINTERCARD).
extension SortedSetFamily {
    static let combineCommands: [CommandSpec] = [
        CommandSpec("zpopmin", arity: -2, flags: [.write, .fast], acl: [.sortedSet], keys: [.range(1, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try zpop(ctx, argv, max: false) }),
        CommandSpec("zpopmax", arity: -2, flags: [.write, .fast], acl: [.sortedSet], keys: [.range(1, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try zpop(ctx, argv, max: true) }),
        CommandSpec("zmpop", arity: -4, flags: [.write], acl: [.sortedSet], keys: [.keynum(1, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try zmpop(ctx, argv, numkeysIndex: 1) }),
        CommandSpec("bzmpop", arity: -5, flags: [.write, .blocking], acl: [.sortedSet], keys: [.keynum(2, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try zmpop(ctx, argv, numkeysIndex: 2) }),
        CommandSpec("bzpopmin", arity: -3, flags: [.write, .noScript, .blocking, .fast], acl: [.sortedSet], keys: [.range(1, last: -2, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try bzpop(ctx, argv, max: false) }),
        CommandSpec("bzpopmax", arity: -3, flags: [.write, .noScript, .blocking, .fast], acl: [.sortedSet], keys: [.range(1, last: -2, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try bzpop(ctx, argv, max: true) }),
        CommandSpec("zunion", arity: -3, flags: [.readonly], acl: [.sortedSet], keys: [.keynum(1, [.RO, .access])],
                    handler: { ctx, argv throws(StoreError) in try combine(ctx, argv, .union, store: false) }),
        CommandSpec("zinter", arity: -3, flags: [.readonly], acl: [.sortedSet], keys: [.keynum(1, [.RO, .access])],
                    handler: { ctx, argv throws(StoreError) in try combine(ctx, argv, .inter, store: false) }),
        CommandSpec("zdiff", arity: -3, flags: [.readonly], acl: [.sortedSet], keys: [.keynum(1, [.RO, .access])],
                    handler: { ctx, argv throws(StoreError) in try combine(ctx, argv, .diff, store: false) }),
        CommandSpec("zunionstore", arity: -4, flags: [.write, .denyOOM], acl: [.sortedSet], keys: [.range(1, [.OW, .update]), .keynum(2, [.RO, .access])],
                    handler: { ctx, argv throws(StoreError) in try combine(ctx, argv, .union, store: true) }),
        CommandSpec("zinterstore", arity: -4, flags: [.write, .denyOOM], acl: [.sortedSet], keys: [.range(1, [.OW, .update]), .keynum(2, [.RO, .access])],
                    handler: { ctx, argv throws(StoreError) in try combine(ctx, argv, .inter, store: true) }),
        CommandSpec("zdiffstore", arity: -4, flags: [.write, .denyOOM], acl: [.sortedSet], keys: [.range(1, [.OW, .update]), .keynum(2, [.RO, .access])],
                    handler: { ctx, argv throws(StoreError) in try combine(ctx, argv, .diff, store: true) }),
        CommandSpec("zintercard", arity: -3, flags: [.readonly], acl: [.sortedSet], keys: [.keynum(1, [.RO, .access])],
                    handler: zintercard),
    ]

    /// ZPOPMIN key [count] / ZPOPMAX key [count] — O(k log n)
    ///
    /// A flat array of member, score pairs; without a count one pair. RESP3 callers get the
    /// pairs nested when they give a count (`zpopMinMaxCommand`'s `use_nested_array`). A
    /// count of 0 still checks the key's type.
    static func zpop(_ ctx: borrowing CommandContext, _ argv: [ByteString], max: Bool) throws(StoreError) -> Reply {
        if argv.count > 3 { throw .syntax }
        var count = 1
        if argv.count == 3 {
            count = try ListArguments.nonNegative(argv[2], error: .valueMustBePositive)
        }
        let popped = try ctx.keyspace.zpop(argv[1], count: count, max: max)
        if ctx.resp3 && argv.count == 2 {
            return .array(popped.flatMap { [Reply.bulk($0.member), .double($0.score)] })
        }
        return entriesReply(popped, withScores: true, resp3: ctx.resp3)
    }

    /// ZMPOP numkeys key [key ...] MIN | MAX [COUNT count] — O(k log n);
    /// BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count]
    ///
    /// `[key, [[member, score], ...]]` from the first key holding a sorted set, or a null
    /// array. BZMPOP never blocks here (as Redis inside MULTI); its timeout is parsed
    /// after the other arguments, as `zmpopGenericCommand` does.
    static func zmpop(_ ctx: borrowing CommandContext, _ argv: [ByteString], numkeysIndex: Int) throws(StoreError) -> Reply {
        let numkeys = try ListArguments.positive(argv[numkeysIndex], error: .numkeysNotPositive)
        guard numkeys < argv.count - numkeysIndex - 1 else { throw .syntax }
        let whereIndex = numkeysIndex + 1 + numkeys
        let max: Bool
        if argv[whereIndex].isOption("MIN") { max = false } else if argv[whereIndex].isOption("MAX") { max = true } else { throw .syntax }
        var count: Int? = nil
        var j = whereIndex + 1
        while j < argv.count {
            guard count == nil, argv[j].isOption("COUNT"), j + 1 < argv.count else { throw .syntax }
            count = try ListArguments.positive(argv[j + 1], error: .countNotPositive)
            j += 2
        }
        if numkeysIndex == 2 { _ = try ListArguments.timeout(argv[1]) }
        guard let (key, entries) = try ctx.keyspace.zmpop(Array(argv[(numkeysIndex + 1)..<whereIndex]), count: count ?? 1, max: max) else {
            return .nullArray
        }
        let resp3 = ctx.resp3
        return .array([.bulk(key), .array(entries.map { .array([.bulk($0.member), scoreReply($0.score, resp3: resp3)]) })])
    }

    /// BZPOPMIN key [key ...] timeout / BZPOPMAX key [key ...] timeout — O(log n)
    ///
    /// Through `execute` these never block: like Redis inside MULTI, they pop at once from
    /// the first non-empty set (`[key, member, score]`) or answer a null array. The typed
    /// API's async forms are the ones that wait.
    static func bzpop(_ ctx: borrowing CommandContext, _ argv: [ByteString], max: Bool) throws(StoreError) -> Reply {
        _ = try ListArguments.timeout(argv[argv.count - 1])
        guard let (key, entries) = try ctx.keyspace.zmpop(Array(argv[1..<(argv.count - 1)]), count: 1, max: max),
              let entry = entries.first else {
            return .nullArray
        }
        return .array([.bulk(key), .bulk(entry.member), scoreReply(entry.score, resp3: ctx.resp3)])
    }

    /// ZUNION / ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
    /// ZDIFF numkeys key [key ...] [WITHSCORES]
    /// ZUNIONSTORE / ZINTERSTORE destination numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...]
    /// ZDIFFSTORE destination numkeys key [key ...] — O(N log N) in the input sizes
    ///
    /// As `zunionInterDiffGenericCommand`: numkeys, then the keys' types (WRONGTYPE comes
    /// before any option error), then the options.
    static func combine(
        _ ctx: borrowing CommandContext, _ argv: [ByteString], _ combination: KeyspaceAccess.SortedSetCombination, store: Bool
    ) throws(StoreError) -> Reply {
        let numkeysIndex = store ? 2 : 1
        let name = argv[0].asciiLowercased().string
        let keys = try inputKeys(argv, numkeysIndex: numkeysIndex, command: name)
        var withScores = false
        let options = { () throws(StoreError) -> KeyspaceAccess.CombineOptions in
            var options = KeyspaceAccess.CombineOptions()
            var j = numkeysIndex + 1 + keys.count
            while j < argv.count {
                let remaining = argv.count - j
                let o = argv[j]
                if combination != .diff && remaining >= keys.count + 1 && o.isOption("WEIGHTS") {
                    var weights: [Double] = []
                    for i in 0..<keys.count {
                        guard let w = Score.parse(argv[j + 1 + i]) else { throw .weightNotFloat }
                        weights.append(w)
                    }
                    options.weights = weights
                    j += keys.count + 1
                } else if combination != .diff && remaining >= 2 && o.isOption("AGGREGATE") {
                    let a = argv[j + 1]
                    if a.isOption("SUM") {
                        options.aggregate = .sum
                    } else if a.isOption("MIN") {
                        options.aggregate = .min
                    } else if a.isOption("MAX") {
                        options.aggregate = .max
                    } else {
                        throw .syntax
                    }
                    j += 2
                } else if !store && o.isOption("WITHSCORES") {
                    withScores = true
                    j += 1
                } else {
                    throw .syntax
                }
            }
            return options
        }
        if store {
            return .integer(Int64(try ctx.keyspace.zcombineStore(argv[1], keys, combination, options: options)))
        }
        let entries = try ctx.keyspace.zcombine(keys, combination, options: options)
        return entriesReply(entries, withScores: withScores, resp3: ctx.resp3)
    }

    /// ZINTERCARD numkeys key [key ...] [LIMIT limit] — O(N log N) in the smallest input
    static func zintercard(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let keys = try inputKeys(argv, numkeysIndex: 1, command: "zintercard")
        let n = try ctx.keyspace.zintercard(keys) { () throws(StoreError) -> Int in
            var limit = 0
            var j = 2 + keys.count
            while j < argv.count {
                guard argv.count - j >= 2, argv[j].isOption("LIMIT") else { throw .syntax }
                limit = try ListArguments.nonNegative(argv[j + 1], error: .limitNegative)
                j += 2
            }
            return limit
        }
        return .integer(Int64(n))
    }

    /// The `numkeys key ...` keys: numkeys an integer >= 1 and no more than the arguments.
    static func inputKeys(_ argv: [ByteString], numkeysIndex: Int, command: String) throws(StoreError) -> [ByteString] {
        let n = try argv[numkeysIndex].integerArgument()
        guard n >= 1 else { throw .atLeastOneInputKey(command: command) }
        guard n <= Int64(argv.count - numkeysIndex - 1) else { throw .syntax }
        return Array(argv[(numkeysIndex + 1)..<(numkeysIndex + 1 + Int(n))])
    }
}
