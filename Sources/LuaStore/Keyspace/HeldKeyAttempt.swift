import LuaStoreCore

/// A call of the async view (``AsyncStore``) that must not park its thread: while one is
/// bound to the running task, a command that finds a key held by another owner (a running
/// script or transaction) records where it waited and throws ``StoreError/keyHeld``
/// instead of sleeping on the shard's ``Parking`` place. The view then suspends on that
/// place (``Parking/suspend(after:)``) and runs the whole call again.
///
/// Only the key-lock waits look at it (``Keyspace``'s lock paths, after a key was found
/// held), so a call that finds its keys free pays nothing for it. Calls outside the async
/// view, and scripts and transactions on the script pool (its threads run no task), see
/// no attempt and park as before.
///
/// The view decides by ``heldAt``, not by the error: an operation may swallow the error
/// (plain SET, MGET and `execute` turn every failure into a result), and a failed
/// attempt has changed nothing either way, since every operation checks its key locks
/// before it writes.
///
/// # Thread safety
/// Not thread-safe: written only by the thread running the call it is bound to, and read
/// by the same task after the call returns (hence `@unchecked Sendable`, which
/// `@TaskLocal` requires).
final class HeldKeyAttempt: @unchecked Sendable {
    /// The attempt of the current task's async-view call, if any.
    @TaskLocal static var current: HeldKeyAttempt?

    /// The shard whose key was held, and its release generation when it was seen.
    private(set) var heldAt: (shard: Int, generation: UInt64)?

    init() {}

    /// Records that a key of shard `shard` was held at release generation `generation`,
    /// and gives the error that ends the attempt.
    func keyHeld(shard: Int, generation: UInt64) -> StoreError {
        heldAt = (shard, generation)
        return .keyHeld
    }
}

extension Keyspace {
    /// Runs `operation` without waiting for held keys; if a key was held, suspends until a
    /// release in its shard and runs it again. The async view's calls and the blocking
    /// pops' tries go through it.
    /// - Throws: what `operation` throws, or `CancellationError` (nothing done).
    func attempt<R>(_ operation: () throws(StoreError) -> R) async throws -> R {
        while true {
            try Task.checkCancellation()
            let attempt = HeldKeyAttempt()
            let result = HeldKeyAttempt.$current.withValue(attempt) {
                Result { () throws(StoreError) -> R in try operation() }
            }
            guard let (shard, generation) = attempt.heldAt else { return try result.get() }
            try await shards[shard].parking.suspend(after: generation)
        }
    }
}
