import LuaStoreCore

/// COMMAND and its subcommands (Redis's server.c), answered from the command table: the
/// same rows that run the commands give their arity, flags, key positions, ACL categories,
/// tips, key specs and subcommands. Replies are built in their RESP3 shape (sets and maps)
/// and written for RESP2 callers as Redis writes them (flat arrays).
enum IntrospectionFamily {
    static let commands: [CommandSpec] = [
        CommandSpec(container: "command", arity: -1, flags: [.loading, .stale], acl: [.connection], tips: ["nondeterministic_output_order"], subcommands: [
            CommandSpec("command|count", arity: 2, flags: [.loading, .stale], acl: [.connection], handler: count),
            CommandSpec("command|list", arity: -2, flags: [.loading, .stale], acl: [.connection], tips: ["nondeterministic_output_order"], handler: list),
            CommandSpec("command|info", arity: -2, flags: [.loading, .stale], acl: [.connection], tips: ["nondeterministic_output_order"], handler: info),
            CommandSpec("command|docs", arity: -2, flags: [.loading, .stale], acl: [.connection], tips: ["nondeterministic_output_order"], handler: docs),
            CommandSpec("command|getkeys", arity: -4, flags: [.loading, .stale], acl: [.connection], handler: { ctx, argv throws(StoreError) in
                try getKeys(ctx, argv, withFlags: false) }),
            CommandSpec("command|getkeysandflags", arity: -4, flags: [.loading, .stale], acl: [.connection], handler: { ctx, argv throws(StoreError) in
                try getKeys(ctx, argv, withFlags: true) }),
            CommandSpec("command|help", arity: 2, flags: [.loading, .stale], acl: [.connection], handler: { _, _ throws(StoreError) in
                .array(help.map { .status($0) }) }),
        ], handler: info),
    ]

    /// COMMAND COUNT — O(1): LuaStore's commands (not Redis's: LuaStore has fewer).
    static func count(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        .integer(Int64(ctx.core.commands.ordered.count))
    }

    /// COMMAND and COMMAND INFO [command-name ...] — O(N) commands: each command's info,
    /// nil for a name that is not a command (`container|subcommand` names a subcommand).
    static func info(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let table = ctx.core.commands
        let infos: [Reply] = argv.count <= 2
            ? table.ordered.map(infoReply)
            : argv[2...].map { table.lookup(fullName: $0).map(infoReply) ?? .null }
        return shaped(.array(infos), ctx)
    }

    /// COMMAND DOCS [command-name ...] — O(N) commands: a map of name to documentation;
    /// names that are not commands are left out.
    static func docs(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let table = ctx.core.commands
        let specs: [CommandSpec] = argv.count <= 2 ? table.ordered : argv[2...].compactMap { table.lookup(fullName: $0) }
        return shaped(.map(specs.map { Reply.MapEntry(key: .bulk(ByteString($0.name)), value: docsReply($0)) }), ctx)
    }

    /// COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern] —
    /// O(N) commands: the names of the commands and their subcommands that pass the filter.
    /// LuaStore has no modules, so a MODULE filter lists nothing; an unknown category
    /// neither.
    static func list(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        enum Filter { case module, category(ACLCategories?), pattern(ByteString) }
        var filter: Filter? = nil
        var i = 2
        while i < argv.count {
            guard argv[i].isOption("FILTERBY"), argv.count - 1 - i == 2 else { throw .syntax }
            let kind = argv[i + 1], value = argv[i + 2]
            if kind.isOption("MODULE") {
                filter = .module
            } else if kind.isOption("ACLCAT") {
                filter = .category(ACLCategories(name: value))
            } else if kind.isOption("PATTERN") {
                filter = .pattern(value)
            } else {
                throw .syntax
            }
            i += 3
        }
        func passes(_ spec: CommandSpec) -> Bool {
            switch filter {
            case nil: return true
            case .module?: return false
            case .category(let category)?:
                guard let category else { return false }
                return !spec.aclCategories.isDisjoint(with: category)
            case .pattern(let pattern)?:
                return GlobPattern.matches(pattern, ByteString(spec.name), ignoreCase: true)
            }
        }
        var names: [Reply] = []
        for spec in ctx.core.commands.ordered {
            if passes(spec) { names.append(.bulk(ByteString(spec.name))) }
            for sub in spec.subcommands ?? [] where passes(sub) { names.append(.bulk(ByteString(sub.name))) }
        }
        return .array(names)
    }

    /// COMMAND GETKEYS command [arg ...] / COMMAND GETKEYSANDFLAGS — O(N) arguments: the
    /// keys the command would touch, found by the same key specs that guard scripts and
    /// transactions, with Redis's errors (`getKeysSubcommandImpl`).
    static func getKeys(_ ctx: borrowing CommandContext, _ argv: [ByteString], withFlags: Bool) throws(StoreError) -> Reply {
        let target = Array(argv[2...])
        guard let base = ctx.core.commands.lookup(target[0]), let spec = base.resolved(target) else {
            throw .getKeysInvalidCommand
        }
        guard spec.hasKeys else { throw .getKeysNoKeyArguments }
        guard spec.acceptsArgumentCount(target.count) else { throw .getKeysInvalidArgumentCount }
        let found = spec.keyPositions(in: target) ?? []
        if found.isEmpty && !spec.flags.contains(.noMandatoryKeys) { throw .getKeysInvalidArguments }
        let reply = Reply.array(found.map { key in
            withFlags ? .array([.bulk(target[key.position]), .set(key.flags.names.map { .status($0) })]) : .bulk(target[key.position])
        })
        return shaped(reply, ctx)
    }

