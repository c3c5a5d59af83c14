import LuaStoreCore

/// The hash commands (Redis's t_hash.c): handlers parse argv, call the operations in
/// `HashOps.swift`, and shape the reply.
enum HashFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("hset", arity: -4, flags: [.write, .denyOOM, .fast], acl: [.hash], keys: [.range(1, [.RW, .update])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.hset(argv[1], try pairs(argv, command: "hset")))) }),
        CommandSpec("hmset", arity: -4, flags: [.write, .denyOOM, .fast], acl: [.hash], keys: [.range(1, [.RW, .update])], handler: { ctx, argv throws(StoreError) in
            _ = try ctx.keyspace.hset(argv[1], try pairs(argv, command: "hmset"))
            return .ok
        }),
        CommandSpec("hsetnx", arity: 4, flags: [.write, .denyOOM, .fast], acl: [.hash], keys: [.range(1, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            .integer(try ctx.keyspace.hsetnx(argv[1], argv[2], argv[3]) ? 1 : 0) }),
        CommandSpec("hget", arity: 3, flags: [.readonly, .fast], acl: [.hash], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try ctx.keyspace.hget(argv[1], argv[2]).map { .bulk($0) } ?? .null }),
        CommandSpec("hmget", arity: -3, flags: [.readonly, .fast], acl: [.hash], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            .array(try ctx.keyspace.hmget(argv[1], Array(argv[2...])).map { $0.map { .bulk($0) } ?? .null }) }),
        CommandSpec("hgetall", arity: 2, flags: [.readonly], acl: [.hash], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output_order"], handler: { ctx, argv throws(StoreError) in
            hgetallReply(try ctx.keyspace.hgetall(argv[1]), resp3: ctx.resp3) }),
        CommandSpec("hkeys", arity: 2, flags: [.readonly], acl: [.hash], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output_order"], handler: { ctx, argv throws(StoreError) in
            entriesReply(try ctx.keyspace.hgetall(argv[1]), fields: true, values: false) }),
        CommandSpec("hvals", arity: 2, flags: [.readonly], acl: [.hash], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output_order"], handler: { ctx, argv throws(StoreError) in
            entriesReply(try ctx.keyspace.hgetall(argv[1]), fields: false, values: true) }),
        CommandSpec("hdel", arity: -3, flags: [.write, .fast], acl: [.hash], keys: [.range(1, [.RW, .delete])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.hdel(argv[1], Array(argv[2...])))) }),
        CommandSpec("hexists", arity: 3, flags: [.readonly, .fast], acl: [.hash], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .integer(try ctx.keyspace.hexists(argv[1], argv[2]) ? 1 : 0) }),
        CommandSpec("hlen", arity: 2, flags: [.readonly, .fast], acl: [.hash], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.hlen(argv[1]))) }),
        CommandSpec("hstrlen", arity: 3, flags: [.readonly, .fast], acl: [.hash], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.hstrlen(argv[1], argv[2]))) }),
        CommandSpec("hincrby", arity: 4, flags: [.write, .denyOOM, .fast], acl: [.hash], keys: [.range(1, [.RW, .access, .update])], handler: hincrby),
        CommandSpec("hincrbyfloat", arity: 4, flags: [.write, .denyOOM, .fast], acl: [.hash], keys: [.range(1, [.RW, .access, .update])], handler: hincrbyfloat),
        CommandSpec("hrandfield", arity: -2, flags: [.readonly], acl: [.hash], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output"], handler: hrandfield),
        CommandSpec("hscan", arity: -3, flags: [.readonly], acl: [.hash], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output"], handler: hscan),
    ]

    /// HSET key field value [field value ...] / HMSET (same arguments) — O(N) fields.
    /// An odd number of field/value arguments is an arity error, as `hsetCommand` says.
    static func pairs(_ argv: [ByteString], command: String) throws(StoreError) -> [(field: ByteString, value: ByteString)] {
        guard argv.count % 2 == 0 else { throw .wrongArity(command: command) }
        return Swift.stride(from: 2, to: argv.count, by: 2).map { (argv[$0], argv[$0 + 1]) }
    }

    /// HINCRBY key field increment — O(1). The increment is parsed before the key is read.
    static func hincrby(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let delta = try argv[3].integerArgument()
        return .integer(try ctx.keyspace.hincrby(argv[1], argv[2], delta))
    }

    /// HINCRBYFLOAT key field increment — O(1), in `long double` as Redis.
    static func hincrbyfloat(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard let delta = LongDoubleText.parse(argv[3]) else { throw .notFloat }
        return .bulk(try ctx.keyspace.hincrbyfloat(argv[1], argv[2], delta))
    }

    /// HRANDFIELD key [count [WITHVALUES]] — O(|count|); with WITHVALUES, RESP3 callers get
    /// [field, value] pairs.
    static func hrandfield(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard argv.count >= 3 else {
            guard let picked = try ctx.keyspace.hrandfield(argv[1], count: nil) else { return .null }
            return .bulk(picked[0].field)
        }
        let (count, withValues) = try SortedSetFamily.randomCountArguments(argv, option: "WITHVALUES")
        let picked = try ctx.keyspace.hrandfield(argv[1], count: count) ?? []
        let resp3 = ctx.resp3
        if withValues && resp3 { return .array(picked.map { .array([.bulk($0.field), .bulk($0.value)]) }) }
        return entriesReply(picked, fields: true, values: withValues)
    }

    /// HSCAN key cursor [MATCH pattern] [COUNT count] — O(COUNT) per call for a hashtable
    /// hash (O(N) for a complete iteration); O(N) for a listpack hash (N <= 128), which
    /// comes back whole with cursor 0 as Redis returns it. Replies field/value pairs.
    ///
    /// A hashtable hash is walked with Redis's reverse-binary cursor over its field index
    /// (see ``HashValue/scan(cursor:count:)``): a field present for the whole iteration is
    /// returned at least once. NOVALUES is Redis 7.4's and not accepted, as 7.0 does not.
    static func hscan(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let keyspace = ctx.keyspace
        return try ScanArguments.handle(argv, fetch: { cursor, options throws(StoreError) in
            try keyspace.hscan(argv[1], cursor: cursor, count: options.count, pattern: options.pattern)
                .map { ($0.cursor, $0.entries) }
        }, elements: { entriesReply($0, fields: true, values: true) })
    }

    /// HGETALL's reply: a map in RESP3, a flat array of fields and values in RESP2.
    static func hgetallReply(_ entries: [HashEntry], resp3: Bool) -> Reply {
        guard resp3 else { return entriesReply(entries, fields: true, values: true) }
        return .map(entries.map { Reply.MapEntry(key: .bulk($0.field), value: .bulk($0.value)) })
    }

    /// A flat array of fields, values, or field/value pairs.
    static func entriesReply(_ entries: [HashEntry], fields: Bool, values: Bool) -> Reply {
        var out: [Reply] = []
        out.reserveCapacity(fields && values ? entries.count * 2 : entries.count)
        for e in entries {
            if fields { out.append(.bulk(e.field)) }
            if values { out.append(.bulk(e.value)) }
        }
        return .array(out)
    }
}
