import LuaStoreCore

/// The string commands (Redis's t_string.c): handlers parse argv, call the operations in
/// `StringOps.swift`, and shape the reply.
enum StringFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("get", arity: 2, flags: [.readonly, .fast], acl: [.string], keys: [.range(1, [.RO, .access])], handler: get),
        CommandSpec("set", arity: -3, flags: [.write, .denyOOM], acl: [.string], keys: [.range(1, [.RW, .access, .update, .variableFlags], notes: "RW and ACCESS due to the optional `GET` argument")], variableKeyFlags: setKeyFlags, handler: set),
        CommandSpec("setnx", arity: 3, flags: [.write, .denyOOM, .fast], acl: [.string], keys: [.range(1, [.OW, .insert])], handler: setnx),
        CommandSpec("setex", arity: 4, flags: [.write, .denyOOM], acl: [.string], keys: [.range(1, [.OW, .update])], handler: { ctx, argv throws(StoreError) in try setex(ctx, argv, unit: .seconds) }),
        CommandSpec("psetex", arity: 4, flags: [.write, .denyOOM], acl: [.string], keys: [.range(1, [.OW, .update])], handler: { ctx, argv throws(StoreError) in try setex(ctx, argv, unit: .milliseconds) }),
        CommandSpec("getset", arity: 3, flags: [.write, .denyOOM, .fast], acl: [.string], keys: [.range(1, [.RW, .access, .update])], handler: getset),
        CommandSpec("getdel", arity: 2, flags: [.write, .fast], acl: [.string], keys: [.range(1, [.RW, .access, .delete])], handler: getdel),
        CommandSpec("getex", arity: -2, flags: [.write, .fast], acl: [.string], keys: [.range(1, [.RW, .access, .update], notes: "RW and UPDATE because it changes the TTL")], handler: getex),
        CommandSpec("mget", arity: -2, flags: [.readonly, .fast], acl: [.string], keys: [.range(1, last: -1, [.RO, .access])], tips: ["request_policy:multi_shard"], handler: mget),
        CommandSpec("mset", arity: -3, flags: [.write, .denyOOM], acl: [.string], keys: [.range(1, last: -1, step: 2, [.OW, .update])], tips: ["request_policy:multi_shard", "response_policy:all_succeeded"], handler: { ctx, argv throws(StoreError) in try mset(ctx, argv, nx: false) }),
        CommandSpec("msetnx", arity: -3, flags: [.write, .denyOOM], acl: [.string], keys: [.range(1, last: -1, step: 2, [.OW, .insert])], tips: ["request_policy:multi_shard", "response_policy:agg_min"], handler: { ctx, argv throws(StoreError) in try mset(ctx, argv, nx: true) }),
        CommandSpec("incr", arity: 2, flags: [.write, .denyOOM, .fast], acl: [.string], keys: [.range(1, [.RW, .access, .update])], handler: { ctx, argv throws(StoreError) in
            .integer(try ctx.keyspace.incrBy(argv[1], 1)) }),
        CommandSpec("decr", arity: 2, flags: [.write, .denyOOM, .fast], acl: [.string], keys: [.range(1, [.RW, .access, .update])], handler: { ctx, argv throws(StoreError) in
            .integer(try ctx.keyspace.incrBy(argv[1], -1)) }),
        CommandSpec("incrby", arity: 3, flags: [.write, .denyOOM, .fast], acl: [.string], keys: [.range(1, [.RW, .access, .update])], handler: { ctx, argv throws(StoreError) in
            .integer(try ctx.keyspace.incrBy(argv[1], try argv[2].integerArgument())) }),
        CommandSpec("decrby", arity: 3, flags: [.write, .denyOOM, .fast], acl: [.string], keys: [.range(1, [.RW, .access, .update])], handler: decrby),
        CommandSpec("incrbyfloat", arity: 3, flags: [.write, .denyOOM, .fast], acl: [.string], keys: [.range(1, [.RW, .access, .update])], handler: incrbyfloat),
        CommandSpec("append", arity: 3, flags: [.write, .denyOOM, .fast], acl: [.string], keys: [.range(1, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.append(argv[1], argv[2]))) }),
        CommandSpec("strlen", arity: 2, flags: [.readonly, .fast], acl: [.string], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.strlen(argv[1]))) }),
        CommandSpec("getrange", arity: 4, flags: [.readonly], acl: [.string], keys: [.range(1, [.RO, .access])], handler: getrange),
        CommandSpec("substr", arity: 4, flags: [.readonly], acl: [.string], keys: [.range(1, [.RO, .access])], handler: getrange),
        CommandSpec("setrange", arity: 4, flags: [.write, .denyOOM], acl: [.string], keys: [.range(1, [.RW, .update])], handler: setrange),
    ]

    /// GET key — O(1)
    static func get(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard let value = try ctx.keyspace.get(argv[1]) else { return .null }
        return .bulk(value)
    }

    /// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
    /// PXAT unix-time-milliseconds | KEEPTTL] [STICK] — O(1)
    ///
    /// Option rules follow t_string.c `parseExtendedStringArgumentsOrReply`: NX/XX exclude
    /// each other, the expiration options exclude each other, a repeated option is allowed.
    /// STICK is Dragonfly's: the key is never evicted.
    static func set(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        if argv.count == 3 {
            // No option: the plain write, which cannot fail (~75 fewer instructions).
            ctx.keyspace.set(argv[1], argv[2])
            return .ok
        }
        var condition = SetCondition.always
        var get = false, stick = false, keepTTL = false
        var expireArgument: ByteString? = nil
        var unit = ExpireUnit.seconds
        var j = 3
        while j < argv.count {
            let opt = argv[j]
            let hasNext = j + 1 < argv.count
            if opt.isOption("NX") && condition != .ifPresent {
                condition = .ifAbsent
            } else if opt.isOption("XX") && condition != .ifAbsent {
                condition = .ifPresent
            } else if opt.isOption("GET") {
                get = true
            } else if opt.isOption("STICK") {
                stick = true
            } else if opt.isOption("KEEPTTL") && expireArgument == nil {
                keepTTL = true
            } else if hasNext && !keepTTL, let u = expireOption(opt), expireArgument == nil || unit == u {
                unit = u
                expireArgument = argv[j + 1]
                j += 1
            } else {
                throw .syntax
            }
            j += 1
        }
        var expiration: Expiration = keepTTL ? .keep : .none
        if let expireArgument {
            expiration = .at(milliseconds: try expirationDeadline(expireArgument, unit: unit, command: "set", now: ctx.keyspace.clock.nowMilliseconds()))
        }
        let (written, previous) = try ctx.keyspace.set(
            argv[1], argv[2], condition: condition, expiration: expiration, get: get, stick: stick)
        if get { return previous.map { .bulk($0) } ?? .null }
        return written ? .ok : .null
    }

    /// SET's key flags (`setGetKeys`): with GET it reads the old value, else it overwrites.
    @Sendable static func setKeyFlags(_ argv: [ByteString]) -> KeySpec.Flags {
        argv.dropFirst(3).contains { $0.isOption("GET") } ? [.RW, .access, .update] : [.OW, .update]
    }

    static func expireOption(_ opt: ByteString) -> ExpireUnit? {
        if opt.isOption("EX") { return .seconds }
        if opt.isOption("PX") { return .milliseconds }
        if opt.isOption("EXAT") { return .unixSeconds }
        if opt.isOption("PXAT") { return .unixMilliseconds }
        return nil
    }

    /// SETNX key value — O(1)
    static func setnx(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let (written, _) = try ctx.keyspace.set(argv[1], argv[2], condition: .ifAbsent)
        return .integer(written ? 1 : 0)
    }

    /// SETEX key seconds value / PSETEX key milliseconds value — O(1)
    static func setex(_ ctx: borrowing CommandContext, _ argv: [ByteString], unit: ExpireUnit) throws(StoreError) -> Reply {
        let name = unit == .seconds ? "setex" : "psetex"
        let deadline = try expirationDeadline(argv[2], unit: unit, command: name, now: ctx.keyspace.clock.nowMilliseconds())
        _ = try ctx.keyspace.set(argv[1], argv[3], expiration: .at(milliseconds: deadline))
        return .ok
    }

    /// GETSET key value — O(1)
    static func getset(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let (_, previous) = try ctx.keyspace.set(argv[1], argv[2], get: true)
        return previous.map { .bulk($0) } ?? .null
    }

    /// GETDEL key — O(1)
    static func getdel(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        try ctx.keyspace.getdel(argv[1]).map { .bulk($0) } ?? .null
    }

    /// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
    /// PXAT unix-time-milliseconds | PERSIST] — O(1)
    static func getex(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var persist = false
        var expireArgument: ByteString? = nil
        var unit = ExpireUnit.seconds
        var j = 2
        while j < argv.count {
            let opt = argv[j]
            if opt.isOption("PERSIST") && expireArgument == nil {
                persist = true
            } else if j + 1 < argv.count && !persist, let u = expireOption(opt), expireArgument == nil || unit == u {
                unit = u
                expireArgument = argv[j + 1]
                j += 1
            } else {
                throw .syntax
            }
            j += 1
        }
        let now = ctx.keyspace.clock.nowMilliseconds()
        let value = try ctx.keyspace.getex(argv[1]) { () throws(StoreError) -> Expiration? in
            if let expireArgument {
                return .at(milliseconds: try expirationDeadline(expireArgument, unit: unit, command: "getex", now: now))
            }
            return persist ? Expiration.none : nil
        }
        return value.map { .bulk($0) } ?? .null
    }

    /// MGET key [key ...] — O(N)
    static func mget(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        .array(ctx.keyspace.mget(Array(argv.dropFirst())).map { $0.map { .bulk($0) } ?? .null })
    }

    /// MSET key value [key value ...] / MSETNX — O(N)
    static func mset(_ ctx: borrowing CommandContext, _ argv: [ByteString], nx: Bool) throws(StoreError) -> Reply {
        guard argv.count % 2 == 1 else { throw .wrongArity(command: nx ? "msetnx" : "mset") }
        let pairs = Swift.stride(from: 1, to: argv.count, by: 2).map { (argv[$0], argv[$0 + 1]) }
        let written = ctx.keyspace.mset(pairs, onlyIfNoneExist: nx)
        return nx ? .integer(written ? 1 : 0) : .ok
    }

    /// DECRBY key decrement — O(1)
    static func decrby(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let delta = try argv[2].integerArgument()
        return .integer(try ctx.keyspace.decrBy(argv[1], delta))
    }

    /// INCRBYFLOAT key increment — O(1)
    ///
    /// The increment is parsed after the key's type is checked, as Redis does.
    static func incrbyfloat(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        .bulk(try ctx.keyspace.incrByFloat(argv[1]) { () throws(StoreError) -> LongDouble in
                guard let delta = LongDoubleText.parse(argv[2]) else { throw .notFloat }
                return delta
            })
    }

    /// GETRANGE key start end — O(N) in the returned length
    static func getrange(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let start = try argv[2].integerArgument()
        let end = try argv[3].integerArgument()
        return .bulk(try ctx.keyspace.getrange(argv[1], start: start, end: end))
    }

    /// SETRANGE key offset value — O(1), O(M) to pad or copy
    static func setrange(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let offset = try argv[2].integerArgument()
        return .integer(Int64(try ctx.keyspace.setrange(argv[1], offset: offset, argv[3])))
    }
}
