import LuaStoreCore

/// The HyperLogLog commands (Redis's hyperloglog.c): handlers parse argv, call the
/// operations in `HyperLogLogOps.swift`, and shape the reply.
enum HyperLogLogFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("pfadd", arity: -2, flags: [.write, .denyOOM, .fast], acl: [.hyperloglog], keys: [.range(1, [.RW, .insert])], handler: pfadd),
        CommandSpec("pfcount", arity: -2, flags: [.readonly], acl: [.hyperloglog], keys: [.range(1, last: -1, [.RW, .access], notes: "RW because it may change the internal representation of the key, and propagate to replicas")], handler: pfcount),
        CommandSpec("pfdebug", arity: 3, flags: [.write, .denyOOM, .admin], acl: [.hyperloglog], keys: [.range(2, [.RW, .access])], handler: pfdebug),
        CommandSpec("pfselftest", arity: 1, flags: [.admin], acl: [.hyperloglog], handler: pfselftest),
        CommandSpec("pfmerge", arity: -2, flags: [.write, .denyOOM], acl: [.hyperloglog], keys: [.range(1, [.RW, .access, .insert]), .range(2, last: -1, [.RO, .access])], handler: pfmerge),
    ]

    /// PFADD key [element [element ...]] — O(1) to add every element
    static func pfadd(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        .integer(try ctx.keyspace.pfadd(argv[1], Array(argv[2...])) ? 1 : 0)
    }

    /// PFCOUNT key [key ...] — O(1) with one key, O(N) with N keys
    static func pfcount(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        .integer(try ctx.keyspace.pfcount(Array(argv[1...])))
    }

    /// PFDEBUG subcommand key — debugging views of a HyperLogLog value (GETREG DECODE
    /// ENCODING TODENSE)
    static func pfdebug(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        switch try ctx.keyspace.pfdebug(argv[1], argv[2]) {
        case .registers(let registers): return .array(registers.map { .integer(Int64($0)) })
        case .decoded(let text): return .bulk(ByteString(text))
        case .encoding(let name): return .status(name)
        case .converted(let converted): return .integer(converted ? 1 : 0)
        }
    }

    /// PFSELFTEST — checks the HyperLogLog implementation
    static func pfselftest(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        if let failure = HyperLogLog.selfTest() { throw .hyperLogLogSelfTestFailed(failure) }
        return .ok
    }

    /// PFMERGE destkey [sourcekey [sourcekey ...]] — O(N) to merge N HyperLogLogs
    static func pfmerge(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        try ctx.keyspace.pfmerge(argv[1], Array(argv[2...]))
        return .ok
    }
}
