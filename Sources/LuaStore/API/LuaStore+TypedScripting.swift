import LuaStoreCore
import LuaStoreScripting

/// Scripts and functions whose result comes back as a Swift type (see ``ReplyDecodable``).
extension LuaStore {
    /// EVAL, its result converted to `type`.
    ///
    /// ```swift
    /// let hits = try store.eval(limiter, keys: ["hits:\(user)"], args: [60], as: Int.self)
    /// ```
    /// - Throws: the script's error reply (`StoreError.custom(_:)`), or
    ///   `StoreError.unexpectedReply(expected:got:)` when the result does not fit `type`.
    public func eval<T: ReplyDecodable>(
        _ script: Script, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) throws(StoreError) -> T {
        try T(reply: eval(script, keys: keys, args: args))
    }

    /// EVAL with the source text (cached as SCRIPT LOAD would), its result converted to `type`.
    public func eval<T: ReplyDecodable>(
        _ source: ByteString, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) throws(StoreError) -> T {
        try T(reply: eval(source, keys: keys, args: args))
    }

    /// EVALSHA, its result converted to `type`.
    /// - Throws: `NOSCRIPT` when the SHA1 is unknown; otherwise as `eval(_:keys:args:as:)` with a `Script`.
    public func evalsha<T: ReplyDecodable>(
        _ sha1: String, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) throws(StoreError) -> T {
        try T(reply: evalsha(sha1, keys: keys, args: args))
    }

    /// EVALSHA of a loaded ``Script`` (the same as `eval(_:keys:args:as:)` with a `Script`).
    public func evalsha<T: ReplyDecodable>(
        _ script: Script, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) throws(StoreError) -> T {
        try T(reply: eval(script, keys: keys, args: args))
    }

    /// FCALL, its result converted to `type`.
    /// - Throws: `ERR Function not found`; otherwise as `eval(_:keys:args:as:)` with a `Script`.
    public func fcall<T: ReplyDecodable>(
        _ function: String, keys: [ByteString] = [], args: [ByteString] = [], as type: T.Type
    ) throws(StoreError) -> T {
        try T(reply: fcall(function, keys: keys, args: args))
    }
}

/// Function libraries from Swift (FUNCTION LOAD, FUNCTION DELETE).
extension LuaStore {
    /// FUNCTION LOAD [REPLACE]: runs the library's code once to register its functions and
    /// keeps it; returns the library's name (from its `#!lua name=...` line).
    ///
    /// ```swift
    /// try store.functionLoad("""
    ///     #!lua name=counters
    ///     redis.register_function('bump', function(keys) return redis.call('INCR', keys[1]) end)
    ///     """)
    /// let n = try store.fcall("bump", keys: ["visits"], as: Int.self)
    /// ```
    /// - Throws: Redis's error: `ERR Library 'x' already exists` without `replace`, a
    ///   compile or registration error, `ERR Function x already exists` (in another library).
    @discardableResult
    public func functionLoad(_ code: ByteString, replace: Bool = false) throws(StoreError) -> String {
        try core.scripts.loadLibrary(code, replace: replace)
    }

    /// FUNCTION DELETE: drops a library and its functions.
    /// - Throws: `ERR Library not found`.
    public func functionDelete(_ library: String) throws(StoreError) {
        try core.scripts.deleteLibrary(library)
    }
}
