import LuaStoreCore
import LuaStoreScripting

/// Scripts, transactions and argv commands from async code: they run on the script pool
/// (``ScriptPool``), and the task awaits them.
extension AsyncStore {
    /// EVAL on the script pool (see `LuaStore.eval(_:keys:args:)`).
    /// Cancelling the task stops the script at its next instruction, its locks released.
    /// - Throws: the script's error (`StoreError`), or `CancellationError`.
    @discardableResult
    public func eval(_ script: Script, keys: [ByteString] = [], args: [ByteString] = []) async throws -> Reply {
        try await run(.script(script), keys: keys, args: args)
    }

    /// EVAL with the source text (cached as SCRIPT LOAD would), on the script pool.
    @discardableResult
    public func eval(_ source: ByteString, keys: [ByteString] = [], args: [ByteString] = []) async throws -> Reply {
        try await eval(try store.scriptLoad(source), keys: keys, args: args)
    }

    /// EVALSHA on the script pool.
    /// - Throws: `NOSCRIPT` when the SHA1 is unknown.
    @discardableResult
    public func evalsha(_ sha1: String, keys: [ByteString] = [], args: [ByteString] = []) async throws -> Reply {
        guard let script = store.core.scripts.script(sha1: sha1) else { throw StoreError.noScript }
        return try await eval(script, keys: keys, args: args)
    }

    /// FCALL on the script pool.
    /// - Throws: `ERR Function not found`.
    @discardableResult
    public func fcall(_ function: String, keys: [ByteString] = [], args: [ByteString] = []) async throws -> Reply {
        guard let info = store.core.scripts.function(named: function) else { throw StoreError.functionNotFound }
        return try await run(.function(info), keys: keys, args: args)
    }

    /// EVAL, its result converted to `type` (`ReplyDecodable`).
    public func eval<T: ReplyDecodable>(
        _ script: Script, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) async throws -> T {
        try T(reply: await eval(script, keys: keys, args: args))
    }

    /// EVAL with the source text, its result converted to `type`.
    public func eval<T: ReplyDecodable>(
        _ source: ByteString, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) async throws -> T {
        try T(reply: await eval(source, keys: keys, args: args))
    }

    /// EVALSHA, its result converted to `type`.
    public func evalsha<T: ReplyDecodable>(
        _ sha1: String, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) async throws -> T {
        try T(reply: await evalsha(sha1, keys: keys, args: args))
    }

    /// EVALSHA of a loaded `Script`, its result converted to `type`.
    public func evalsha<T: ReplyDecodable>(
        _ script: Script, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) async throws -> T {
        try T(reply: await eval(script, keys: keys, args: args))
    }

    /// FCALL, its result converted to `type`.
    public func fcall<T: ReplyDecodable>(
        _ function: String, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) async throws -> T {
        try T(reply: await fcall(function, keys: keys, args: args))
    }

    /// ``LuaStore/transaction(keys:readOnly:_:)`` on the script pool: `body` runs there
    /// with `keys` locked, and the task awaits its result. Waiting for the keys holds a
    /// pool thread, not a cooperative one. A task cancelled before `body` starts, also
    /// while it waits for the keys, throws `CancellationError` at once and `body` never
    /// runs; a running `body` is not interrupted.
    public func transaction<R: Sendable>(
        keys: [ByteString], readOnly: Bool = false, _ body: @escaping @Sendable (Transaction) throws -> R
    ) async throws -> R {
        let store = store
        return try await offPool { cancellation in
            try store.transaction(keys: keys, readOnly: readOnly, cancellation: cancellation) { tx in
                if cancellation.isCancelled { throw CancellationError() }
                return try body(tx)
            }
        }
    }

    /// Runs one command, given as argv, as `execute(_:)` does. A command on a
    /// held key suspends until it is released; EVAL, EVALSHA, FCALL and their `_RO` forms
    /// run on the script pool, and cancelling the task stops them as it stops
    /// `eval(_:keys:args:)` with a `Script` (the reply is then an error; the call throws
    /// `CancellationError`).
    @discardableResult
    public func execute(_ argv: [ByteString]) async throws -> Reply {
        if let name = argv.first, AsyncStore.runsScript(name) {
            let store = store
            return try await offPool { cancellation in
                let reply = PoolJob.$cancellation.withValue(cancellation) { store.execute(argv) }
                if cancellation.isCancelled, case .error = reply { throw CancellationError() }
                return reply
            }
        }
        return try await attempt { () throws(StoreError) -> Reply in store.execute(argv) }
    }

    /// ``execute(_:)-([ByteString])`` with text arguments.
    @discardableResult
    public func execute(_ argv: [String]) async throws -> Reply {
        try await execute(argv.map { ByteString($0) })
    }

    /// Runs `target` on the pool, stopped by the task's cancellation.
    private func run(_ target: ScriptInvocation.Target, keys: [ByteString], args: [ByteString]) async throws -> Reply {
        let store = store
        return try await offPool { cancellation in
            try store.evalReply(target, keys: keys, args: args, readOnly: false, cancellation: cancellation)
        }
    }

    /// Whether the command `name` runs a script (and so may run long or wait for its keys).
    static func runsScript(_ name: ByteString) -> Bool {
        switch String(decoding: name.bytes, as: UTF8.self).uppercased() {
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO": return true
        default: return false
        }
    }
}

/// The pool job a script command runs in, for the command's handler to find: `execute`
/// of the async view runs EVAL and its kin through the plain command path, which takes
/// no cancellation parameter.
enum PoolJob {
    /// The cancellation of the async-view call whose pool job runs on this thread.
    @TaskLocal static var cancellation: ScriptCancellation?
}
