import LuaStoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sharded keyspace: `N` shards (a power of two), a key's shard chosen by the high bits
/// of its hash. No global lock: a single-key operation takes one shard mutex; a multi-key
/// operation takes the mutexes of the shards it touches in ascending index order.
///
/// # Thread safety
/// Thread-safe. `hot` is written once in `init` and only read afterwards.
final class Keyspace: @unchecked Sendable {
    let shards: [Shard]
    /// Each shard's mutex and state pointers, for the single-key hot path: reading
    /// `shards[i]` would retain and release the shared `Shard` object on every command,
    /// and two threads doing that bounce its reference count between cores (measured:
    /// 2 threads on one store reached 1.35x one thread, on two stores 1.75x).
    private let hot: UnsafeMutablePointer<(mutex: UnsafeMutablePointer<pthread_mutex_t>, state: UnsafeMutablePointer<ShardState>)>
    private let shardBits: Int
    let clock: any StoreClock
    /// Callers suspended in blocking pops, woken by pushes (see ``KeyReadiness``).
    let readiness = KeyReadiness()

    init(shardCount: Int, clock: any StoreClock) {
        precondition(shardCount > 0 && shardCount & (shardCount - 1) == 0, "shard count must be a power of two")
        shards = (0..<shardCount).map { Shard(index: $0, clock: clock) }
        shardBits = shardCount.trailingZeroBitCount
        self.clock = clock
        hot = .allocate(capacity: shardCount)
        for (i, shard) in shards.enumerated() {
            (hot + i).initialize(to: (shard.mutexPointer, shard.lockedState))
        }
    }

    deinit {
        hot.deallocate()
    }

    @inline(__always)
    func shardIndex(_ hash: UInt64) -> Int {
        shardBits == 0 ? 0 : Int(truncatingIfNeeded: hash >> UInt64(64 - shardBits))
    }

    @inline(__always)
    func shard(for key: ByteString) -> (Shard, UInt64) {
        let h = key.storeHash
        return (shards[shardIndex(h)], h)
    }

    /// Runs `body` on `key`'s shard once the key admits `owner` for `access`.
    @inline(__always)
    func withKey<R>(
        _ key: ByteString, owner: Owner, access: KeyAccess,
        _ body: (inout ShardState, UInt64) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        let hash = key.storeHash
        let index = shardIndex(hash)
        let (mutex, state) = hot[index]
        while true {
            pthread_mutex_lock(mutex)
            guard state.pointee.locks.admits(key, owner, access) else {
                let seen = state.pointee.releaseGeneration
                pthread_mutex_unlock(mutex)
                shards[index].parking.wait(after: seen)
                continue
            }
            defer { pthread_mutex_unlock(mutex) }
            return try body(&state.pointee, hash)
        }
    }

    /// Runs `body` with the shards of all `keys` locked (ascending shard order, so two
    /// multi-key operations never wait for each other in a cycle), once every key admits
    /// `owner` for its access. `access[i]` goes with `keys[i]`.
    func withKeys<R>(
        _ keys: [ByteString], owner: Owner, access: [KeyAccess],
        _ body: (inout LockedShards) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        let hashes = keys.map { $0.storeHash }
        var indices = Array(Set(hashes.map { shardIndex($0) })).sorted()
        if indices.isEmpty { indices = [0] }
        while true {
            var locked = LockedShards(keyspace: self)
            for i in indices {
                shards[i].lock()
                locked.held.append((i, shards[i].lockedState))
            }
            var blocked: (shard: Int, seen: UInt64)? = nil
            for (i, key) in keys.enumerated() {
                let p = locked.state(hashes[i])
                if !p.pointee.locks.admits(key, owner, access[i]) {
                    blocked = (shardIndex(hashes[i]), p.pointee.releaseGeneration)
                    break
                }
            }
            if let blocked {
                for i in indices.reversed() { shards[i].unlock() }
                shards[blocked.shard].parking.wait(after: blocked.seen)
                continue
            }
            defer { for i in indices.reversed() { shards[i].unlock() } }
            return try body(&locked)
        }
    }

    // MARK: Key locks held across commands (transactions, atomic scripts)

    /// A set of key locks to take together.
    struct LockRequest {
        var keys: [ByteString] = []
        var exclusive: [Bool] = []
        /// Take every shard (atomic scripts that may touch undeclared keys).
        var wholeStore = false
    }

    /// Takes the requested locks for `owner`, waiting as needed. Locks are taken in one
    /// global order (shard index, then key hash, then bytes), so two holders never wait
    /// for each other in a cycle.
    func acquire(_ request: LockRequest, owner: Owner) -> HeldLocks {
        if request.wholeStore {
            for shard in shards {
                while true {
                    let seen: UInt64? = shard.withState { s in
                        s.locks.acquireWholeShard(owner) ? nil : s.releaseGeneration
                    }
                    guard let seen else { break }
                    shard.parking.wait(after: seen)
                }
            }
            return HeldLocks(owner: owner, keys: [], wholeStore: true)
        }
        // Merge duplicates (exclusive wins) and sort into the global order.
        var merged: [ByteString: Bool] = [:]
        for (i, key) in request.keys.enumerated() { merged[key] = (merged[key] ?? false) || request.exclusive[i] }
        let ordered = merged.map { (key: $0.key, exclusive: $0.value, hash: $0.key.storeHash) }
            .sorted { a, b in
                let sa = shardIndex(a.hash), sb = shardIndex(b.hash)
                if sa != sb { return sa < sb }
                if a.hash != b.hash { return a.hash < b.hash }
                return a.key < b.key
            }
        var start = 0
        while start < ordered.count {
            let index = shardIndex(ordered[start].hash)
            var end = start
            while end < ordered.count && shardIndex(ordered[end].hash) == index { end += 1 }
            let group = ordered[start..<end]
            let shard = shards[index]
            while true {
                let seen: UInt64? = shard.withState { s -> UInt64? in
                    var taken: [ByteString] = []
                    for item in group {
                        if s.locks.acquire(item.key, owner, exclusive: item.exclusive) {
                            taken.append(item.key)
                        } else {
                            for key in taken { s.locks.release(key, owner) }
                            return s.releaseGeneration
                        }
                    }
                    return nil
                }
                guard let seen else { break }
                shard.parking.wait(after: seen)
            }
            start = end
        }
        return HeldLocks(owner: owner, keys: ordered.map(\.key), wholeStore: false)
    }

    /// Releases what ``acquire(_:owner:)`` took.
    func release(_ held: HeldLocks) {
        if held.wholeStore {
            for shard in shards { shard.release([], wholeShard: true, owner: held.owner) }
            return
        }
        var byShard: [Int: [ByteString]] = [:]
        for key in held.keys { byShard[shardIndex(key.storeHash), default: []].append(key) }
        for (index, keys) in byShard { shards[index].release(keys, wholeShard: false, owner: held.owner) }
    }
}

/// Locks taken by ``Keyspace/acquire(_:owner:)``.
struct HeldLocks: Sendable {
    let owner: Owner
    let keys: [ByteString]
    let wholeStore: Bool
}

/// The shards a multi-key operation holds, for the duration of its body.
struct LockedShards {
    let keyspace: Keyspace
    var held: [(Int, UnsafeMutablePointer<ShardState>)] = []

    /// The locked state of the shard that owns `hash`.
    @inline(__always)
    func state(_ hash: UInt64) -> UnsafeMutablePointer<ShardState> {
        let index = keyspace.shardIndex(hash)
        for (i, p) in held where i == index { return p }
        preconditionFailure("shard \(index) not locked")
    }
}
