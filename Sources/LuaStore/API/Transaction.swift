import LuaStoreCore
import LuaStoreScripting
import Synchronization

/// Several commands that run atomically on keys declared up front.
///
/// ```swift
/// try store.transaction(keys: ["from", "to"]) { tx in
///     let amount = try tx.get("from")?.int64Value ?? 0
///     try tx.set("from", "0")
///     try tx.incrby("to", amount)
/// }
/// ```
///
/// While the body runs, the transaction holds locks on its keys (shared for read-only
/// transactions): other callers touching those keys wait, every other key stays fully
/// available. Locks are taken in one global order, so two transactions never deadlock.
/// A command on a key that was not declared fails with
/// `ERR transaction tried accessing undeclared key, key: <key>`.
///
/// # Thread safety
/// Use a transaction only inside its body, from the thread running it; it must not escape.
public struct Transaction: KeyValueCommands {
    @_spi(LuaStoreInternals)
    public let commandScope: CommandScope
    /// Keeps the scope's restrictions alive (the scope refers to them unretained), even
    /// if a transaction value wrongly outlives its body.
    private let restrictions: CommandScope.Restrictions

    init(core: StoreCore, owner: Owner, declared: Set<ByteString>, readOnly: Bool) {
        restrictions = CommandScope.Restrictions(declared: declared, holder: "transaction", readOnly: readOnly)
        commandScope = CommandScope(core: core, owner: owner, restrictions: restrictions)
    }

    /// Runs one command (argv) inside the transaction.
    public func execute(_ argv: [ByteString]) -> Reply { commandScope.execute(argv) }

    /// ``execute(_:)`` with text arguments.
    public func execute(_ argv: [String]) -> Reply { execute(argv.map { ByteString($0) }) }

    /// Runs one command inside the transaction for a caller speaking `protocolVersion`
    /// (see `execute(_:protocol:)`).
    public func execute(_ argv: [ByteString], protocol protocolVersion: RESPVersion) -> Reply {
        commandScope.execute(argv, protocolVersion: protocolVersion)
    }
}

/// Transaction and script owner identities.
enum OwnerIDs {
    private static let next = Atomic<UInt64>(1)
    /// A new identity for a lock holder that only runs commands on keys it holds (see
    /// ``Owner/holdsItsKeys``).
    static func make() -> Owner { Owner(id: next.add(1, ordering: .relaxed).newValue, holdsItsKeys: true) }
}

extension LuaStore {
    /// Runs `body` atomically with `keys` locked: exclusive unless `readOnly`.
    /// - Complexity: O(K log K) to order and take the K locks, plus the body.
    public func transaction<R>(keys: [ByteString], readOnly: Bool = false, _ body: (Transaction) throws -> R) rethrows -> R {
        let owner = OwnerIDs.make()
        let held = core.keyspace.acquire(Self.lockRequest(keys, readOnly: readOnly), owner: owner)
        defer { core.keyspace.release(held) }
        return try body(Transaction(core: core, owner: owner, declared: Set(keys), readOnly: readOnly))
    }

    /// ``transaction(keys:readOnly:_:)`` whose wait for the keys ends when `cancellation`
    /// is cancelled (the async view's), throwing `CancellationError` with `body` not run.
    func transaction<R>(
        keys: [ByteString], readOnly: Bool, cancellation: ScriptCancellation, _ body: (Transaction) throws -> R
    ) throws -> R {
        let owner = OwnerIDs.make()
        guard let held = core.keyspace.acquire(Self.lockRequest(keys, readOnly: readOnly), owner: owner, unless: cancellation) else {
            throw CancellationError()
        }
        defer { core.keyspace.release(held) }
        return try body(Transaction(core: core, owner: owner, declared: Set(keys), readOnly: readOnly))
    }

    private static func lockRequest(_ keys: [ByteString], readOnly: Bool) -> Keyspace.LockRequest {
        var request = Keyspace.LockRequest()
        request.keys = keys
        request.exclusive = Array(repeating: !readOnly, count: keys.count)
        return request
    }
}
