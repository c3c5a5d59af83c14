import LuaStoreCore

/// CONFIG GET | SET | RESETSTAT | REWRITE | HELP (Redis's config.c) over the parameters an
/// in-process store has: the memory bound, eviction and keyspace notification settings
/// (``LuaStore/Settings``) and the script time limit. Other Redis parameters are unknown here: CONFIG GET skips
/// them, CONFIG SET refuses them.
enum ConfigFamily {
    static let config = CommandSpec(container: "config", arity: -2, subcommands: [
        CommandSpec("config|get", arity: -3, flags: [.admin, .noScript, .loading, .stale], handler: get),
        CommandSpec("config|set", arity: -4, flags: [.admin, .noScript, .loading, .stale],
                    tips: ["request_policy:all_nodes", "response_policy:all_succeeded"], handler: set),
        CommandSpec("config|resetstat", arity: 2, flags: [.admin, .noScript, .loading, .stale], handler: { ctx, _ throws(StoreError) in
            ctx.core.resetStatistics()
            return .status("OK") }),
        CommandSpec("config|rewrite", arity: 2, flags: [.admin, .noScript, .loading, .stale], handler: { _, _ throws(StoreError) in
            throw .noConfigFile }),
        CommandSpec("config|help", arity: 2, flags: [.loading, .stale], handler: { _, _ throws(StoreError) in
            .array(help.map { .status($0) }) }),
    ])

    /// What CONFIG SET changes: the settings and the script time limit, applied together.
    struct Values {
        var settings: LuaStore.Settings
        var timeLimit: Duration?
    }

    /// One parameter: its name, how CONFIG GET prints it and how CONFIG SET parses it.
    struct Parameter: Sendable {
        let name: String
        let get: @Sendable (Values) -> ByteString
        let set: @Sendable (inout Values, ByteString) throws(StoreError) -> Void
    }

