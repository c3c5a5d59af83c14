import LuaStoreCore
import LuaStoreScripting

extension LuaStore {
    /// The script engine (script cache, function libraries, kill).
    public var scriptEngine: ScriptEngine { core.scripts }

    /// SCRIPT LOAD: compiles `source` and caches it; EVALSHA can then run it by SHA1.
    /// - Throws: the compile error, with Redis's text.
    public func scriptLoad(_ source: ByteString) throws(StoreError) -> Script {
        try core.scripts.load(source)
    }

    /// EVAL: runs `script` with KEYS and ARGV, atomically on its keys unless its flags
    /// say otherwise (see Docs/Scripting.md).
    /// - Returns: the script's reply with the RESP3 kinds its value made (`{double=...}`,
    ///   `{map=...}`...), as a RESP3 client gets it (`Reply.downgradedToRESP2()` gives the
    ///   RESP2 form); an error reply is thrown.
    @discardableResult
    public func eval(_ script: Script, keys: [ByteString] = [], args: [ByteString] = []) throws(StoreError) -> Reply {
        try evalReply(.script(script), keys: keys, args: args, readOnly: false, cancellation: nil)
    }

    /// EVAL with the source text (cached as SCRIPT LOAD would).
    @discardableResult
    public func eval(_ source: ByteString, keys: [ByteString] = [], args: [ByteString] = []) throws(StoreError) -> Reply {
        try eval(try scriptLoad(source), keys: keys, args: args)
    }

    /// EVALSHA: runs a cached script.
    /// - Throws: `NOSCRIPT` when the SHA1 is unknown.
    @discardableResult
    public func evalsha(_ sha1: String, keys: [ByteString] = [], args: [ByteString] = []) throws(StoreError) -> Reply {
        guard let script = core.scripts.script(sha1: sha1) else { throw .noScript }
        return try eval(script, keys: keys, args: args)
    }

    /// FCALL: calls a function of a loaded library (FUNCTION LOAD).
    @discardableResult
    public func fcall(_ function: String, keys: [ByteString] = [], args: [ByteString] = []) throws(StoreError) -> Reply {
        guard let info = core.scripts.function(named: function) else { throw .functionNotFound }
        return try evalReply(.function(info), keys: keys, args: args, readOnly: false, cancellation: nil)
    }

    /// Runs `target`; `cancellation` stops it from another thread (the async view).
    func evalReply(
        _ target: ScriptInvocation.Target, keys: [ByteString], args: [ByteString], readOnly: Bool,
        cancellation: ScriptCancellation?
    ) throws(StoreError) -> Reply {
        // Effective flags include those set from Swift (`setFlags`, SCRIPT FLAGS) and the
        // store-wide defaults.
        let flags: ScriptFlags
        switch target {
        case .script(let script): flags = core.scripts.effectiveFlags(of: script)
        case .function(let info): flags = info.flags.union(core.scripts.configuration.defaultFlags)
        }
        let invocation = ScriptInvocation(target, keys: keys, args: args, readOnly: readOnly, flags: flags)
        let reply = core.runScript(invocation, owner: .none, cancellation: cancellation)
        if case .error(let line) = reply { throw .custom(line) }
        return reply
    }
}
