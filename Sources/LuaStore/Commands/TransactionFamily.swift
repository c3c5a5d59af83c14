import LuaStoreCore

/// MULTI, EXEC, DISCARD, WATCH, UNWATCH and HELLO: the commands whose state belongs to one
/// caller. A ``Session`` answers them before the table is consulted, in Session.swift; the
/// rows here give COMMAND INFO / DOCS / GETKEYS Redis's data for them, and their
/// handlers answer the callers that have no session (`store.execute`, `redis.call`, which
/// refuses them anyway as `noscript`) with ``StoreError/needsSession(command:)``.
enum TransactionFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("multi", arity: 1, flags: [.noScript, .loading, .stale, .fast, .allowBusy], acl: [.transaction], handler: needsSession),
        CommandSpec("exec", arity: 1, flags: [.noScript, .loading, .stale, .skipSlowlog], acl: [.transaction], handler: needsSession),
        CommandSpec("discard", arity: 1, flags: [.noScript, .loading, .stale, .fast, .allowBusy], acl: [.transaction], handler: needsSession),
        CommandSpec("watch", arity: -2, flags: [.noScript, .loading, .stale, .fast, .allowBusy], acl: [.transaction], keys: [.range(1, last: -1, [.RO])], handler: needsSession),
        CommandSpec("unwatch", arity: 1, flags: [.noScript, .loading, .stale, .fast, .allowBusy], acl: [.transaction], handler: needsSession),
        CommandSpec("hello", arity: -1, flags: [.noScript, .loading, .stale, .fast, .noAuth, .allowBusy], acl: [.connection], handler: needsSession),
    ]

    /// The answer without a session: these commands keep per-caller state.
    static func needsSession(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        throw .needsSession(command: argv[0].string.uppercased())
    }
}