    static let parameters: [Parameter] = [
        Parameter(name: "maxmemory", get: { ByteString(String($0.settings.maxMemory)) }) { values, text throws(StoreError) in
            guard let bytes = MemoryAmount.parse(text) else {
                throw .configSetFailed(parameter: "maxmemory", reason: "argument must be a memory value")
            }
            values.settings.maxMemory = bytes
        },
        Parameter(name: "maxmemory-policy", get: { ByteString($0.settings.evictionPolicy.rawValue) }) { values, text throws(StoreError) in
            guard let policy = EvictionPolicy(configName: text) else {
                let names = EvictionPolicy.listed.map(\.rawValue).joined(separator: ", ")
                throw .configSetFailed(parameter: "maxmemory-policy", reason: "argument(s) must be one of the following: \(names)")
            }
            values.settings.evictionPolicy = policy
        },
        integer("maxmemory-samples", minimum: 1, \.settings.maxMemorySamples),
        integer("lfu-log-factor", minimum: 0, \.settings.lfuLogFactor),
        integer("lfu-decay-time", minimum: 0, \.settings.lfuDecayTime),
        Parameter(name: "notify-keyspace-events", get: { ByteString($0.settings.keyspaceEvents.letters) }) { values, text throws(StoreError) in
            guard let flags = KeyspaceEventFlags(letters: text.string) else {
                throw .configSetFailed(parameter: "notify-keyspace-events", reason: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
            }
            values.settings.keyspaceEvents = flags
        },
        // Redis's alias is a parameter of its own to CONFIG GET and SET.
        timeLimit("busy-reply-threshold"),
        timeLimit("lua-time-limit"),
    ]

    /// An `int` parameter from `minimum` to 2^31 - 1.
    private static func integer(_ name: String, minimum: Int, _ path: WritableKeyPath<Values, Int> & Sendable) -> Parameter {
        Parameter(name: name, get: { ByteString(String($0[keyPath: path])) }) { values, text throws(StoreError) in
            let value = try parseInteger(text, name)
            try LuaStore.Settings.check(Int(clamping: value), minimum, name)
            values[keyPath: path] = Int(value)
        }
    }

    /// `busy-reply-threshold` (`lua-time-limit`): milliseconds; 0 is no limit.
    private static func timeLimit(_ name: String) -> Parameter {
        Parameter(name: name, get: { values in
            guard let limit = values.timeLimit else { return "0" }
            let (seconds, attoseconds) = limit.components
            return ByteString(String(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        }) { values, text throws(StoreError) in
            let ms = try parseInteger(text, name)
            try LuaStore.Settings.check(Int(clamping: ms), 0, name, maximum: Int.max)
            values.timeLimit = ms == 0 ? nil : .milliseconds(ms)
        }
    }

    private static func parseInteger(_ text: ByteString, _ name: String) throws(StoreError) -> Int64 {
        guard let value = text.int64Value else {
            throw .configSetFailed(parameter: name, reason: "argument couldn't be parsed into an integer")
        }
        return value
    }

    static func parameter(named name: ByteString) -> Parameter? {
        let lowered = name.asciiLowercased()
        return parameters.first { ByteString($0.name) == lowered }
    }

    static func values(_ core: StoreCore) -> Values {
        Values(settings: core.settings.current, timeLimit: core.scripts.currentTimeLimit)
    }

    /// CONFIG GET parameter [parameter ...] — O(N) parameters: name/value pairs (a map in
    /// RESP3) for every parameter matching a pattern in any letter case (a name without
    /// wildcards is printed as given).
    static func get(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let current = values(ctx.core)
        var matched: [(name: ByteString, parameter: Parameter)] = []
        func seen(_ name: ByteString) -> Bool {
            matched.contains { $0.name.asciiLowercased() == name.asciiLowercased() }
        }
        for pattern in argv[2...] {
            let isPattern = pattern.bytes.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
            if !isPattern {
                if !seen(pattern), let parameter = parameter(named: pattern) { matched.append((pattern, parameter)) }
                continue
            }
            for parameter in parameters {
                let name = ByteString(parameter.name)
                if !seen(name) && GlobPattern.matches(pattern, name, ignoreCase: true) { matched.append((name, parameter)) }
            }
        }
        let pairs = matched.map { Reply.MapEntry(key: .bulk($0.name), value: .bulk($0.parameter.get(current))) }
        return ctx.protocolVersion == .resp3 ? .map(pairs) : .array(pairs.flatMap { [$0.key, $0.value] })
    }

    /// CONFIG SET parameter value [parameter value ...] — O(N) parameters: all of them or
    /// none. Unknown names are reported first, then a parameter named twice, then the first
    /// value its parameter refuses.
    static func set(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard argv.count % 2 == 0 else { throw .syntax }
        var chosen: [(Parameter, ByteString)] = []
        var unknown: ByteString?
        var duplicate: ByteString?
        for i in stride(from: 2, to: argv.count, by: 2) {
            guard let parameter = parameter(named: argv[i]) else {
                if unknown == nil { unknown = argv[i] }
                continue
            }
            if duplicate == nil && chosen.contains(where: { $0.0.name == parameter.name }) { duplicate = argv[i] }
            chosen.append((parameter, argv[i + 1]))
        }
        if let unknown { throw .unknownConfigOption(unknown.string) }
        if let duplicate { throw .configSetFailed(parameter: duplicate.string, reason: "duplicate parameter") }
        let core = ctx.core
        // Under the settings mutex, so concurrent CONFIG SETs apply one after the other;
        // every value is parsed and checked before anything changes.
        try core.settings.update { (settings: inout LuaStore.Settings) throws(StoreError) in
            var next = Values(settings: settings, timeLimit: core.scripts.currentTimeLimit)
            for (parameter, text) in chosen { try parameter.set(&next, text) }
            try next.settings.validate()
            settings = next.settings
            core.scripts.setTimeLimit(next.timeLimit)
        }
        return .status("OK")
    }

    static let help = [
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    ]
}
