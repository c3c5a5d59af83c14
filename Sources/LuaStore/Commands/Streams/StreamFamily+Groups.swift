import LuaStoreCore

/// The consumer-group commands (Redis's t_stream.c): XGROUP, XREADGROUP, XACK, XPENDING,
/// XCLAIM, XAUTOCLAIM.
extension StreamFamily {
    static let groupCommands: [CommandSpec] = [
        CommandSpec(container: "xgroup", arity: -2, subcommands: [
            CommandSpec("xgroup|create", arity: -5, flags: [.write, .denyOOM], acl: [.stream], keys: [.range(2, [.RW, .insert])], handler: xgroupCreate),
            CommandSpec("xgroup|setid", arity: -5, flags: [.write], acl: [.stream], keys: [.range(2, [.RW, .update])], handler: xgroupSetID),
            CommandSpec("xgroup|destroy", arity: 4, flags: [.write], acl: [.stream], keys: [.range(2, [.RW, .delete])], handler: { ctx, argv throws(StoreError) in
                .integer(try ctx.keyspace.xgroupDestroy(argv[2], argv[3]) ? 1 : 0) }),
            CommandSpec("xgroup|createconsumer", arity: 5, flags: [.write, .denyOOM], acl: [.stream], keys: [.range(2, [.RW, .insert])], handler: { ctx, argv throws(StoreError) in
                .integer(try ctx.keyspace.xgroupCreateConsumer(argv[2], argv[3], argv[4]) ? 1 : 0) }),
            CommandSpec("xgroup|delconsumer", arity: 5, flags: [.write], acl: [.stream], keys: [.range(2, [.RW, .delete])], handler: { ctx, argv throws(StoreError) in
                .integer(Int64(try ctx.keyspace.xgroupDeleteConsumer(argv[2], argv[3], argv[4]))) }),
            CommandSpec("xgroup|help", arity: 2, flags: [.loading, .stale], acl: [.stream], handler: { _, _ throws(StoreError) in
                .array(xgroupHelp.map { .status($0) }) }),
        ]),
        CommandSpec("xreadgroup", arity: -7, flags: [.write, .blocking], acl: [.stream], keys: [
            .keyword("STREAMS", startFrom: 4, last: -1, step: 1, limit: 2, [.RO, .access]),
        ], handler: xreadgroup),
        CommandSpec("xack", arity: -4, flags: [.write, .fast], acl: [.stream], keys: [.range(1, [.RW, .update])], handler: xack),
        CommandSpec("xpending", arity: -3, flags: [.readonly], acl: [.stream], keys: [.range(1, [.RO, .access])],
                    tips: ["nondeterministic_output"], handler: xpending),
        CommandSpec("xclaim", arity: -6, flags: [.write, .fast], acl: [.stream], keys: [.range(1, [.RW, .update])],
                    tips: ["nondeterministic_output"], handler: xclaim),
        CommandSpec("xautoclaim", arity: -6, flags: [.write, .fast], acl: [.stream], keys: [.range(1, [.RW, .delete])],
                    tips: ["nondeterministic_output"], handler: xautoclaim),
    ]

    static let xgroupHelp = [
        "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
        "HELP",
        "    Prints this help.",
    ]

    /// The start of XGROUP CREATE / SETID: `$` or a strict ID, its error kept for later.
    private static func groupStart(_ argument: ByteString) -> Result<XReadStart, StoreError> {
        if argument == "$" { return .success(.lastID) }
        do throws(StoreError) { return .success(.after(try StreamIDArgument.strict(argument))) } catch { return .failure(error) }
    }

