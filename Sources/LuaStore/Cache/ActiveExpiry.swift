import Dispatch
import LuaStoreCore
import Synchronization

/// Active expiry: keys past their deadline are reclaimed without being touched.
///
/// Reads delete an expired key they meet (lazy expiry) and inserts take a two-slot step
/// (``ShardState/expireSome(limit:)``), but a store that is only read, or not used at all,
/// would keep its expired keys forever. So once a store holds a key with a deadline, a
/// timer on one process-wide utility-priority Dispatch queue (shared by every store; no
/// thread per store) runs a sweep cycle every ``period``: Redis's adaptive cycle, per
/// shard, examines ``keysPerLoop`` keys that have a deadline, deletes the expired ones,
/// and repeats while more than a quarter of those examined were expired, until
/// ``cycleBudget`` has passed (the next cycle resumes where this one stopped).
///
/// The sweep compares deadlines with the store's clock, so with a ``ManualClock`` an
/// `advance` past the deadlines is enough: the next cycle (within ``period``) reclaims
/// them. Keys another owner holds (a running atomic script, a transaction) are skipped:
/// they expire when next touched after release, so a holder never sees a declared key
/// vanish mid-run.
///
/// The timer starts with the store's first deadline and stops when the store is
/// deallocated; while it runs, an idle cycle costs a lock acquisition per shard.
///
/// # Thread safety
/// Thread-safe: the started flag is atomic; cycles run on one serial queue.
final class ActiveExpiry: Sendable {
    /// Redis's `hz` 10.
    static let period = DispatchTimeInterval.milliseconds(100)
    /// Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP.
    static let keysPerLoop = 20
    /// A cycle's time bound: Redis's slow cycle takes at most a quarter of its period.
    static let cycleBudget = Duration.milliseconds(25)

    private static let queue = DispatchQueue(label: "luastore.active-expiry", qos: .utility)

    private let started = Atomic<Bool>(false)
    private let timer = Locked<Handles>(Handles())
    private let owner = Locked<Handles>(Handles())

    /// A Dispatch source (not `Sendable`) and the weak keyspace, used only under the mutexes.
    private struct Handles: @unchecked Sendable {
        var source: DispatchSourceTimer?
        weak var keyspace: Keyspace?
    }
    /// Keys deleted because their deadline had passed, by this sweep or lazily (INFO's
    /// `expired_keys`), counted per shard in ``ShardState/expiredKeys``; this is the
    /// sweep's part, for tests.
    let swept = Atomic<Int>(0)
    /// The shard the next cycle starts with: a cycle that runs out of time leaves the
    /// rest for the next one, which begins there.
    private let nextShard = Atomic<Int>(0)

    /// The keyspace this sweep serves, held weakly: the timer ends with the store.
    func attach(_ keyspace: Keyspace) {
        owner.withLock { $0.keyspace = keyspace }
    }

    /// Starts the sweep unless it runs already. Cheap (one atomic load after the first
    /// call), so shards call it under their lock when they get their first deadline.
    func start() {
        guard !started.load(ordering: .relaxed),
              !started.exchange(true, ordering: .acquiringAndReleasing),
              let keyspace = owner.withLock({ $0.keyspace }) else { return }
        let source = DispatchSource.makeTimerSource(queue: Self.queue)
        source.schedule(deadline: .now() + Self.period, repeating: Self.period, leeway: .milliseconds(20))
        // The keyspace owns this object, whose deinit cancels the timer.
        source.setEventHandler { [weak keyspace] in
            guard let keyspace else { return }
            keyspace.expiry.cycle(keyspace)
        }
        timer.withLock { $0.source = source }
        source.resume()
    }

    /// Keeps the timer from ever starting (tests that run cycles themselves).
    func preventTimer() {
        started.store(true, ordering: .releasing)
    }

    deinit {
        timer.withLock { $0.source?.cancel() }
    }

    /// One sweep cycle over the shards, from where the last one stopped, within `budget`;
    /// returns how many keys it deleted.
    @discardableResult
    func cycle(_ keyspace: Keyspace, budget: Duration = ActiveExpiry.cycleBudget) -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + budget
        let shards = keyspace.shards
        let first = nextShard.load(ordering: .relaxed)
        var deleted = 0
        for offset in 0..<shards.count {
            let index = (first + offset) % shards.count
            while true {
                let (examined, expired) = shards[index].withState { state in state.sweepExpired(examining: Self.keysPerLoop) }
                deleted += expired
                if examined == 0 || expired * 4 <= examined || clock.now >= deadline { break }
            }
            if clock.now >= deadline {
                nextShard.store(index, ordering: .relaxed)
                break
            }
        }
        if deleted > 0 { swept.add(deleted, ordering: .relaxed) }
        return deleted
    }
}

extension ShardState {
    /// A step of the active sweep: walks slots from the expiry cursor until it has
    /// examined `count` keys with a deadline (or gone round the table once), deleting
    /// those past it unless another owner holds them. Returns how many keys with a
    /// deadline it examined and how many it deleted.
    mutating func sweepExpired(examining count: Int) -> (examined: Int, expired: Int) {
        guard !expires.isEmpty, locks.wholeShardOwner == 0 else { return (0, 0) }
        let now = clock.nowMilliseconds()
        var examined = 0, expired = 0, visited = 0
        // A removal may shrink the table: its size is read again every step.
        while examined < count && visited < table.positions {
            if expireCursor >= table.positions { expireCursor = 0 }
            let slot = expireCursor
            visited += 1
            guard !table.isFree(slot), table[slot].hasExpire else {
                expireCursor += 1
                continue
            }
            examined += 1
            if let d = deadline(slot: slot), d <= now, !locks.isHeld(table[slot].key.byteString, byOtherThan: .none) {
                recordEvent(.expired, "expired", slot: slot)
                delete(slot: slot)
                expiredKeys += 1
                expired += 1
                // A removal shifts the rest of the cluster back: the cursor stays.
            } else {
                expireCursor += 1
            }
        }
        return (examined, expired)
    }
}
