import LuaStoreCore

/// The stream commands (Redis's t_stream.c): handlers parse argv, call the operations in
/// `StreamOps.swift`, and shape the reply.
enum StreamFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("xadd", arity: -5, flags: [.write, .denyOOM, .fast], acl: [.stream], keys: [
            .range(1, [.RW, .update], notes: "UPDATE instead of INSERT because of the optional trimming feature"),
        ], tips: ["nondeterministic_output"], handler: xadd),
        CommandSpec("xlen", arity: 2, flags: [.readonly, .fast], acl: [.stream], keys: [.range(1, [.RO])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(try ctx.keyspace.xlen(argv[1]))) }),
        CommandSpec("xrange", arity: -4, flags: [.readonly], acl: [.stream], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try range(ctx, argv, reverse: false) }),
        CommandSpec("xrevrange", arity: -4, flags: [.readonly], acl: [.stream], keys: [.range(1, [.RO, .access])], handler: { ctx, argv throws(StoreError) in
            try range(ctx, argv, reverse: true) }),
        CommandSpec("xdel", arity: -3, flags: [.write, .fast], acl: [.stream], keys: [.range(1, [.RW, .delete])], handler: xdel),
        CommandSpec("xtrim", arity: -4, flags: [.write], acl: [.stream], keys: [.range(1, [.RW, .delete])],
                    tips: ["nondeterministic_output"], handler: { ctx, argv throws(StoreError) in
            let arguments = try StreamAddTrimArguments(argv, xadd: false)
            guard let trim = arguments.trim else { throw .syntax }
            return .integer(Int64(try ctx.keyspace.xtrim(argv[1], trim))) }),
        CommandSpec("xsetid", arity: -3, flags: [.write, .denyOOM, .fast], acl: [.stream], keys: [.range(1, [.RW, .update])], handler: xsetid),
        CommandSpec("xread", arity: -4, flags: [.readonly, .blocking], acl: [.stream], keys: [
            .keyword("STREAMS", startFrom: 1, last: -1, step: 1, limit: 2, [.RO, .access]),
        ], handler: xread),
    ]

    /// XADD key [NOMKSTREAM] [MAXLEN | MINID [= | ~] threshold [LIMIT count]] * | id field
    /// value [field value ...] — O(1) to add, O(N) to trim N entries
    static func xadd(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let arguments = try StreamAddTrimArguments(argv, xadd: true)
        let first = arguments.idIndex + 1
        let remaining = argv.count - first
        guard remaining >= 2, remaining % 2 == 0 else { throw .wrongArity(command: "xadd") }
        let pairs = stride(from: first, to: argv.count, by: 2).map { (field: argv[$0], value: argv[$0 + 1]) }
        let id = try ctx.keyspace.xadd(argv[1], id: arguments.id, pairs, trim: arguments.trim, createStream: arguments.createStream)
        return id.map { .bulk($0.text) } ?? .null
    }

    /// XRANGE key start end [COUNT count] / XREVRANGE key end start [COUNT count] — O(log(N)+M)
    ///
    /// As `xrangeGenericCommand`: the start, then the end, then COUNT, then the key; COUNT 0
    /// answers the null array for a stream, an empty one for a missing key.
    static func range(_ ctx: borrowing CommandContext, _ argv: [ByteString], reverse: Bool) throws(StoreError) -> Reply {
        let startArgument = reverse ? argv[3] : argv[2]
        let endArgument = reverse ? argv[2] : argv[3]
        var (start, exclusive) = try StreamIDArgument.interval(startArgument, missing: 0)
        if exclusive {
            guard let next = start.successor else { throw .streamInvalidStartInterval }
            start = next
        }
        var end: StreamID
        (end, exclusive) = try StreamIDArgument.interval(endArgument, missing: .max)
        if exclusive {
            guard let previous = end.predecessor else { throw .streamInvalidEndInterval }
            end = previous
        }
        var count: Int?
        var i = 4
        while i < argv.count {
            guard argv[i].isOption("COUNT"), i + 1 < argv.count else { throw .syntax }
            guard let given = argv[i + 1].int64Value else { throw .notInteger }
            count = Int(max(0, given))
            i += 2
        }
        if count == 0 { return try ctx.keyspace.readStream(argv[1]) { $0 == nil ? .array([]) : .nullArray } }
        let entries = try ctx.keyspace.xrange(argv[1], from: start, to: end, count: count, reverse: reverse)
        return .array(entries.map(\.reply))
    }

    /// XDEL key id [id ...] — O(1) per entry; a missing key answers 0 before the IDs are read.
    static func xdel(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard try ctx.keyspace.readStream(argv[1], { $0 != nil }) else { return .integer(0) }
        var ids: [StreamID] = []
        for argument in argv[2...] { ids.append(try StreamIDArgument.strict(argument)) }
        return .integer(Int64(try ctx.keyspace.xdel(argv[1], ids)))
    }

    /// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] — O(1)
    static func xsetid(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let id = try StreamIDArgument.strict(argv[2])
        var entriesAdded: Int64?
        var maxDeletedID: StreamID?
        var i = 3
        while i < argv.count {
            let more = i + 1 < argv.count
            if argv[i].isOption("ENTRIESADDED") && more {
                guard let given = argv[i + 1].int64Value else { throw .notInteger }
                if given < 0 { throw .streamEntriesAddedNegative }
                entriesAdded = given
            } else if argv[i].isOption("MAXDELETEDID") && more {
                let given = try StreamIDArgument.strict(argv[i + 1])
                if id < given { throw .streamSetIDBelowMaxDeleted }
                maxDeletedID = given
            } else {
                throw .syntax
            }
            i += 2
        }
        try ctx.keyspace.xsetid(argv[1], id, entriesAdded: entriesAdded, maxDeletedID: maxDeletedID)
        return .status("OK")
    }

    /// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] — O(N) per
    /// stream served
    ///
    /// Never blocks here: with BLOCK and nothing to read it answers as a timeout, as
    /// redis-server does for a client that may not block.
    static func xread(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let arguments = try StreamReadArguments(argv)
        let served = try ctx.keyspace.xread(arguments.keys, starts: arguments.starts, count: arguments.count)
        return readReply(served, resp3: ctx.resp3)
    }

    /// XREAD's reply: per stream served, its key and entries (pairs in RESP2, a map in
    /// RESP3); the null array when none was.
    static func readReply(_ served: [(key: ByteString, entries: [StreamEntry])], resp3: Bool) -> Reply {
        guard !served.isEmpty else { return .nullArray }
        if resp3 {
            return .map(served.map { Reply.MapEntry(key: .bulk($0.key), value: .array($0.entries.map(\.reply))) })
        }
        return .array(served.map { .array([.bulk($0.key), .array($0.entries.map(\.reply))]) })
    }
}
