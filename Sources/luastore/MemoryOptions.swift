import ArgumentParser
import LuaStore
import LuaStoreCore

/// The memory bound switches `luastore cli` and `luastore benchmark` share, spelled after
/// redis-server's `--maxmemory` and `--maxmemory-policy`.
///
/// # Thread safety
/// A value type: safe to share.
struct MemoryOptions: ParsableArguments {
    @Option(name: .customLong("maxmemory"), help: ArgumentHelp("The memory bound in Redis's units (100mb, 2gb, plain bytes; 0: none).", valueName: "bytes"))
    var maxMemory: String?

    @Option(name: .customLong("maxmemory-policy"), help: ArgumentHelp("What to evict at the bound: noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-tinylfu.", valueName: "policy"))
    var policy: String?

    /// Applies the switches to `store` as CONFIG SET would; a value CONFIG SET refuses is
    /// a usage error with its message.
    func apply(to store: LuaStore) throws {
        var argv: [ByteString] = ["CONFIG", "SET"]
        if let maxMemory { argv += ["maxmemory", ByteString(maxMemory)] }
        if let policy { argv += ["maxmemory-policy", ByteString(policy)] }
        guard argv.count > 2 else { return }
        if case .error(let message) = store.execute(argv) { throw ValidationError(message) }
    }
}
