import LuaStoreCore

/// A Lua script as EVAL receives it: its source, its SHA1 name and the flags of its first line.
///
/// ```swift
/// let script = try Script("#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1])")
/// script.sha1      // "…" (40 lower-case hex digits)
/// script.flags     // [.noWrites]
/// ```
///
/// # Thread safety
/// A value type: safe to share.
public struct Script: Sendable, Hashable {
    /// The source exactly as given (the SHA1 is computed over it).
    public let source: ByteString
    /// Lower-case hex SHA1 of ``source``.
    public let sha1: String
    /// Flags from the first line (`#!lua flags=...` or `--!df flags=...`).
    public let flags: ScriptFlags
    /// True when the first line is a Redis `#!lua` shebang. Without one, Redis runs the script
    /// in EVAL compatibility mode (it may write and is allowed under OOM, like Redis 6).
    public let hasShebang: Bool

    /// Parses the first line. Throws Redis's error for a bad shebang or an unknown flag
    /// (`ERR Unexpected flag in script shebang: <flag>`).
    public init(_ source: ByteString) throws(StoreError) {
        let bytes = source.bytes
        let shebang = try Shebang.parseEval(bytes)
        self.source = source
        self.sha1 = SHA1.hex(bytes)
        self.flags = shebang?.flags ?? []
        self.hasShebang = shebang?.isRedisShebang ?? false
    }

    /// Convenience for source text.
    public init(_ source: String) throws(StoreError) {
        try self.init(ByteString(source))
    }

    /// The code Lua compiles: a `#!` first line becomes a comment so line numbers stay the same.
    var luaBody: [UInt8] {
        var bytes = source.bytes
        if hasShebang { bytes.insert(contentsOf: Array("--".utf8), at: 0) }
        return bytes
    }
}
