import LuaStoreCore
import Foundation

/// INFO and MEMORY: the store's memory, statistics and keyspace in Redis's field names
/// and layout (``LuaStore/Info`` is the typed form).
enum InfoFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("info", arity: -1, flags: [.loading, .stale], acl: [.dangerous], tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"], handler: info),
        CommandSpec(container: "memory", arity: -2, subcommands: [
            CommandSpec("memory|usage", arity: -3, flags: [.readonly], keys: [.range(2, [.RO])], handler: usage),
            CommandSpec("memory|stats", arity: 2, flags: [], tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"], handler: stats),
            CommandSpec("memory|help", arity: 2, flags: [.loading, .stale], handler: { _, _ throws(StoreError) in
                .array(help.map { .status($0) }) }),
        ]),
    ]

    /// The sections LuaStore prints, in Redis's order; `default`, `all` and `everything`
    /// select them all.
    static let sections = ["server", "memory", "stats", "keyspace"]

    /// INFO [section ...] — O(keys with a TTL): the named sections (any letter case),
    /// each a `# Title` line and `field:value` lines, separated by a blank line. An
    /// unknown section adds nothing.
    static func info(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var wanted = Set<String>()
        for name in argv.dropFirst().map({ $0.asciiLowercased().string }) {
            if name == "default" || name == "all" || name == "everything" { wanted.formUnion(sections) } else { wanted.insert(name) }
        }
        if argv.count == 1 { wanted.formUnion(sections) }
        let core = ctx.core
        let snapshot = core.info()
        let text = sections.filter { wanted.contains($0) }
            .map { section($0, snapshot, core) }
            .joined(separator: "\r\n")
        return ctx.protocolVersion == .resp3 ? .verbatim(format: "txt", text: text) : .bulk(ByteString(text))
    }

    static func section(_ name: String, _ info: LuaStore.Info, _ core: StoreCore) -> String {
        var fields: [(String, String)] = []
        let title: String
        switch name {
        case "server":
            title = "Server"
            fields = [("redis_version", core.scripts.configuration.redisVersion), ("redis_mode", "standalone"),
                      ("arch_bits", String(MemoryLayout<Int>.size * 8)),
                      ("process_id", String(ProcessInfo.processInfo.processIdentifier)), ("hz", "10"),
                      ("lru_clock", String(AccessRecord.lruClock(core.keyspace.clock.nowMilliseconds())))]
        case "memory":
            title = "Memory"
            let m = info.memory
            fields = [("used_memory", String(m.used)), ("used_memory_human", human(m.used)),
                      ("used_memory_rss", String(m.rss)), ("used_memory_rss_human", human(m.rss)),
                      ("used_memory_peak", String(m.peak)), ("used_memory_peak_human", human(m.peak)),
                      ("used_memory_lua", String(m.lua)), ("used_memory_vm_eval", String(m.lua)),
                      ("used_memory_lua_human", human(m.lua)),
                      ("maxmemory", String(m.maxMemory)), ("maxmemory_human", human(Int(clamping: m.maxMemory))),
                      ("maxmemory_policy", m.policy.rawValue)]
        case "stats":
            title = "Stats"
            let s = info.stats
            fields = [("expired_keys", String(s.expiredKeys)), ("evicted_keys", String(s.evictedKeys)),
                      ("keyspace_hits", String(s.keyspaceHits)), ("keyspace_misses", String(s.keyspaceMisses))]
        default:
            title = "Keyspace"
            let k = info.keyspace
            if k.keys > 0 { fields = [("db0", "keys=\(k.keys),expires=\(k.expires),avg_ttl=\(k.averageTTL)")] }
        }
        return "# \(title)\r\n" + fields.map { "\($0.0):\($0.1)\r\n" }.joined()
    }

    /// Redis's `bytesToHuman`: bytes below 1 KiB, then K, M, G, T, P with two decimals.
    static func human(_ bytes: Int) -> String {
        let units = ["K", "M", "G", "T", "P"]
        guard bytes >= 1024 else { return "\(bytes)B" }
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.2f%@", value, units[unit])
    }

    /// MEMORY USAGE key [SAMPLES count] — O(1): the bytes the key accounts for (its
    /// collection measured whole; SAMPLES is accepted and needs none), nil if missing.
    static func usage(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var i = 3
        while i < argv.count {
            guard argv[i].asciiLowercased() == "samples", i + 1 < argv.count else { throw .syntax }
            guard let samples = argv[i + 1].int64Value else { throw .notInteger }
            if samples < 0 { throw .syntax }
            i += 2
        }
        return ctx.keyspace.memoryUsage(argv[2]).map { .integer(Int64($0)) } ?? .null
    }

    /// MEMORY STATS — O(keys with a TTL): a subset of Redis's fields, as a map.
    static func stats(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let info = ctx.core.info()
        let entries: [(String, Int)] = [
            ("peak.allocated", info.memory.peak), ("total.allocated", info.memory.used),
            ("lua.caches", info.memory.lua), ("keys.count", info.keyspace.keys),
            ("keys.bytes-per-key", info.keyspace.keys == 0 ? 0 : info.memory.used / info.keyspace.keys),
        ]
        let pairs = entries.map { Reply.MapEntry(key: .bulk(ByteString($0.0)), value: .integer(Int64($0.1))) }
        return ctx.protocolVersion == .resp3 ? .map(pairs) : .array(pairs.flatMap { [$0.key, $0.value] })
    }

    static let help = [
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
    ]
}
