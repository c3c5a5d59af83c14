import CLua
import CLuaRun
import LuaStoreCore

/// What a running script needs from the store: implemented by the store, one object per
/// script run (it knows the run's declared keys, locks and flags).
///
/// The engine calls these methods only from the thread running the script, never
/// concurrently for one run, and never while holding an engine lock.
///
/// Error texts the store should use for script-only failures are in ``ScriptErrors``.
///
/// # Thread safety
/// Implementations need not be thread-safe for the engine's sake: one run calls its host
/// from one thread. (A ``ScriptEngine/killScripts()`` from another thread never touches it.)
@usableFromInline package protocol ScriptHost: AnyObject {
    /// One `redis.call` / `redis.pcall`: argv as raw bytes. The engine reuses the array's
    /// storage between calls, so the host must not keep it (copy what it keeps). Returns the
    /// command's reply; an error reply is `.error(line)`. Return RESP3 kinds (maps, doubles)
    /// where the command has them: the engine downgrades them for scripts in RESP2 mode.
    func call(_ argv: [ByteString]) -> Reply
    /// ``call(_:)`` for a script in `protocolVersion` (`redis.setresp`): the command shapes
    /// its reply for that protocol, as Redis runs it for a client of that version. By
    /// default it forwards to ``call(_:)``, and the engine downgrades what comes back for
    /// RESP2.
    func call(_ argv: [ByteString], protocolVersion: RESPVersion) -> Reply
    /// Auto-async: queue a call whose result the script discards (`redis.acall`/`apcall`, or
    /// rewritten statement-level calls). Returns nil, or an error reply to raise.
    func enqueue(_ argv: [ByteString]) -> Reply?
    /// The same, saying whether the call's error must abort the script at the flush point
    /// (`raising`: `acall`) or not (`apcall`). The engine calls this one and raises any
    /// error it returns (a failed flush stops the script even at an `apcall`); by default
    /// it forwards to ``enqueue(_:)`` and drops the error of an `apcall`.
    func enqueue(_ argv: [ByteString], raising: Bool) -> Reply?
    /// Run everything queued; returns the first error of a queued `call` (not `pcall`), if
    /// any, to raise at this point.
    func flush() -> Reply?
    /// Called once before the script starts. A host that runs write commands should pass
    /// the gate each write (``ScriptWriteGate/admitWrite()``) before running it, so that
    /// SCRIPT KILL can refuse to stop a script that already wrote, as Redis does.
    func bind(_ gate: ScriptWriteGate)
}

/// The handshake between a run's writes and SCRIPT KILL / FUNCTION KILL: Redis refuses to
/// kill a script that has written (`UNKILLABLE`), because stopping it half-way would break
/// its atomicity. The first write and a kill race through one atomic transition, so a kill
/// never lands after a write, and a write never runs after a kill.
///
/// # Thread safety
/// Used by the thread running the script; the kill side is the engine's.
@usableFromInline package struct ScriptWriteGate {
    let L: OpaquePointer

    /// Before a write: true to go ahead (the run now counts as having written); false when
    /// a SCRIPT KILL came first, and the host must not write.
    @usableFromInline package func admitWrite() -> Bool { clua_try_mark_dirty(L) != 0 }
}

extension ScriptHost {
    @usableFromInline package func call(_ argv: [ByteString], protocolVersion: RESPVersion) -> Reply { call(argv) }
    /// Hosts without a queue run the call at once and report its error right away.
    @usableFromInline package func enqueue(_ argv: [ByteString]) -> Reply? {
        let reply = call(argv)
        if case .error = reply { return reply }
        return nil
    }
    @usableFromInline package func enqueue(_ argv: [ByteString], raising: Bool) -> Reply? {
        let error = enqueue(argv)
        return raising ? error : nil
    }
    @usableFromInline package func flush() -> Reply? { nil }
    @usableFromInline package func bind(_ gate: ScriptWriteGate) {}
}

/// Redis's error lines for failures that only happen inside scripts, for the host to return
/// from ``ScriptHost/call(_:)`` (they come from Redis's script layer, not from commands).
///
/// # Thread safety
/// Constants only: safe from any thread.
@usableFromInline package enum ScriptErrors {
    /// The command does not exist.
    @usableFromInline package static let unknownCommand = Reply.error("ERR Unknown Redis command called from script")
    /// Wrong arity (the command's own arity error is not used inside scripts).
    @usableFromInline package static let wrongArity = Reply.error("ERR Wrong number of args calling Redis command from script")
    /// A write command in a `no-writes` script or from EVAL_RO / FCALL_RO.
    @usableFromInline package static let writeInReadOnlyScript = Reply.error("ERR Write commands are not allowed from read-only scripts.")
    /// Dragonfly's text for a key outside KEYS without `allow-undeclared-keys`.
    @usableFromInline package static func undeclaredKey(_ key: ByteString) -> Reply {
        .error("ERR script tried accessing undeclared key, key: \(key.string)")
    }
    /// A write refused because SCRIPT KILL stopped the run first (the script stops at its
    /// next instruction check with Redis's kill error).
    @usableFromInline package static let killed = Reply.error(String(cString: clua_run_stop_message(Int32(CLUA_KILLED))))
    /// EVAL_RO / FCALL_RO of a script or function without `no-writes`.
    @usableFromInline package static let writeFlagWithReadOnlyCommand = StoreError.writeFlagWithReadOnlyCommand.reply
}
