import LuaStoreCore
import LuaStoreScripting

/// EVAL, EVALSHA, FCALL and their read-only forms, SCRIPT and FUNCTION.
///
/// The engine parses the invocation (script, keys, flags); this family takes the locks
/// that the flags call for, runs the script with a ``ScriptRun`` host, and releases the
/// locks however the script ends.
enum ScriptFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("eval", arity: -3, flags: [.noScript], keysOf: evalKeys, handler: invoke),
        CommandSpec("evalsha", arity: -3, flags: [.noScript], keysOf: evalKeys, handler: invoke),
        CommandSpec("eval_ro", arity: -3, flags: [.noScript, .readonly], keysOf: evalKeys, handler: invoke),
        CommandSpec("evalsha_ro", arity: -3, flags: [.noScript, .readonly], keysOf: evalKeys, handler: invoke),
        CommandSpec("fcall", arity: -3, flags: [.noScript], keysOf: evalKeys, handler: invoke),
        CommandSpec("fcall_ro", arity: -3, flags: [.noScript, .readonly], keysOf: evalKeys, handler: invoke),
        CommandSpec("script", arity: -2, flags: [.noScript], handler: admin),
        CommandSpec("function", arity: -2, flags: [.noScript], handler: admin),
    ]

    /// The keys of `EVAL script numkeys key ... arg ...` (empty when numkeys is invalid:
    /// the handler reports that).
    @Sendable static func evalKeys(_ argv: [ByteString]) -> [ByteString] {
        guard argv.count >= 3, let n = argv[2].int64Value, n >= 0, n <= Int64(argv.count - 3) else { return [] }
        return Array(argv[3..<(3 + Int(n))])
    }

    /// EVAL script numkeys [key ...] [arg ...] — and EVALSHA, EVAL_RO, EVALSHA_RO, FCALL,
    /// FCALL_RO. O(script).
    static func invoke(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let invocation = try ScriptInvocation.parse(argv, engine: ctx.core.scripts).get()
        return ctx.core.runScript(invocation, owner: ctx.owner)
    }

    /// SCRIPT LOAD|EXISTS|FLUSH|KILL and FUNCTION LOAD|LIST|DELETE|FLUSH|KILL.
    static func admin(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        ctx.core.scripts.executeAdmin(argv)
    }
}

extension StoreCore {
    /// Runs a parsed invocation under the locks its flags call for.
    func runScript(_ invocation: ScriptInvocation, owner callerOwner: Owner, cancellation: ScriptCancellation? = nil) -> Reply {
        let flags = invocation.flags
        let readOnly = flags.contains(.noWrites) || invocation.isReadOnlyCommand
        let undeclaredAllowed = flags.contains(.allowUndeclaredKeys)
        let declared: [ByteString]? = undeclaredAllowed ? nil : invocation.keys
        if callerOwner != .none || flags.contains(.disableAtomicity) {
            // Non-atomic: each call runs as the caller. Inside a transaction the caller's
            // locks already cover the declared keys (CommandScope checked them), and
            // releasing ours would release its; a script that may reach undeclared keys
            // gets its lookups checked against the lock table.
            let owner = undeclaredAllowed ? callerOwner.checked : callerOwner
            let run = ScriptRun(core: self, owner: owner, declared: declared, readOnly: readOnly)
            return scripts.execute(invocation, host: run, cancellation: cancellation)
        }
        let owner = OwnerIDs.make()
        var request = Keyspace.LockRequest()
        if undeclaredAllowed {
            request.wholeStore = true
        } else {
            request.keys = invocation.keys
            request.exclusive = Array(repeating: !readOnly, count: invocation.keys.count)
        }
        let held = keyspace.acquire(request, owner: owner)
        defer { keyspace.release(held) }
        let run = ScriptRun(core: self, owner: owner, declared: declared, readOnly: readOnly)
        return scripts.execute(invocation, host: run, cancellation: cancellation)
    }
}
