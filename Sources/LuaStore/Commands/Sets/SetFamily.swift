import LuaStoreCore

/// The set commands (Redis's t_set.c): handlers parse argv, call the operations in
/// `SetOps.swift`, and shape the reply.
enum SetFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("sadd", arity: -3, flags: [.write, .denyOOM, .fast], acl: [.set], keys: [.range(1, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.sadd(argv[1], Array(argv.dropFirst(2))))) }),
        CommandSpec("srem", arity: -3, flags: [.write, .fast], acl: [.set], keys: [.range(1, [.RW, .delete])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.srem(argv[1], Array(argv.dropFirst(2))))) }),
        CommandSpec("smembers", arity: 2, flags: [.readonly], acl: [.set], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output_order"], handler: { ctx, argv throws(StoreError) in
            membersReply(try ctx.keyspace.smembers(argv[1]), resp3: ctx.resp3) }),
        CommandSpec("sismember", arity: 3, flags: [.readonly, .fast], acl: [.set], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .integer(try ctx.keyspace.smismember(argv[1], [argv[2]])[0] ? 1 : 0) }),
        CommandSpec("smismember", arity: -3, flags: [.readonly, .fast], acl: [.set], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            .array(try ctx.keyspace.smismember(argv[1], Array(argv.dropFirst(2))).map { .integer($0 ? 1 : 0) }) }),
        CommandSpec("scard", arity: 2, flags: [.readonly, .fast], acl: [.set], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.scard(argv[1]))) }),
        CommandSpec("spop", arity: -2, flags: [.write, .fast], acl: [.set], keys: [.range(1, [.RW, .access, .delete])], tips: ["nondeterministic_output"], handler: spop),
        CommandSpec("srandmember", arity: -2, flags: [.readonly], acl: [.set], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output"], handler: srandmember),
        CommandSpec("smove", arity: 4, flags: [.write, .fast], acl: [.set], keys: [.range(1, [.RW, .access, .delete]), .range(2, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            .integer(try ctx.keyspace.smove(argv[1], argv[2], argv[3]) ? 1 : 0) }),
        CommandSpec("sinter", arity: -2, flags: [.readonly], acl: [.set], keys: [.range(1, last: -1, [.RO, .access])], tips: ["nondeterministic_output_order"], handler: { ctx, argv throws(StoreError) in
            try combine(ctx, argv, .intersection) }),
        CommandSpec("sunion", arity: -2, flags: [.readonly], acl: [.set], keys: [.range(1, last: -1, [.RO, .access])], tips: ["nondeterministic_output_order"], handler: { ctx, argv throws(StoreError) in
            try combine(ctx, argv, .union) }),
        CommandSpec("sdiff", arity: -2, flags: [.readonly], acl: [.set], keys: [.range(1, last: -1, [.RO, .access])], tips: ["nondeterministic_output_order"], handler: { ctx, argv throws(StoreError) in
            try combine(ctx, argv, .difference) }),
        CommandSpec("sinterstore", arity: -3, flags: [.write, .denyOOM], acl: [.set], keys: [.range(1, [.RW, .update]), .range(2, last: -1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try combineStore(ctx, argv, .intersection) }),
        CommandSpec("sunionstore", arity: -3, flags: [.write, .denyOOM], acl: [.set], keys: [.range(1, [.OW, .update]), .range(2, last: -1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try combineStore(ctx, argv, .union) }),
        CommandSpec("sdiffstore", arity: -3, flags: [.write, .denyOOM], acl: [.set], keys: [.range(1, [.OW, .update]), .range(2, last: -1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try combineStore(ctx, argv, .difference) }),
        CommandSpec("sintercard", arity: -3, flags: [.readonly], acl: [.set], keys: [.keynum(1, [.RO, .access])], handler: sintercard),
        CommandSpec("sscan", arity: -3, flags: [.readonly], acl: [.set], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output"], handler: sscan),
    ]

    /// SPOP key [count] — O(1) without a count, O(N) in the count
    static func spop(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard argv.count <= 3 else { throw .syntax }
        if argv.count == 2 {
            return try ctx.keyspace.spop(argv[1], count: 1)?.first.map { .bulk($0) } ?? .null
        }
        let count = try ListArguments.nonNegative(argv[2], error: .valueMustBePositive)
        return membersReply(try ctx.keyspace.spop(argv[1], count: count) ?? [], resp3: ctx.resp3)
    }

    /// SRANDMEMBER key [count] — O(1) without a count, O(|count|) with one
    ///
    /// A negative count returns members with repetition; -9223372036854775808 is refused
    /// because its magnitude does not fit, as Redis refuses it.
    static func srandmember(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard argv.count <= 3 else { throw .syntax }
        if argv.count == 2 {
            return try ctx.keyspace.srandmember(argv[1], count: 1)?.first.map { .bulk($0) } ?? .null
        }
        let count = try argv[2].integerArgument()
        return .array((try ctx.keyspace.srandmember(argv[1], count: Int(count)) ?? []).map { .bulk($0) })
    }

    /// SINTER key [key ...] / SUNION / SDIFF — O(N*M) worst case for SINTER, O(N) total
    /// elements for SUNION and SDIFF
    static func combine(_ ctx: borrowing CommandContext, _ argv: [ByteString], _ combination: SetCombination) throws(StoreError) -> Reply {
        membersReply(try ctx.keyspace.combine(Array(argv.dropFirst()), combination), resp3: ctx.resp3)
    }

    /// Members as a set (SMEMBERS, SINTER, SUNION, SDIFF, SPOP with a count): a RESP3 set,
    /// an array in RESP2.
    static func membersReply(_ members: [ByteString], resp3: Bool) -> Reply {
        let items = members.map { Reply.bulk($0) }
        return resp3 ? .set(items) : .array(items)
    }

    /// SINTERSTORE destination key [key ...] / SUNIONSTORE / SDIFFSTORE — as the plain forms
    static func combineStore(_ ctx: borrowing CommandContext, _ argv: [ByteString], _ combination: SetCombination) throws(StoreError) -> Reply {
        .integer(Int64(try ctx.keyspace.combineStore(argv[1], Array(argv.dropFirst(2)), combination)))
    }

    /// SINTERCARD numkeys key [key ...] [LIMIT limit] — O(N*M) worst case
    static func sintercard(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let numkeys = try ListArguments.positive(argv[1], error: .numkeysNotPositive)
        guard numkeys <= argv.count - 2 else { throw .numkeysGreaterThanArgs }
        var limit = 0
        var j = 2 + numkeys
        while j < argv.count {
            guard argv[j].isOption("LIMIT"), j + 1 < argv.count else { throw .syntax }
            limit = try ListArguments.nonNegative(argv[j + 1], error: .limitNegative)
            j += 2
        }
        return .integer(Int64(try ctx.keyspace.sintercard(Array(argv[2..<(2 + numkeys)]), limit: limit)))
    }

    /// SSCAN key cursor [MATCH pattern] [COUNT count] — O(COUNT) per call for a hashtable
    /// set (O(N) for a complete iteration); O(N) for intset and listpack sets (N <= 512),
    /// which come back whole with cursor 0 as Redis returns them.
    ///
    /// A hashtable set is walked with Redis's reverse-binary cursor over its member index
    /// (see ``SetValue/scan(cursor:count:)``): a member present for the whole iteration
    /// is returned at least once, perhaps more, whatever changes between calls.
    static func sscan(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let keyspace = ctx.keyspace
        return try ScanArguments.handle(argv, fetch: { cursor, options throws(StoreError) in
            try keyspace.sscan(argv[1], cursor: cursor, count: options.count, pattern: options.pattern)
                .map { ($0.cursor, $0.members) }
        }, elements: { .array($0.map { .bulk($0) }) })
    }
}
