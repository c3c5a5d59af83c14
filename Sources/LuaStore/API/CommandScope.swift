import LuaStoreCore

/// Where typed calls run: the store, on whose behalf (a plain caller, or the holder of a
/// transaction's key locks), and which keys they may touch.
///
/// A value that refers to its store without retaining it: every typed call copies the
/// scope, and retaining the shared store object on each call made threads contend on its
/// reference count. A scope is valid while its ``LuaStore`` exists (a transaction's scope
/// only inside the transaction).
///
/// Not part of the public API: SPI (`@_spi(LuaStoreInternals)`), which the public
/// ``KeyValueCommands`` protocol needs for its requirement; a consumer that does not import
/// that SPI cannot name it.
///
/// # Thread safety
/// Immutable and `Sendable`; its store is thread-safe.
@_spi(LuaStoreInternals)
public struct CommandScope: Sendable {
    private let coreReference: Unretained<StoreCore>
    /// The keyspace for this scope's owner: typed calls run the operations on it
    /// (`try scope.keyspace.push(key, elements, to: .left)`).
    let keyspace: KeyspaceAccess
    /// On whose behalf the calls run.
    var owner: Owner { keyspace.owner }
    /// A transaction's limits; nil for the store's own scope. Unretained, so the scope is
    /// plain data: every typed call copies it, and a strong reference here cost an
    /// outlined copy and destroy (~40 of a typed GET's ~270 instructions). Whoever makes
    /// a scope with restrictions keeps them alive for as long as the scope can be used
    /// (``Transaction`` holds them).
    private let restrictionsReference: Unretained<Restrictions>?

    /// What a transaction may do.
    ///
    /// # Thread safety
    /// Immutable: safe to share.
    final class Restrictions: Sendable {
        /// Keys the transaction declared; nil = any key.
        let declared: Set<ByteString>?
        /// Who is told off for an undeclared key ("transaction" or "script").
        let holder: String
        /// Write commands are refused (read-only transactions).
        let readOnly: Bool

        init(declared: Set<ByteString>?, holder: String, readOnly: Bool) {
            self.declared = declared
            self.holder = holder
            self.readOnly = readOnly
        }
    }

    /// Keys a transaction or atomic script declared; nil = any key.
    var declared: Set<ByteString>? { restrictionsReference?.borrow { $0.declared } }
    var holder: String { restrictionsReference?.borrow { $0.holder } ?? "transaction" }
    @inline(__always)
    var readOnly: Bool { restrictionsReference?.borrow { $0.readOnly } ?? false }
    /// The store's core (counted), for the argv path.
    var core: StoreCore { coreReference.referent }

    /// A scope limited by `restrictions` (nil: none), which the caller keeps alive for as
    /// long as the scope is used.
    init(core: StoreCore, owner: Owner = .none, restrictions: Restrictions? = nil) {
        coreReference = Unretained(core, keptAliveBy: .store)
        keyspace = KeyspaceAccess(core.keyspace, owner: owner)
        restrictionsReference = restrictions.map { Unretained($0, keptAliveBy: .transaction) }
    }

    static let readOnlyError = StoreError.readOnlyTransaction

    /// ``check(_:)-4b3fz`` for a command that writes.
    @inline(__always)
    func checkWrite(_ key: ByteString) throws(StoreError) {
        if readOnly { throw CommandScope.readOnlyError }
        try check(key)
    }

    func checkWrite(_ keys: [ByteString]) throws(StoreError) {
        if readOnly { throw CommandScope.readOnlyError }
        try check(keys)
    }

    /// Throws unless `key` was declared (always passes outside transactions).
    @inline(__always)
    func check(_ key: ByteString) throws(StoreError) {
        guard let declared else { return }
        if !declared.contains(key) { throw undeclared(key) }
    }

    func check(_ keys: [ByteString]) throws(StoreError) {
        guard declared != nil else { return }
        for key in keys { try check(key) }
    }

    func undeclared(_ key: ByteString) -> StoreError {
        .undeclaredKey(holder: holder, key: key.string)
    }

    /// Runs argv within this scope (arity, declared keys, then the handler).
    func execute(_ argv: [ByteString], protocolVersion: RESPVersion = .resp2) -> Reply {
        guard let name = argv.first, let container = core.commands.lookup(name),
              let spec = container.resolved(argv) else {
            return core.execute(argv, owner: owner, protocolVersion: protocolVersion)
        }
        if readOnly && spec.flags.contains(.write) { return CommandScope.readOnlyError.reply }
        if let declared, spec.acceptsArgumentCount(argv.count),
           let key = spec.firstKey(in: argv, where: { !declared.contains($0) }) {
            return undeclared(key).reply
        }
        return core.run(spec, argv, owner: owner, protocolVersion: protocolVersion)
    }
}

/// The typed Redis API, shared by ``LuaStore`` and ``Transaction``. Method names follow
/// Redis's command names, as valkey-swift's do; each calls the same shard operation as
/// the command, without formatting or parsing text.
public protocol KeyValueCommands {
    /// Where the calls run. Internal to LuaStore (SPI), so only ``LuaStore`` and
    /// ``Transaction`` conform.
    @_spi(LuaStoreInternals)
    var commandScope: CommandScope { get }
}

extension LuaStore: KeyValueCommands {}
