import LuaStoreCore

/// Connection-level and server commands that make sense in-process.
enum ServerFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("ping", arity: -1, flags: [.fast], acl: [.connection], tips: ["request_policy:all_shards", "response_policy:all_succeeded"], handler: ping),
        CommandSpec("echo", arity: 2, flags: [.loading, .stale, .fast], acl: [.connection], handler: { _, argv throws(StoreError) in .bulk(argv[1]) }),
        CommandSpec("time", arity: 1, flags: [.loading, .stale, .fast], tips: ["nondeterministic_output"], handler: time),
    ]

    /// PING [message] — O(1)
    static func ping(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        switch argv.count {
        case 1: return .status("PONG")
        case 2: return .bulk(argv[1])
        default: throw .wrongArity(command: "ping")
        }
    }

    /// TIME — O(1): the store clock as [unix seconds, microseconds].
    static func time(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let us = ctx.keyspace.clock.nowMicroseconds()
        return .array([.bulk(ByteString(String(us / 1_000_000))), .bulk(ByteString(String(us % 1_000_000)))])
    }
}
