import LuaStoreCore

/// The body of ``LuaStore/watch(_:_:)``: an optimistic transaction. Reads run at once,
/// on the store, with no lock held; ``commit(keys:_:)`` then runs its writes atomically,
/// provided no watched key changed since the attempt began, or ends the attempt so that
/// `watch` runs the body again.
///
/// ```swift
/// try store.watch(["balance"]) { tx in
///     let balance = try tx.get("balance")?.int64Value ?? 0
///     guard balance >= 10 else { return }
///     try tx.commit { locked in try locked.set("balance", ByteString(String(balance - 10))) }
/// }
/// ```
///
/// # Thread safety
/// Use it only inside its body, from the thread running it; it must not escape.
public struct OptimisticTransaction: KeyValueCommands {
    @_spi(LuaStoreInternals)
    public let commandScope: CommandScope
    let attempt: WatchAttempt

    /// Runs `body` atomically with the watched keys and `keys` locked (exclusive), if no
    /// watched key changed since this attempt began: a write, a script, expiry, eviction
    /// or a flush by anyone counts as a change, as for WATCH. Otherwise `body` does not
    /// run and the call throws an error that ``LuaStore/watch(_:_:)`` catches to run the
    /// attempt again (catching it in the body does not stop the retry). Commands in
    /// `body` may use the watched keys and `keys` only.
    /// - Complexity: O(K log K) to order and take the K locks, plus the body.
    @discardableResult
    public func commit<R>(keys: [ByteString] = [], _ body: (Transaction) throws -> R) throws -> R {
        let core = commandScope.core
        let declared = attempt.watched.map(\.key) + keys
        let owner = OwnerIDs.make()
        var request = Keyspace.LockRequest()
        request.keys = declared
        request.exclusive = Array(repeating: true, count: declared.count)
        let held = core.keyspace.acquire(request, owner: owner)
        defer { core.keyspace.release(held) }
        if core.keyspace.anyChanged(attempt.watched) {
            attempt.conflicted = true
            throw WatchAttempt.Conflict()
        }
        return try body(Transaction(core: core, owner: owner, declared: Set(declared), readOnly: false))
    }
}

/// One attempt of ``LuaStore/watch(_:_:)``: the keys it watches and whether its commit
/// found one changed.
///
/// # Thread safety
/// Used by the thread running the attempt only.
final class WatchAttempt {
    /// Thrown by a commit that found a watched key changed.
    struct Conflict: Error {}

    let watched: [WatchedKey]
    var conflicted = false

    init(watched: [WatchedKey]) { self.watched = watched }
}

extension LuaStore {
    /// Runs `body` as an optimistic transaction on `keys` (Redis's WATCH / MULTI / EXEC
    /// pattern): `body` reads freely, then calls ``OptimisticTransaction/commit(keys:_:)``
    /// to write atomically. If a watched key changed between the start of the attempt and
    /// the commit, the attempt is abandoned and `body` runs again, until a commit finds
    /// its keys unchanged or `body` returns without committing.
    ///
    /// Next to ``transaction(keys:readOnly:_:)``, which locks its keys for the whole body:
    /// here no lock is held while `body` computes, so slow reads do not hold up other
    /// callers, at the cost of running again when they wrote meanwhile.
    /// - Returns: what the successful attempt of `body` returned.
    /// - Throws: what `body` throws, except the retry signal of a conflicting commit.
    public func watch<R>(_ keys: [ByteString], _ body: (OptimisticTransaction) throws -> R) throws -> R {
        while true {
            let attempt = WatchAttempt(watched: keys.map { core.keyspace.watch($0) })
            defer { core.keyspace.unwatch(attempt.watched) }
            let result: R
            do {
                result = try body(OptimisticTransaction(commandScope: commandScope, attempt: attempt))
            } catch is WatchAttempt.Conflict {
                continue
            }
            if attempt.conflicted { continue }
            return result
        }
    }
}
