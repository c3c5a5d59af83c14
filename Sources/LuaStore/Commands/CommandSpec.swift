import LuaStoreCore

/// What kind of command this is (Redis's command flags that LuaStore acts on).
struct CommandFlags: OptionSet, Sendable {
    let rawValue: UInt32
    /// Changes data: refused in read-only scripts (`no-writes`, EVAL_RO).
    static let write = CommandFlags(rawValue: 1 << 0)
    static let readonly = CommandFlags(rawValue: 1 << 1)
    /// Not callable from scripts (EVAL inside a script, blocking forms...).
    static let noScript = CommandFlags(rawValue: 1 << 2)
    /// May add memory (refused under the memory limit unless `allow-oom`).
    static let denyOOM = CommandFlags(rawValue: 1 << 3)
}

/// One row of the command table (a class, so a lookup hands out one reference instead of
/// copying names and closures): the data Redis keeps per command (name, arity, flags,
/// key positions) and the handler that parses argv and answers.
final class CommandSpec: Sendable {
    typealias Handler = @Sendable (borrowing CommandContext, [ByteString]) throws(StoreError) -> Reply

    /// Lower-case name.
    let name: String
    /// Redis's convention: `n` = exactly n arguments (name included), `-n` = at least n.
    let arity: Int
    let flags: CommandFlags
    /// Key positions as Redis's legacy triple; `lastKey` -1 = the last argument, -2 = the
    /// one before it. `firstKey` 0 = no keys (or keys found by `keysOf`).
    let firstKey: Int
    let lastKey: Int
    let step: Int
    /// For commands whose keys cannot be described by the triple (numkeys-style).
    let keysOf: (@Sendable ([ByteString]) -> [ByteString])?
    let handler: Handler

    init(
        _ name: String, arity: Int, flags: CommandFlags, keys: (Int, Int, Int) = (0, 0, 0),
        keysOf: (@Sendable ([ByteString]) -> [ByteString])? = nil, handler: @escaping Handler
    ) {
        self.name = name
        self.arity = arity
        self.flags = flags
        (firstKey, lastKey, step) = keys
        self.keysOf = keysOf
        self.handler = handler
    }

    @inline(__always)
    func acceptsArgumentCount(_ n: Int) -> Bool {
        arity >= 0 ? n == arity : n >= -arity
    }

    /// The first key of `argv` for which `body` returns false, without building an array
    /// (the per-call check of scripts and transactions).
    @inline(__always)
    func firstKey(in argv: [ByteString], where body: (ByteString) -> Bool) -> ByteString? {
        if keysOf != nil { return keys(in: argv).first(where: body) }
        guard firstKey > 0 else { return nil }
        let last = lastKey >= 0 ? lastKey : argv.count + lastKey
        guard firstKey <= last, last < argv.count else { return nil }
        var i = firstKey
        while i <= last {
            if body(argv[i]) { return argv[i] }
            i += step
        }
        return nil
    }

    /// The keys `argv` names, in order.
    func keys(in argv: [ByteString]) -> [ByteString] {
        if let keysOf { return keysOf(argv) }
        guard firstKey > 0 else { return [] }
        let last = lastKey >= 0 ? lastKey : argv.count + lastKey
        guard firstKey <= last, last < argv.count else { return [] }
        return Swift.stride(from: firstKey, through: last, by: step).map { argv[$0] }
    }
}

/// What a handler runs with: the store and who is calling.
///
/// # Thread safety
/// A value made per command; not shared.
struct CommandContext {
    /// Unretained: a context lives for one command, inside a call on the store itself,
    /// and retaining the shared store (and its keyspace) per command made threads contend
    /// on their reference counts.
    private let coreReference: Unmanaged<StoreCore>
    private let keyspaceReference: Unmanaged<Keyspace>
    let owner: Owner

    init(core: StoreCore, owner: Owner) {
        coreReference = .passUnretained(core)
        keyspaceReference = .passUnretained(core.keyspace)
        self.owner = owner
    }

    var core: StoreCore { coreReference.takeUnretainedValue() }
    var keyspace: Keyspace { keyspaceReference.takeUnretainedValue() }

    /// Runs `body` on the keyspace, without retaining it, and the caller (the hot
    /// commands use this; `body` gets `owner` because a closure may not capture the
    /// borrowed context).
    @inline(__always)
    func onKeyspace<R>(_ body: (Keyspace, Owner) throws(StoreError) -> R) throws(StoreError) -> R {
        let owner = owner
        return try keyspaceReference.withKeyspace { keyspace throws(StoreError) in try body(keyspace, owner) }
    }
}
