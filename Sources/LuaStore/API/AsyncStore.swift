import LuaStoreCore
import LuaStoreScripting

/// The store for async code: the typed API with the same method names, whose calls never
/// park a thread of Swift's cooperative pool.
///
/// ```swift
/// let n = try await store.async.incr("visits:\(id)")
/// let hits = try await store.async.eval(limiter, keys: ["hits:\(user)"], args: [10], as: Int.self)
/// ```
///
/// A call on a key that a running script or transaction holds suspends the task until the
/// holder releases it, then runs (the synchronous API parks the thread instead). Scripts
/// and transactions run on a small pool of threads of their own, and the task awaits
/// their result. Cancelling the task:
/// - while it waits for a key: it resumes with `CancellationError`, having done nothing;
/// - while its script runs: the script stops at its next instruction and its locks are
///   released; the call throws `CancellationError`;
/// - a transaction's body is Swift code and is not interrupted; one that has not started
///   yet does not start.
///
/// Every call first runs the synchronous operation, so meaning, errors and cost on free
/// keys are the synchronous API's.
///
/// # Thread safety
/// Thread-safe: an immutable value holding the store; use it from any task.
public struct AsyncStore: Sendable {
    /// The store this view calls.
    public let store: LuaStore

    /// The async view of `store`; the same as `store.async`.
    public init(_ store: LuaStore) { self.store = store }

    /// Runs `operation` as a call of this view (``Keyspace/attempt(_:)``): without waiting
    /// for held keys; if a key was held, suspends until a release in its shard and runs
    /// it again.
    /// - Throws: what `operation` throws, or `CancellationError` (nothing done).
    @inline(__always)
    func attempt<R>(_ operation: () throws(StoreError) -> R) async throws -> R {
        try await store.core.keyspace.attempt(operation)
    }

    /// Runs `body` on the script pool (``ScriptPool``), with a cancellation that the
    /// task's cancellation triggers.
    /// - Throws: what `body` throws, or `CancellationError` when the task was cancelled
    ///   and `body` failed (stopped, or refused to start).
    func offPool<R: Sendable>(
        _ body: @escaping @Sendable (ScriptCancellation) throws -> R
    ) async throws -> R {
        try Task.checkCancellation()
        let cancellation = ScriptCancellation()
        let result: Result<R, any Error> = await withTaskCancellationHandler {
            await ScriptPool.shared.run { Result { try body(cancellation) } }
        } onCancel: {
            cancellation.cancel()
        }
        if case .failure = result, cancellation.isCancelled { throw CancellationError() }
        return try result.get()
    }
}

extension LuaStore {
    /// The async view of this store: the typed API for async code, whose waits suspend the
    /// task instead of parking its thread (see ``AsyncStore``).
    public var async: AsyncStore { AsyncStore(self) }
}