    /// XGROUP CREATE / SETID options from argv[5]: MKSTREAM (CREATE only), ENTRIESREAD.
    private static func groupOptions(_ argv: [ByteString], create: Bool) throws(StoreError) -> (makeStream: Bool, entriesRead: Int64) {
        var makeStream = false
        var entriesRead: Int64 = -1
        var i = 5
        let subcommand = argv[1].string
        while i < argv.count {
            if create && argv[i].isOption("MKSTREAM") {
                makeStream = true
                i += 1
            } else if argv[i].isOption("ENTRIESREAD") && i + 1 < argv.count {
                guard let given = argv[i + 1].int64Value else { throw .notInteger }
                if given < 0 && given != -1 { throw .streamEntriesReadInvalid }
                entriesRead = given
                i += 2
            } else {
                throw .subcommandSyntax(command: "XGROUP", subcommand: subcommand)
            }
        }
        if create ? argv.count > 8 : (argv.count != 5 && argv.count != 7) {
            throw .subcommandSyntax(command: "XGROUP", subcommand: subcommand)
        }
        return (makeStream, entriesRead)
    }

    /// XGROUP CREATE key group id | $ [MKSTREAM] [ENTRIESREAD entries-read] — O(1)
    static func xgroupCreate(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let (makeStream, entriesRead) = try groupOptions(argv, create: true)
        try ctx.keyspace.xgroupCreate(argv[2], argv[3], start: groupStart(argv[4]), makeStream: makeStream, entriesRead: entriesRead)
        return .status("OK")
    }

    /// XGROUP SETID key group id | $ [ENTRIESREAD entries-read] — O(1)
    static func xgroupSetID(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let (_, entriesRead) = try groupOptions(argv, create: false)
        try ctx.keyspace.xgroupSetID(argv[2], argv[3], start: groupStart(argv[4]), entriesRead: entriesRead)
        return .status("OK")
    }

    /// XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...]
    /// id [id ...] — never blocks here (as XREAD).
    static func xreadgroup(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let arguments = try StreamReadArguments(argv, group: true)
        guard let group = arguments.group else { throw .xreadgroupMissingGroup }
        let served = try ctx.keyspace.xreadgroup(group.name, group.consumer, arguments.keys, starts: arguments.starts,
                                                 count: arguments.count, noAck: arguments.noAck)
        guard !served.isEmpty else { return .nullArray }
        let streams = served.map { (key: $0.key, entries: Reply.array($0.entries.map(readGroupEntryReply))) }
        if ctx.resp3 { return .map(streams.map { Reply.MapEntry(key: .bulk($0.key), value: $0.entries) }) }
        return .array(streams.map { .array([.bulk($0.key), $0.entries]) })
    }

    /// An entry of XREADGROUP: `[id, pairs]`, or `[id, nil]` for a pending ID whose entry
    /// was deleted.
    static func readGroupEntryReply(_ entry: (id: StreamID, pairs: [(field: ByteString, value: ByteString)]?)) -> Reply {
        guard let pairs = entry.pairs else { return .array([.bulk(entry.id.text), .nullArray]) }
        return StreamEntry(id: entry.id, pairs: pairs).reply
    }

    /// XACK key group id [id ...] — O(1) per ID; a missing key or group answers 0 first.
    static func xack(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let exists = try ctx.keyspace.readStream(argv[1]) { $0?.groups[argv[2]] != nil }
        guard exists else { return .integer(0) }
        var ids: [StreamID] = []
        for argument in argv[3...] { ids.append(try StreamIDArgument.strict(argument)) }
        return .integer(Int64(try ctx.keyspace.xack(argv[1], argv[2], ids)))
    }

    /// XPENDING key group [[IDLE min-idle-time] start end count [consumer]] — O(N) in the
    /// entries returned
    static func xpending(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard argv.count == 3 || (6...9).contains(argv.count) else { throw .syntax }
        guard argv.count >= 6 else {
            let summary = try ctx.keyspace.xpending(argv[1], argv[2])
            guard let lowest = summary.lowest, let highest = summary.highest else {
                return .array([.integer(0), .null, .null, .nullArray])
            }
            return .array([
                .integer(Int64(summary.count)), .bulk(lowest.text), .bulk(highest.text),
                .array(summary.consumers.map { .array([.bulk($0.name), .bulk(ByteString($0.count))]) }),
            ])
        }
        var first = 3
        var minIdle: Int64 = 0
        if argv[3].isOption("IDLE") {
            guard let given = argv[4].int64Value else { throw .notInteger }
            minIdle = given
            guard argv.count >= 8 else { throw .syntax }
            first = 5
        }
        guard let count = argv[first + 2].int64Value else { throw .notInteger }
        var (start, exclusive) = try StreamIDArgument.interval(argv[first], missing: 0)
        if exclusive {
            guard let next = start.successor else { throw .streamInvalidStartInterval }
            start = next
        }
        var end: StreamID
        (end, exclusive) = try StreamIDArgument.interval(argv[first + 1], missing: .max)
        if exclusive {
            guard let previous = end.predecessor else { throw .streamInvalidEndInterval }
            end = previous
        }
        let consumer = first + 3 < argv.count ? argv[first + 3] : nil
        let entries = try ctx.keyspace.xpending(argv[1], argv[2], from: start, to: end, count: Int(max(0, count)),
                                                minIdle: minIdle, consumer: consumer)
        return .array(entries.map { .array([.bulk($0.id.text), .bulk($0.consumer), .integer($0.idle), .integer(Int64(bitPattern: $0.deliveryCount))]) })
    }

