import LuaStoreCore

/// The bitmap commands (Redis's bitops.c): handlers parse argv, call the operations in
/// `BitmapOps.swift`, and shape the reply.
enum BitmapFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("setbit", arity: 4, flags: [.write, .denyOOM], acl: [.bitmap], keys: [.range(1, [.RW, .access, .update])], handler: setbit),
        CommandSpec("getbit", arity: 3, flags: [.readonly, .fast], acl: [.bitmap], keys: [.range(1, [.RO, .access])], handler: getbit),
        CommandSpec("bitcount", arity: -2, flags: [.readonly], acl: [.bitmap], keys: [.range(1, [.RO, .access])], handler: bitcount),
        CommandSpec("bitpos", arity: -3, flags: [.readonly], acl: [.bitmap], keys: [.range(1, [.RO, .access])], handler: bitpos),
        CommandSpec("bitop", arity: -4, flags: [.write, .denyOOM], acl: [.bitmap], keys: [.range(2, [.OW, .update]), .range(3, last: -1, [.RO, .access])], handler: bitop),
        CommandSpec("bitfield", arity: -2, flags: [.write, .denyOOM], acl: [.bitmap], keys: [.range(1, [.RW, .access, .update, .variableFlags], notes: "This command allows both access and modification of the key")], variableKeyFlags: bitfieldKeyFlags, handler: { ctx, argv throws(StoreError) in try bitfield(ctx, argv, readOnly: false) }),
        CommandSpec("bitfield_ro", arity: -2, flags: [.readonly, .fast], acl: [.bitmap], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in try bitfield(ctx, argv, readOnly: true) }),
    ]

    /// SETBIT key offset value — O(1)
    static func setbit(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let offset = try BitOffset.parse(argv[2])
        guard let bit = argv[3].int64Value, bit == 0 || bit == 1 else { throw .bitNotZeroOrOne }
        return .integer(Int64(try ctx.keyspace.setbit(argv[1], offset: offset, value: bit == 1)))
    }

    /// GETBIT key offset — O(1)
    static func getbit(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let offset = try BitOffset.parse(argv[2])
        return .integer(Int64(try ctx.keyspace.getbit(argv[1], offset: offset)))
    }

    /// BITCOUNT key [start end [BYTE | BIT]] — O(N)
    ///
    /// The range is parsed after the key's lookup, as Redis does: a missing key answers 0
    /// whatever follows it.
    static func bitcount(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        .integer(try ctx.keyspace.bitcount(argv[1]) { () throws(StoreError) -> BitRange? in
            switch argv.count {
            case 2: return nil
            case 4, 5:
                let start = try argv[2].integerArgument(), end = try argv[3].integerArgument()
                // An empty negative range answers 0 before the unit is read, as in Redis.
                if start < 0 && end < 0 && start > end { return BitRange(start: start, end: end) }
                return BitRange(start: start, end: end, unit: argv.count == 5 ? try unit(argv[4]) : .byte)
            default: throw .syntax
            }
        })
    }

    /// BITPOS key bit [start [end [BYTE | BIT]]] — O(N)
    ///
    /// The bit is checked first, the range after the key's lookup, as Redis does.
    static func bitpos(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let bit = try argv[2].integerArgument()
        return .integer(try ctx.keyspace.bitpos(argv[1], bit: bit) { () throws(StoreError) -> BitRange? in
            guard argv.count > 3 else { return nil }
            guard argv.count <= 6 else { throw .syntax }
            let start = try argv[3].integerArgument()
            let rangeUnit = argv.count == 6 ? try unit(argv[5]) : .byte
            let end = argv.count >= 5 ? try argv[4].integerArgument() : nil
            return BitRange(start: start, end: end, unit: rangeUnit)
        })
    }

    static func unit(_ argument: ByteString) throws(StoreError) -> BitRangeUnit {
        if argument.isOption("BIT") { return .bit }
        if argument.isOption("BYTE") { return .byte }
        throw .syntax
    }

    /// BITOP <AND | OR | XOR | NOT> destkey key [key ...] — O(N)
    static func bitop(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let operation: BitOperation
        let name = argv[1]
        if name.isOption("AND") { operation = .and }
        else if name.isOption("OR") { operation = .or }
        else if name.isOption("XOR") { operation = .xor }
        else if name.isOption("NOT") { operation = .not }
        else { throw .syntax }
        return .integer(Int64(try ctx.keyspace.bitop(operation, destination: argv[2], sources: Array(argv[3...]))))
    }

    /// BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding
    /// offset value | INCRBY encoding offset increment> ...] — O(1) for each subcommand;
    /// BITFIELD_RO key [GET encoding offset ...] — O(1) for each subcommand
    ///
    /// Each subcommand is parsed in turn, so the first bad argument decides the error.
    static func bitfield(_ ctx: borrowing CommandContext, _ argv: [ByteString], readOnly: Bool) throws(StoreError) -> Reply {
        let operations = try parseBitfield(argv)
        let replies = try ctx.keyspace.bitfield(argv[1], operations, readOnly: readOnly)
        return .array(replies.map { $0.map(Reply.integer) ?? .null })
    }

    /// `bitfieldGeneric`'s parsing loop.
    static func parseBitfield(_ argv: [ByteString]) throws(StoreError) -> [BitfieldOperation] {
        var operations: [BitfieldOperation] = []
        var j = 2
        while j < argv.count {
            let remaining = argv.count - j - 1
            let name = argv[j]
            if name.isOption("OVERFLOW") && remaining >= 1 {
                let mode = argv[j + 1]
                if mode.isOption("WRAP") { operations.append(.overflow(.wrap)) }
                else if mode.isOption("SAT") { operations.append(.overflow(.sat)) }
                else if mode.isOption("FAIL") { operations.append(.overflow(.fail)) }
                else { throw .bitfieldInvalidOverflow }
                j += 2
                continue
            }
            let isGet = name.isOption("GET") && remaining >= 2
            let isSet = name.isOption("SET") && remaining >= 3
            let isIncr = name.isOption("INCRBY") && remaining >= 3
            guard isGet || isSet || isIncr else { throw .syntax }
            let type = try BitfieldType(argument: argv[j + 1])
            let offset = try BitOffset.parse(argv[j + 2], fieldWidth: type.bits)
            if isGet {
                operations.append(.get(type, offset: offset))
                j += 3
                continue
            }
            let value = try argv[j + 3].integerArgument()
            operations.append(isSet ? .set(type, offset: offset, value: value) : .incrBy(type, offset: offset, increment: value))
            j += 4
        }
        return operations
    }

    /// BITFIELD's key flags (`bitfieldGetKeys`): read-only unless a SET or INCRBY (or an
    /// argument that does not parse) follows.
    @Sendable static func bitfieldKeyFlags(_ argv: [ByteString]) -> KeySpec.Flags {
        var j = 2
        while j < argv.count {
            let remaining = argv.count - j - 1
            if argv[j].isOption("GET") && remaining >= 2 { j += 3; continue }
            if argv[j].isOption("OVERFLOW") && remaining >= 1 { j += 2; continue }
            return [.RW, .access, .update]
        }
        return [.RO, .access]
    }
}
