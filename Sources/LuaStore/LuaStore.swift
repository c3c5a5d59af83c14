@_exported import LuaStoreCore
@_exported import LuaStoreScripting

/// An in-process, Redis-compatible datastore.
///
/// Create one with a ``Configuration``, then either call the typed API
/// (`store.set("k", "v")`, `store.incr("n")`, ...) or run any command as argv with
/// `execute(_:)`, which answers exactly as redis-server 7 does.
///
/// ```swift
/// let store = LuaStore()
/// try store.set("greeting", "hello")
/// store.execute(["APPEND", "greeting", " world"])   // .integer(11)
/// ```
///
/// # Thread safety
/// Thread-safe: call it from any number of threads at once. The keyspace is split into
/// shards, each behind its own mutex held for one operation; there is no global lock.
/// Transactions and atomic scripts lock only the keys they declare.
public final class LuaStore: Sendable {
    let core: StoreCore
    /// Where the typed API (``KeyValueCommands``) runs: any key, no transaction.
    @_spi(LuaStoreInternals)
    public let commandScope: CommandScope

    /// A store with `configuration`.
    public init(configuration: Configuration = .init()) {
        core = StoreCore(configuration: configuration)
        commandScope = CommandScope(core: core)
    }

    /// The configuration the store was made with.
    public var configuration: Configuration { core.configuration }

    /// Runs one command, given as argv (`["SET", "k", "v"]`), and returns redis-server's
    /// reply for it. Errors are `Reply.error(_:)` replies with Redis's texts; nothing
    /// throws or traps.
    @discardableResult
    public func execute(_ argv: [ByteString]) -> Reply {
        core.execute(argv)
    }

    /// ``execute(_:)`` with text arguments (UTF-8).
    @discardableResult
    public func execute(_ argv: [String]) -> Reply {
        core.execute(argv.map { ByteString($0) })
    }

    /// Runs one command for a caller speaking `protocolVersion`, as redis-server answers a
    /// client after `HELLO 2` or `HELLO 3`. `execute(_:)` is the RESP2 form; RESP3 callers
    /// get doubles (ZSCORE), maps (HGETALL, COMMAND DOCS), sets (SMEMBERS), nested
    /// member/score pairs (ZRANGE ... WITHSCORES) and a script's RESP3 replies as they are.
    @discardableResult
    public func execute(_ argv: [ByteString], protocol protocolVersion: RESPVersion) -> Reply {
        core.execute(argv, protocolVersion: protocolVersion)
    }

    /// ``execute(_:protocol:)`` with text arguments (UTF-8).
    @discardableResult
    public func execute(_ argv: [String], protocol protocolVersion: RESPVersion) -> Reply {
        core.execute(argv.map { ByteString($0) }, protocolVersion: protocolVersion)
    }

    /// Deletes every key whose deadline has passed (active expiry on demand). Returns how
    /// many were deleted. Expired keys are never visible even before this runs.
    @discardableResult
    public func purgeExpired() -> Int {
        var total = 0
        for shard in core.keyspace.shards {
            total += shard.withState { s in s.expireAll() }
        }
        return total
    }
}