    /// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-ms]
    /// [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid] — O(log N) per ID
    ///
    /// As `xclaimCommand`: the key and group, then min-idle-time, then the IDs (up to the
    /// first that does not parse), then the options.
    static func xclaim(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let key = argv[1], group = argv[2]
        let exists = try ctx.keyspace.readStream(key) { $0?.groups[group] != nil }
        guard exists else { throw .noGroup(key: key.string, group: group.string) }
        guard let minIdle = argv[4].int64Value else { throw .xclaimInvalidMinIdle }
        var ids: [StreamID] = []
        var j = 5
        while j < argv.count, let id = try? StreamIDArgument.strict(argv[j]) {
            ids.append(id)
            j += 1
        }
        var options = XClaimOptions()
        while j < argv.count {
            let more = j + 1 < argv.count
            let option = argv[j]
            if option.isOption("FORCE") {
                options.force = true
            } else if option.isOption("JUSTID") {
                options.justID = true
            } else if option.isOption("IDLE") && more {
                j += 1
                guard let idle = argv[j].int64Value else { throw .xclaimInvalidIdle }
                options.deliveryTime = .idle(idle)
            } else if option.isOption("TIME") && more {
                j += 1
                guard let time = argv[j].int64Value else { throw .xclaimInvalidTime }
                options.deliveryTime = .time(time)
            } else if option.isOption("RETRYCOUNT") && more {
                j += 1
                guard let retry = argv[j].int64Value else { throw .xclaimInvalidRetryCount }
                options.retryCount = retry
            } else if option.isOption("LASTID") && more {
                j += 1
                options.lastID = try StreamIDArgument.strict(argv[j])
            } else {
                throw .xclaimUnrecognizedOption(option.string)
            }
            j += 1
        }
        let claimed = try ctx.keyspace.xclaim(key, group, argv[3], minIdle: minIdle, ids, options)
        return .array(claimed.map { $0.entry?.reply ?? .bulk($0.id.text) })
    }

    /// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] — O(1) per
    /// entry examined
    static func xautoclaim(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard let minIdle = argv[4].int64Value else { throw .xautoclaimInvalidMinIdle }
        var (start, exclusive) = try StreamIDArgument.interval(argv[5], missing: 0)
        if exclusive {
            guard let next = start.successor else { throw .streamInvalidStartInterval }
            start = next
        }
        var count = 100
        var justID = false
        var j = 6
        while j < argv.count {
            if argv[j].isOption("COUNT") && j + 1 < argv.count {
                guard let given = argv[j + 1].int64Value, given >= 1, given <= Int64.max / 16 else { throw .xautoclaimCountNotPositive }
                count = Int(given)
                j += 1
            } else if argv[j].isOption("JUSTID") {
                justID = true
            } else {
                throw .syntax
            }
            j += 1
        }
        let result = try ctx.keyspace.xautoclaim(argv[1], argv[2], argv[3], minIdle: minIdle, start: start, count: count, justID: justID)
        return .array([
            .bulk(result.next.text),
            .array(result.claimed.map { $0.entry?.reply ?? .bulk($0.id.text) }),
            .array(result.deleted.map { .bulk($0.text) }),
        ])
    }
}
