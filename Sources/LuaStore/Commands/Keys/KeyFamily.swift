import LuaStoreCore

/// The generic key commands (Redis's db.c and expire.c).
enum KeyFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("del", arity: -2, flags: [.write], acl: [.keyspace], keys: [.range(1, last: -1, [.RM, .delete])], tips: ["request_policy:multi_shard", "response_policy:agg_sum"], handler: del),
        CommandSpec("unlink", arity: -2, flags: [.write, .fast], acl: [.keyspace], keys: [.range(1, last: -1, [.RM, .delete])], tips: ["request_policy:multi_shard", "response_policy:agg_sum"], handler: del),
        CommandSpec("exists", arity: -2, flags: [.readonly, .fast], acl: [.keyspace], keys: [.range(1, last: -1, [.RO])], tips: ["request_policy:multi_shard", "response_policy:agg_sum"], handler: exists),
        CommandSpec("touch", arity: -2, flags: [.readonly, .fast], acl: [.keyspace], keys: [.range(1, last: -1, [.RO])], tips: ["request_policy:multi_shard", "response_policy:agg_sum"], handler: exists),
        CommandSpec("type", arity: 2, flags: [.readonly, .fast], acl: [.keyspace], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .status(try ctx.keyspace.type(argv[1])) }),
        CommandSpec("expire", arity: -3, flags: [.write, .fast], acl: [.keyspace], keys: [.range(1, [.RW, .update])], handler: { ctx, argv throws(StoreError) in try expire(ctx, argv, unit: .seconds, name: "expire") }),
        CommandSpec("pexpire", arity: -3, flags: [.write, .fast], acl: [.keyspace], keys: [.range(1, [.RW, .update])], handler: { ctx, argv throws(StoreError) in try expire(ctx, argv, unit: .milliseconds, name: "pexpire") }),
        CommandSpec("expireat", arity: -3, flags: [.write, .fast], acl: [.keyspace], keys: [.range(1, [.RW, .update])], handler: { ctx, argv throws(StoreError) in try expire(ctx, argv, unit: .unixSeconds, name: "expireat") }),
        CommandSpec("pexpireat", arity: -3, flags: [.write, .fast], acl: [.keyspace], keys: [.range(1, [.RW, .update])], handler: { ctx, argv throws(StoreError) in try expire(ctx, argv, unit: .unixMilliseconds, name: "pexpireat") }),
        CommandSpec("ttl", arity: 2, flags: [.readonly, .fast], acl: [.keyspace], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output"], handler: { ctx, argv throws(StoreError) in try ttl(ctx, argv, milliseconds: false) }),
        CommandSpec("pttl", arity: 2, flags: [.readonly, .fast], acl: [.keyspace], keys: [.range(1, [.RO, .access])], tips: ["nondeterministic_output"], handler: { ctx, argv throws(StoreError) in try ttl(ctx, argv, milliseconds: true) }),
        CommandSpec("expiretime", arity: 2, flags: [.readonly, .fast], acl: [.keyspace], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in try expiretime(ctx, argv, milliseconds: false) }),
        CommandSpec("pexpiretime", arity: 2, flags: [.readonly, .fast], acl: [.keyspace], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in try expiretime(ctx, argv, milliseconds: true) }),
        CommandSpec("persist", arity: 2, flags: [.write, .fast], acl: [.keyspace], keys: [.range(1, [.RW, .update])], handler: { ctx, argv throws(StoreError) in
            .integer(try ctx.keyspace.persist(argv[1]) ? 1 : 0) }),
        CommandSpec("rename", arity: 3, flags: [.write], acl: [.keyspace], keys: [.range(1, [.RW, .access, .delete]), .range(2, [.OW, .update])], handler: { ctx, argv throws(StoreError) in
            _ = try ctx.keyspace.rename(argv[1], to: argv[2], onlyIfAbsent: false)
            return .ok }),
        CommandSpec("renamenx", arity: 3, flags: [.write, .fast], acl: [.keyspace], keys: [.range(1, [.RW, .access, .delete]), .range(2, [.OW, .insert])], handler: { ctx, argv throws(StoreError) in
            .integer(try ctx.keyspace.rename(argv[1], to: argv[2], onlyIfAbsent: true) ? 1 : 0) }),
        CommandSpec("copy", arity: -3, flags: [.write, .denyOOM], acl: [.keyspace], keys: [.range(1, [.RO, .access]), .range(2, [.OW, .update])], handler: copy),
        CommandSpec("keys", arity: 2, flags: [.readonly], acl: [.keyspace, .dangerous], tips: ["request_policy:all_shards", "nondeterministic_output_order"], handler: { ctx, argv throws(StoreError) in
            .array(ctx.keyspace.keys(matching: argv[1]).map { .bulk($0) }) }),
        CommandSpec("scan", arity: -2, flags: [.readonly], acl: [.keyspace], tips: ["nondeterministic_output", "request_policy:special"], handler: scan),
        CommandSpec("randomkey", arity: 1, flags: [.readonly], acl: [.keyspace], tips: ["request_policy:all_shards", "nondeterministic_output"], handler: { ctx, _ throws(StoreError) in
            ctx.keyspace.randomKey().map { .bulk($0) } ?? .null }),
        CommandSpec("dbsize", arity: 1, flags: [.readonly, .fast], acl: [.keyspace], tips: ["request_policy:all_shards", "response_policy:agg_sum"], handler: { ctx, _ throws(StoreError) in
            .integer(Int64(ctx.keyspace.keyCount)) }),
        CommandSpec("flushall", arity: -1, flags: [.write], acl: [.keyspace, .dangerous], tips: ["request_policy:all_shards", "response_policy:all_succeeded"], handler: { ctx, argv throws(StoreError) in try flush(ctx, argv) }),
        CommandSpec("flushdb", arity: -1, flags: [.write], acl: [.keyspace, .dangerous], tips: ["request_policy:all_shards", "response_policy:all_succeeded"], handler: { ctx, argv throws(StoreError) in try flush(ctx, argv) }),
        object,
        CommandSpec("stick", arity: -2, flags: [.write], acl: [.keyspace], keys: [.range(1, last: -1, [.RW, .update])], handler: stick),
    ]

    /// DEL key [key ...] / UNLINK key [key ...] — O(N) keys
    static func del(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var n: Int64 = 0
        for key in argv.dropFirst() where try ctx.keyspace.delete(key) { n += 1 }
        return .integer(n)
    }

    /// EXISTS key [key ...] / TOUCH key [key ...] — O(N) keys; a key named twice counts twice
    static func exists(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var n: Int64 = 0
        for key in argv.dropFirst() where try ctx.keyspace.exists(key) { n += 1 }
        return .integer(n)
    }

    /// EXPIRE key seconds [NX | XX | GT | LT] (and PEXPIRE, EXPIREAT, PEXPIREAT) — O(1)
    ///
    /// Options are parsed before the time, as expire.c does; negative and past times
    /// delete the key.
    static func expire(_ ctx: borrowing CommandContext, _ argv: [ByteString], unit: ExpireUnit, name: String) throws(StoreError) -> Reply {
        var condition: ExpireCondition = []
        for opt in argv.dropFirst(3) {
            if opt.isOption("NX") { condition.insert(.nx) }
            else if opt.isOption("XX") { condition.insert(.xx) }
            else if opt.isOption("GT") { condition.insert(.gt) }
            else if opt.isOption("LT") { condition.insert(.lt) }
            else { throw .unsupportedOption(opt.string) }
        }
        if condition.contains(.nx) && !condition.isDisjoint(with: [.xx, .gt, .lt]) {
            throw .expireNXAndXXGTOrLT
        }
        if condition.contains(.gt) && condition.contains(.lt) {
            throw .expireGTAndLT
        }
        var when = try argv[2].integerArgument()
        if unit == .seconds || unit == .unixSeconds {
            if when > Int64.max / 1000 || when < Int64.min / 1000 { throw .invalidExpireTime(command: name) }
            when *= 1000
        }
        let base: Int64 = unit.isRelative ? ctx.keyspace.clock.nowMilliseconds() : 0
        if when > Int64.max - base { throw .invalidExpireTime(command: name) }
        when += base
        return .integer(try ctx.keyspace.expire(argv[1], at: when, condition: condition) ? 1 : 0)
    }

    /// TTL key / PTTL key — O(1)
    static func ttl(_ ctx: borrowing CommandContext, _ argv: [ByteString], milliseconds: Bool) throws(StoreError) -> Reply {
        switch try ctx.keyspace.timeToLive(argv[1]) {
        case .noKey: return .integer(-2)
        case .persistent: return .integer(-1)
        case .milliseconds(let ms): return .integer(milliseconds ? ms : (ms + 500) / 1000)
        }
    }

    /// EXPIRETIME key / PEXPIRETIME key — O(1)
    static func expiretime(_ ctx: borrowing CommandContext, _ argv: [ByteString], milliseconds: Bool) throws(StoreError) -> Reply {
        switch try ctx.keyspace.expireTime(argv[1]) {
        case .noKey: return .integer(-2)
        case .persistent: return .integer(-1)
        case .milliseconds(let ms): return .integer(milliseconds ? ms : ms / 1000)
        }
    }

    /// COPY source destination [DB destination-db] [REPLACE] — O(N) in the value's size
    ///
    /// LuaStore has one database: `DB 0` is accepted, any other index is an error.
    static func copy(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var replace = false
        var j = 3
        while j < argv.count {
            if argv[j].isOption("REPLACE") {
                replace = true
            } else if argv[j].isOption("DB") && j + 1 < argv.count {
                // getIntFromObjectOrReply: an integer in C's int range, then the index.
                let db = try argv[j + 1].integerArgument()
                guard db >= Int64(Int32.min) && db <= Int64(Int32.max) else {
                    throw .valueOutOfRange(min: Int64(Int32.min), max: Int64(Int32.max))
                }
                guard db == 0 else { throw .dbIndexOutOfRange }
                j += 1
            } else {
                throw .syntax
            }
            j += 1
        }
        if argv[1] == argv[2] { throw .sameObject }
        return .integer(try ctx.keyspace.copy(argv[1], to: argv[2], replace: replace) ? 1 : 0)
    }

    /// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] — O(COUNT) per call
    static func scan(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        // strtoul's rules, as Redis: a sign is allowed ("-1" wraps), spaces and junk are not.
        let cursor = try ScanArguments.cursor(argv[1])
        var count = 10
        var pattern: ByteString? = nil
        var type: String? = nil
        var j = 2
        while j < argv.count {
            guard j + 1 < argv.count else { throw .syntax }
            if argv[j].isOption("COUNT") {
                let n = try argv[j + 1].integerArgument()
                guard n >= 1 else { throw .syntax }
                count = Int(min(n, Int64(Int32.max)))
            } else if argv[j].isOption("MATCH") {
                pattern = argv[j + 1]
            } else if argv[j].isOption("TYPE") {
                type = argv[j + 1].string.lowercased()
            } else {
                throw .syntax
            }
            j += 2
        }
        if let p = pattern, p.count == 1, p[0] == UInt8(ascii: "*") { pattern = nil }
        let page = ctx.keyspace.scan(cursor: cursor, count: count, pattern: pattern, type: type)
        return .array([.bulk(ByteString(String(page.cursor))), .array(page.keys.map { .bulk($0) })])
    }

    /// FLUSHALL [ASYNC | SYNC] / FLUSHDB [ASYNC | SYNC] — O(N)
    static func flush(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        if argv.count > 2 || (argv.count == 2 && !argv[1].isOption("ASYNC") && !argv[1].isOption("SYNC")) {
            throw .syntax
        }
        ctx.keyspace.flush()
        return .ok
    }

    /// STICK key [key ...] — O(N) keys (Dragonfly): keys that eviction never drops; replies
    /// with the number of keys newly marked.
    static func stick(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var n: Int64 = 0
        for key in argv.dropFirst() where try ctx.keyspace.stick(key) { n += 1 }
        return .integer(n)
    }
}
