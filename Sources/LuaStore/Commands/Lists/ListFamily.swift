import LuaStoreCore

/// The list commands (Redis's t_list.c): handlers parse argv, call the operations in
/// `ListOps.swift`, and shape the reply.
///
/// The blocking forms (BLPOP, BRPOP, BLMOVE, BLMPOP, BRPOPLPUSH) never block here: like
/// Redis inside MULTI (or a script, for BLMPOP) they answer at once, with a null reply when
/// there is nothing to pop. The typed API's `async` versions are the ones that wait.
enum ListFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("lpush", arity: -3, flags: [.write, .denyOOM, .fast], acl: [.list], keys: [.range(1, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            try push(ctx, argv, .left, onlyIfExists: false) }),
        CommandSpec("rpush", arity: -3, flags: [.write, .denyOOM, .fast], acl: [.list], keys: [.range(1, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            try push(ctx, argv, .right, onlyIfExists: false) }),
        CommandSpec("lpushx", arity: -3, flags: [.write, .denyOOM, .fast], acl: [.list], keys: [.range(1, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            try push(ctx, argv, .left, onlyIfExists: true) }),
        CommandSpec("rpushx", arity: -3, flags: [.write, .denyOOM, .fast], acl: [.list], keys: [.range(1, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            try push(ctx, argv, .right, onlyIfExists: true) }),
        CommandSpec("lpop", arity: -2, flags: [.write, .fast], acl: [.list], keys: [.range(1, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try pop(ctx, argv, .left) }),
        CommandSpec("rpop", arity: -2, flags: [.write, .fast], acl: [.list], keys: [.range(1, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try pop(ctx, argv, .right) }),
        CommandSpec("llen", arity: 2, flags: [.readonly, .fast], acl: [.list], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.llen(argv[1]))) }),
        CommandSpec("lrange", arity: 4, flags: [.readonly], acl: [.list], keys: [.range(1, [.RO, .access])], handler: lrange),
        CommandSpec("lindex", arity: 3, flags: [.readonly], acl: [.list], keys: [.range(1, [.RO, .access])], handler: lindex),
        CommandSpec("lset", arity: 4, flags: [.write, .denyOOM], acl: [.list], keys: [.range(1, [.RW, .update])], handler: lset),
        CommandSpec("linsert", arity: 5, flags: [.write, .denyOOM], acl: [.list], keys: [.range(1, [.RW, .insert])], handler: linsert),
        CommandSpec("lrem", arity: 4, flags: [.write], acl: [.list], keys: [.range(1, [.RW, .delete])], handler: lrem),
        CommandSpec("ltrim", arity: 4, flags: [.write], acl: [.list], keys: [.range(1, [.RW, .delete])], handler: ltrim),
        CommandSpec("lpos", arity: -3, flags: [.readonly], acl: [.list], keys: [.range(1, [.RO, .access])], handler: lpos),
        CommandSpec("lmove", arity: 5, flags: [.write, .denyOOM], acl: [.list], keys: [.range(1, [.RW, .access, .delete]), .range(2, [.RW, .insert])], handler: lmove),
        CommandSpec("rpoplpush", arity: 3, flags: [.write, .denyOOM], acl: [.list], keys: [.range(1, [.RW, .access, .delete]), .range(2, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            try ctx.keyspace.lmove(argv[1], argv[2], from: .right, to: .left).map { .bulk($0) } ?? .null }),
        CommandSpec("lmpop", arity: -4, flags: [.write], acl: [.list], keys: [.keynum(1, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try lmpop(ctx, argv, numkeysIndex: 1) }),
        CommandSpec("blpop", arity: -3, flags: [.write, .noScript, .blocking], acl: [.list], keys: [.range(1, last: -2, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try blockingPop(ctx, argv, .left) }),
        CommandSpec("brpop", arity: -3, flags: [.write, .noScript, .blocking], acl: [.list], keys: [.range(1, last: -2, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try blockingPop(ctx, argv, .right) }),
        CommandSpec("brpoplpush", arity: 4, flags: [.write, .denyOOM, .noScript, .blocking], acl: [.list], keys: [.range(1, [.RW, .access, .delete]), .range(2, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            _ = try ListArguments.timeout(argv[3])
            return try ctx.keyspace.lmove(argv[1], argv[2], from: .right, to: .left).map { .bulk($0) } ?? .null }),
        CommandSpec("blmove", arity: 6, flags: [.write, .denyOOM, .noScript, .blocking], acl: [.list], keys: [.range(1, [.RW, .access, .delete]), .range(2, [.RW, .insert])], handler: lmove),
        CommandSpec("blmpop", arity: -5, flags: [.write, .blocking], acl: [.list], keys: [.keynum(2, [.RW, .access, .delete])], handler: { ctx, argv throws(StoreError) in
            try lmpop(ctx, argv, numkeysIndex: 2) }),
    ]

    /// LPUSH key element [element ...] / RPUSH / LPUSHX / RPUSHX — O(1) per element
    static func push(_ ctx: borrowing CommandContext, _ argv: [ByteString], _ end: ListEnd, onlyIfExists: Bool) throws(StoreError) -> Reply {
        .integer(Int64(try ctx.keyspace.push(argv[1], argv[2...], to: end, onlyIfExists: onlyIfExists)))
    }

    /// LPOP key [count] / RPOP key [count] — O(N) in the number of elements returned
    ///
    /// Without a count: one element or null; with one: an array (empty for count 0), or the
    /// null array when the key is missing.
    static func pop(_ ctx: borrowing CommandContext, _ argv: [ByteString], _ end: ListEnd) throws(StoreError) -> Reply {
        guard argv.count <= 3 else { throw .wrongArity(command: end == .left ? "lpop" : "rpop") }
        let count = argv.count == 3
            ? try ListArguments.nonNegative(argv[2], error: .valueMustBePositive) : nil
        guard let popped = try ctx.keyspace.pop(argv[1], from: end, count: count ?? 1) else {
            return count == nil ? .null : .nullArray
        }
        if count == nil { return popped.first.map { .bulk($0) } ?? .null }
        return .array(popped.map { .bulk($0) })
    }

    /// LRANGE key start stop — O(S+N): S the offset of start, N the elements returned
    static func lrange(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let start = Int(try argv[2].integerArgument()), stop = Int(try argv[3].integerArgument())
        return .array(try ctx.keyspace.lrange(argv[1], start: start, stop: stop).map { .bulk($0) })
    }

    /// LINDEX key index — O(1), O(N) in the compact encoding
    ///
    /// Redis looks the key up before it parses the index: a missing key answers null even
    /// for a bad index.
    static func lindex(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard let index = argv[2].int64Value else {
            if try ctx.keyspace.llen(argv[1]) == 0 { return .null }
            throw .notInteger
        }
        return try ctx.keyspace.lindex(argv[1], Int(index)).map { .bulk($0) } ?? .null
    }

    /// LSET key index element — O(1), O(N) in the compact encoding
    ///
    /// As LINDEX, the key is looked up first: a missing key is "no such key" even for a
    /// bad index.
    static func lset(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard let index = argv[2].int64Value else {
            if try ctx.keyspace.llen(argv[1]) == 0 { throw .noSuchKey }
            throw .notInteger
        }
        try ctx.keyspace.lset(argv[1], Int(index), argv[3])
        return .ok
    }

    /// LINSERT key BEFORE | AFTER pivot element — O(N)
    static func linsert(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let before: Bool
        if argv[2].isOption("BEFORE") { before = true } else if argv[2].isOption("AFTER") { before = false } else { throw .syntax }
        return .integer(Int64(try ctx.keyspace.linsert(argv[1], before: before, pivot: argv[3], argv[4])))
    }

    /// LREM key count element — O(N)
    static func lrem(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let count = Int(try argv[2].integerArgument())
        return .integer(Int64(try ctx.keyspace.lrem(argv[1], count: count, argv[3])))
    }

    /// LTRIM key start stop — O(N) in the elements removed
    static func ltrim(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let start = Int(try argv[2].integerArgument()), stop = Int(try argv[3].integerArgument())
        try ctx.keyspace.ltrim(argv[1], start: start, stop: stop)
        return .ok
    }

    /// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] — O(N)
    ///
    /// A repeated option keeps its last value. Redis 7.0 negates RANK in a signed 64-bit
    /// integer, so RANK -9223372036854775808 behaves as a search from the tail whose rank
    /// test always passes and whose COUNT test never does: every match, tail first.
    static func lpos(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var rank: Int64 = 1, count: Int64? = nil, maxLength: Int64 = 0
        var j = 3
        while j < argv.count {
            let option = argv[j]
            guard j + 1 < argv.count, option.isOption("RANK") || option.isOption("COUNT") || option.isOption("MAXLEN") else {
                throw .syntax
            }
            // RANK reports a non-integer as such; COUNT and MAXLEN fold it into their
            // "can't be negative" error, as lposCommand does.
            let value: Int64
            if let v = argv[j + 1].int64Value {
                value = v
            } else if option.isOption("RANK") {
                throw .notInteger
            } else {
                throw option.isOption("COUNT") ? StoreError.countNegative : .maxlenNegative
            }
            if option.isOption("RANK") {
                guard value != 0 else {
                    throw .rankZero
                }
                rank = value
            } else if option.isOption("COUNT") {
                guard value >= 0 else { throw .countNegative }
                count = value
            } else {
                guard value >= 0 else { throw .maxlenNegative }
                maxLength = value
            }
            j += 2
        }
        var scanCount = Int(count ?? 1)
        if rank == Int64.min {
            rank = -1
            scanCount = 0
        }
        guard let found = try ctx.keyspace.lpos(
            argv[1], argv[2], rank: Int(rank), count: scanCount, maxLength: Int(maxLength))
        else { return count == nil ? .null : .array([]) }
        if count == nil { return found.first.map { .integer(Int64($0)) } ?? .null }
        return .array(found.map { .integer(Int64($0)) })
    }

    /// LMOVE source destination LEFT | RIGHT LEFT | RIGHT — O(1), and
    /// BLMOVE source destination LEFT | RIGHT LEFT | RIGHT timeout (never blocks here)
    static func lmove(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let from = try ListArguments.end(argv[3]), to = try ListArguments.end(argv[4])
        if argv.count == 6 { _ = try ListArguments.timeout(argv[5]) }
        return try ctx.keyspace.lmove(argv[1], argv[2], from: from, to: to).map { .bulk($0) } ?? .null
    }

    /// LMPOP numkeys key [key ...] LEFT | RIGHT [COUNT count] — O(N+M): N keys, M elements,
    /// and BLMPOP timeout numkeys ... (never blocks here)
    static func lmpop(_ ctx: borrowing CommandContext, _ argv: [ByteString], numkeysIndex: Int) throws(StoreError) -> Reply {
        let numkeys = try ListArguments.positive(argv[numkeysIndex], error: .numkeysNotPositive)
        guard numkeys < argv.count - numkeysIndex - 1 else { throw .syntax }
        let endIndex = numkeysIndex + numkeys + 1
        let end = try ListArguments.end(argv[endIndex])
        var count: Int? = nil
        var j = endIndex + 1
        while j < argv.count {
            guard count == nil, argv[j].isOption("COUNT"), j + 1 < argv.count else { throw .syntax }
            count = try ListArguments.positive(argv[j + 1], error: .countNotPositive)
            j += 2
        }
        // BLMPOP's timeout is parsed after the other arguments, as blmpopCommand does.
        if numkeysIndex == 2 { _ = try ListArguments.timeout(argv[1]) }
        let keys = Array(argv[(numkeysIndex + 1)..<endIndex])
        guard let (key, elements) = try ctx.keyspace.mpop(keys, from: end, count: count ?? 1) else {
            return .nullArray
        }
        return .array([.bulk(key), .array(elements.map { .bulk($0) })])
    }

    /// BLPOP key [key ...] timeout / BRPOP — O(N) keys; never blocks here
    static func blockingPop(_ ctx: borrowing CommandContext, _ argv: [ByteString], _ end: ListEnd) throws(StoreError) -> Reply {
        _ = try ListArguments.timeout(argv[argv.count - 1])
        let keys = Array(argv[1..<(argv.count - 1)])
        guard let (key, elements) = try ctx.keyspace.mpop(keys, from: end, count: 1),
              let element = elements.first
        else { return .nullArray }
        return .array([.bulk(key), .bulk(element)])
    }
}
