import LuaStoreCore
import Synchronization

/// One shard of the keyspace: its state behind a `Mutex`, and the parking place of callers
/// waiting for key locks in it.
///
/// # Thread safety
/// Thread-safe. The mutex is held only for the duration of one operation (hundreds of
/// nanoseconds); longer-lived exclusion (transactions, atomic scripts) uses key locks
/// recorded in the state.
final class Shard: Sendable {
    let index: Int
    let state: Mutex<ShardState>
    let parking = Parking()

    init(index: Int, clock: any StoreClock) {
        self.index = index
        state = Mutex(ShardState(clock: clock))
    }

    /// Runs `body` under the mutex, once `key` admits `owner` for `access`; waits (parked,
    /// not spinning) while another holder's key lock is in the way.
    @inline(__always)
    func withKey<R>(
        _ key: ByteString, owner: Owner, access: KeyAccess,
        _ body: (inout ShardState) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        while true {
            let outcome: Outcome<R> = state.withLock { s in
                guard s.locks.admits(key, owner, access) else { return .blocked(s.releaseGeneration) }
                do throws(StoreError) { return .done(try body(&s)) } catch { return .failed(error) }
            }
            switch outcome {
            case .done(let r): return r
            case .failed(let e): throw e
            case .blocked(let seen): parking.wait(after: seen)
            }
        }
    }

    /// Runs `body` under the mutex with no key-lock check (whole-shard maintenance).
    @inline(__always)
    func withState<R, E: Error>(_ body: (inout ShardState) throws(E) -> R) throws(E) -> R {
        let outcome = state.withLock { s in Unchecked(Result { () throws(E) -> R in try body(&s) }) }
        return try outcome.value.get()
    }

    /// Releases `keys` held by `owner` (and the whole-shard lock if it held it), waking
    /// waiters.
    func release(_ keys: [ByteString], wholeShard: Bool, owner: Owner) {
        let generation = state.withLock { s -> UInt64 in
            for key in keys { s.locks.release(key, owner) }
            if wholeShard && s.locks.wholeShardOwner == owner.id { s.locks.wholeShardOwner = 0 }
            s.releaseGeneration &+= 1
            return s.releaseGeneration
        }
        parking.publish(generation)
    }
}

/// The result of one attempt under the shard mutex.
///
/// `@unchecked Sendable` because `Mutex.withLock` returns its result as `sending`: the
/// value is produced and consumed on the calling thread (`withLock` runs its body
/// synchronously), so it never actually crosses an isolation boundary.
enum Outcome<R>: @unchecked Sendable {
    case done(R)
    case failed(StoreError)
    case blocked(UInt64)
}

/// A value returned out of `Mutex.withLock`, whose result is `sending`.
///
/// `@unchecked Sendable` for the same reason as ``Outcome``: `withLock` runs its body
/// synchronously on the calling thread, so the value never crosses threads.
struct Unchecked<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