    // MARK: Reply shapes

    /// `addReplyCommandInfo`: name, arity, flags, first key, last key, step, ACL
    /// categories, tips, key specs, subcommands.
    static func infoReply(_ spec: CommandSpec) -> Reply {
        let range = spec.legacyRange
        return .array([
            .bulk(ByteString(spec.name)),
            .integer(Int64(spec.arity)),
            .set(spec.flags.names.map { .status($0) }),
            .integer(Int64(range.firstKey)),
            .integer(Int64(range.lastKey)),
            .integer(Int64(range.step)),
            .set(spec.aclCategories.names.map { .status($0) }),
            .set(spec.tips.map { .bulk(ByteString($0)) }),
            .set(spec.keySpecs.map(keySpecReply)),
            spec.subcommands.map { .array($0.map(infoReply)) } ?? .set([]),
        ])
    }

    /// `addReplyCommandKeySpecs`, one spec.
    static func keySpecReply(_ spec: KeySpec) -> Reply {
        func map(_ pairs: [(String, Reply)]) -> Reply {
            .map(pairs.map { Reply.MapEntry(key: .bulk(ByteString($0.0)), value: $0.1) })
        }
        var pairs: [(String, Reply)] = []
        if let notes = spec.notes { pairs.append(("notes", .bulk(ByteString(notes)))) }
        pairs.append(("flags", .set(spec.flags.names.map { .status($0) })))
        if let keyword = spec.keyword {
            pairs.append(("begin_search", map([("type", .bulk("keyword")), ("spec", map([
                ("keyword", .bulk(ByteString(keyword))), ("startfrom", .integer(Int64(spec.index))),
            ]))])))
        } else if case .unknown = spec.findKeys {
            pairs.append(("begin_search", map([("type", .bulk("unknown")), ("spec", map([]))])))
        } else {
            pairs.append(("begin_search", map([("type", .bulk("index")), ("spec", map([("index", .integer(Int64(spec.index)))]))])))
        }
        switch spec.findKeys {
        case .unknown:
            pairs.append(("find_keys", map([("type", .bulk("unknown")), ("spec", map([]))])))
        case .range(let lastKey, let keyStep, let limit):
            pairs.append(("find_keys", map([("type", .bulk("range")), ("spec", map([
                ("lastkey", .integer(Int64(lastKey))), ("keystep", .integer(Int64(keyStep))), ("limit", .integer(Int64(limit))),
            ]))])))
        case .keynum(let keyNumIndex, let firstKey, let keyStep):
            pairs.append(("find_keys", map([("type", .bulk("keynum")), ("spec", map([
                ("keynumidx", .integer(Int64(keyNumIndex))), ("firstkey", .integer(Int64(firstKey))), ("keystep", .integer(Int64(keyStep))),
            ]))])))
        }
        return map(pairs)
    }

    /// `addReplyCommandDocs`, without the argument descriptions (Compatibility.md).
    static func docsReply(_ spec: CommandSpec) -> Reply {
        var pairs: [(String, Reply)] = []
        let doc = CommandDoc.all[spec.name]
        if let doc {
            pairs.append(("summary", .bulk(ByteString(doc.summary))))
            pairs.append(("since", .bulk(ByteString(doc.since))))
        }
        pairs.append(("group", .bulk(ByteString(doc?.group ?? "generic"))))
        if let doc {
            if let complexity = doc.complexity { pairs.append(("complexity", .bulk(ByteString(complexity)))) }
            if let deprecatedSince = doc.deprecatedSince {
                pairs.append(("doc_flags", .set([.status("deprecated")])))
                pairs.append(("deprecated_since", .bulk(ByteString(deprecatedSince))))
            }
            if let replacedBy = doc.replacedBy { pairs.append(("replaced_by", .bulk(ByteString(replacedBy)))) }
            if !doc.history.isEmpty {
                pairs.append(("history", .set(doc.history.map { .array([.bulk(ByteString($0.0)), .bulk(ByteString($0.1))]) })))
            }
        }
        if let subcommands = spec.subcommands {
            pairs.append(("subcommands", .map(subcommands.map { Reply.MapEntry(key: .bulk(ByteString($0.name)), value: docsReply($0)) })))
        }
        return .map(pairs.map { Reply.MapEntry(key: .bulk(ByteString($0.0)), value: $0.1) })
    }

    /// The reply for the caller's protocol.
    static func shaped(_ reply: Reply, _ ctx: borrowing CommandContext) -> Reply {
        ctx.resp3 ? reply : reply.downgradedToRESP2()
    }

    static let help = [
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        "HELP",
        "    Prints this help.",
    ]
}
