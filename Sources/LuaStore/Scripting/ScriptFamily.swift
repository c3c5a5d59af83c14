import LuaStoreCore
import LuaStoreScripting

/// EVAL, EVALSHA, FCALL and their read-only forms, SCRIPT and FUNCTION.
///
/// The engine parses the invocation (script, keys, flags); this family takes the locks
/// that the flags call for, runs the script with a ``ScriptRun`` host, and releases the
/// locks however the script ends.
enum ScriptFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("eval", arity: -3, flags: [.noScript, .stale, .skipMonitor, .noMandatoryKeys], acl: [.scripting], keys: [.keynum(2, [.RW, .access, .update], notes: "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE")], handler: invoke),
        CommandSpec("evalsha", arity: -3, flags: [.noScript, .stale, .skipMonitor, .noMandatoryKeys], acl: [.scripting], keys: [.keynum(2, [.RW, .access, .update])], handler: invoke),
        CommandSpec("eval_ro", arity: -3, flags: [.readonly, .noScript, .stale, .skipMonitor, .noMandatoryKeys], acl: [.scripting], keys: [.keynum(2, [.RO, .access], notes: "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS")], handler: invoke),
        CommandSpec("evalsha_ro", arity: -3, flags: [.readonly, .noScript, .stale, .skipMonitor, .noMandatoryKeys], acl: [.scripting], keys: [.keynum(2, [.RO, .access])], handler: invoke),
        CommandSpec("fcall", arity: -3, flags: [.noScript, .stale, .skipMonitor, .noMandatoryKeys], acl: [.scripting], keys: [.keynum(2, [.RW, .access, .update], notes: "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE")], handler: invoke),
        CommandSpec("fcall_ro", arity: -3, flags: [.readonly, .noScript, .stale, .skipMonitor, .noMandatoryKeys], acl: [.scripting], keys: [.keynum(2, [.RO, .access], notes: "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS")], handler: invoke),
        CommandSpec(container: "script", arity: -2, subcommands: [
            CommandSpec("script|load", arity: 3, flags: [.noScript, .stale], acl: [.scripting], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"], handler: admin),
            CommandSpec("script|exists", arity: -3, flags: [.noScript], acl: [.scripting], tips: ["request_policy:all_shards", "response_policy:agg_logical_and"], handler: admin),
            CommandSpec("script|flush", arity: -2, flags: [.noScript], acl: [.scripting], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"], handler: admin),
            CommandSpec("script|kill", arity: 2, flags: [.noScript, .allowBusy], acl: [.scripting], tips: ["request_policy:all_shards", "response_policy:one_succeeded"], handler: admin),
        ]),
        CommandSpec(container: "function", arity: -2, subcommands: [
            CommandSpec("function|load", arity: -3, flags: [.write, .denyOOM, .noScript], acl: [.scripting], tips: ["request_policy:all_shards", "response_policy:all_succeeded"], handler: admin),
            CommandSpec("function|list", arity: -2, flags: [.noScript], acl: [.scripting], tips: ["nondeterministic_output_order"], handler: admin),
            CommandSpec("function|delete", arity: 3, flags: [.write, .noScript], acl: [.scripting], tips: ["request_policy:all_shards", "response_policy:all_succeeded"], handler: admin),
            CommandSpec("function|flush", arity: -2, flags: [.write, .noScript], acl: [.scripting], tips: ["request_policy:all_shards", "response_policy:all_succeeded"], handler: admin),
            CommandSpec("function|kill", arity: 2, flags: [.noScript, .allowBusy], acl: [.scripting], tips: ["request_policy:all_shards", "response_policy:one_succeeded"], handler: admin),
        ]),
    ]

    /// EVAL script numkeys [key ...] [arg ...] — and EVALSHA, EVAL_RO, EVALSHA_RO, FCALL,
    /// FCALL_RO. O(script).
    ///
    /// The script's reply keeps the RESP3 kinds its Lua value made (`{double=...}`,
    /// `{map=...}`, booleans after `redis.setresp(3)`...) for a RESP3 caller; a RESP2
    /// caller gets them as Redis writes them to RESP2 clients (``Reply/downgradedToRESP2()``).
    static func invoke(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let invocation = try ScriptInvocation.parse(argv, engine: ctx.core.scripts).get()
        let reply = ctx.core.runScript(invocation, owner: ctx.owner)
        return ctx.resp3 ? reply : reply.downgradedToRESP2()
    }

    /// SCRIPT LOAD|EXISTS|FLUSH|KILL and FUNCTION LOAD|LIST|DELETE|FLUSH|KILL.
    static func admin(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        ctx.core.scripts.executeAdmin(argv, protocolVersion: ctx.protocolVersion.rawValue)
    }
}

extension StoreCore {
    /// Runs a parsed invocation under the locks its flags call for.
    /// `cancellation` (or, when nil, that of the async view's pool job running this
    /// command: ``PoolJob/cancellation``) stops the run, also while it waits for its keys.
    func runScript(_ invocation: ScriptInvocation, owner callerOwner: Owner, cancellation: ScriptCancellation? = nil) -> Reply {
        let cancellation = cancellation ?? PoolJob.cancellation
        let flags = invocation.flags
        let readOnly = flags.contains(.noWrites) || invocation.isReadOnlyCommand
        let undeclaredAllowed = flags.contains(.allowUndeclaredKeys)
        let declared: [ByteString]? = undeclaredAllowed ? nil : invocation.keys
        if callerOwner != .none || flags.contains(.disableAtomicity) {
            // Non-atomic: each call runs as the caller. Inside a transaction the caller's
            // locks already cover the declared keys (CommandScope checked them), and
            // releasing ours would release its; a script that may reach undeclared keys
            // gets its lookups checked against the lock table.
            var owner = undeclaredAllowed ? callerOwner.checked : callerOwner
            if flags.contains(.allowOOM) { owner = owner.allowingOOM }
            let run = ScriptRun(core: self, owner: owner, declared: declared, readOnly: readOnly)
            return scripts.execute(invocation, host: run, cancellation: cancellation)
        }
        var owner = OwnerIDs.make()
        if flags.contains(.allowOOM) { owner = owner.allowingOOM }
        var request = Keyspace.LockRequest()
        if undeclaredAllowed {
            request.wholeStore = true
        } else {
            request.keys = invocation.keys
            request.exclusive = Array(repeating: !readOnly, count: invocation.keys.count)
        }
        guard let held = keyspace.acquire(request, owner: owner, unless: cancellation) else {
            return .error("ERR Script cancelled by the caller")
        }
        defer { keyspace.release(held) }
        let run = ScriptRun(core: self, owner: owner, declared: declared, readOnly: readOnly, queues: true)
        return scripts.execute(invocation, host: run, cancellation: cancellation)
    }
}
