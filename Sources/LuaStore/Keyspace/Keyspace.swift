import LuaStoreCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sharded keyspace: `N` shards (a power of two), a key's shard chosen by the high bits
/// of its hash. No global lock: a single-key operation takes one shard mutex; a multi-key
/// operation takes the mutexes of the shards it touches in ascending index order.
///
/// # Safety
/// `hot` is a raw array, one element per shard, allocated in `init` and freed in `deinit`,
/// holding copies of each shard's lock and its state and hint pointers. They stay valid
/// for the keyspace's whole life because `shards` (a `let`) holds every ``Shard``, and a
/// shard frees its blocks only in its `deinit`. `state.pointee` is reached only with the
/// shard's lock held, or as a shared holder of its read-biased lock for a read that
/// writes nothing (``readKey(_:owner:shared:locked:)``).
///
/// # Thread safety
/// Thread-safe. `hot` is written once in `init` and only read afterwards.
final class Keyspace: @unchecked Sendable {
    let shards: [Shard]
    /// Each shard's mutex and state pointers, for the single-key hot path: reading
    /// `shards[i]` would retain and release the shared `Shard` object on every command,
    /// and two threads doing that bounce its reference count between cores (measured:
    /// 2 threads on one store reached 1.35x one thread, on two stores 1.75x).
    private let hot: UnsafeMutablePointer<(mutex: ReadBiasedLock, state: UnsafeMutablePointer<ShardState>, hint: UnsafePointer<TableHint>)>
    /// A key's shard is `(hash &>> shardShift) & shardMask`: the hash's top bits, in two
    /// instructions (a `hash >> (64 - bits)` with a check for zero bits cost twelve).
    private let shardShift: UInt64
    private let shardMask: Int
    let clock: any StoreClock
    /// Callers suspended in blocking pops, woken by pushes (see ``KeyReadiness``).
    let readiness = KeyReadiness()
    /// The background sweep of expired keys.
    let expiry = ActiveExpiry()
    /// The largest used memory a reading of it saw (INFO's `used_memory_peak`).
    let peakMemory = Atomic<Int>(0)
    /// Keyspace notifications, and the channel subscriptions they publish to.
    let events = KeyspaceEvents(registry: PubSubRegistry())

    init(shardCount: Int, clock: any StoreClock) {
        precondition(shardCount > 0 && shardCount & (shardCount - 1) == 0, "shard count must be a power of two")
        let expiry = expiry
        shards = (0..<shardCount).map { Shard(index: $0, clock: clock, expiry: expiry) }
        shardShift = UInt64(64 - shardCount.trailingZeroBitCount) & 63   // one shard: 0, masked to nothing
        shardMask = shardCount - 1
        self.clock = clock
        hot = .allocate(capacity: shardCount)
        for (i, shard) in shards.enumerated() {
            (hot + i).initialize(to: (shard.shardLock, shard.lockedState, UnsafePointer(shard.hint)))
        }
        expiry.attach(self)
    }

    deinit {
        hot.deallocate()
    }

    @inline(__always)
    func shardIndex(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash &>> shardShift) & shardMask
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
        let (mutex, state, hint) = hot[index]
        // The entry's miss overlaps the lock's, if the lock's line is on the other core.
        hint.pointee.prefetch(hash: hash)
        try lock(index, admitting: key, owner: owner, access: access)
        // A write settles the memory it changed and evicts down to the bound; one that
        // failed changed nothing, so watchers are not told. Keyspace events recorded under
        // the lock (expiry, eviction) publish once it is released.
        let result: R
        do {
            result = try body(&state.pointee, hash)
        } catch {
            if access == .write { state.pointee.finishWrite(key, hash: hash, failed: true) }
            let events = state.pointee.events.take()
            mutex.unlock()
            events?.publish()
            throw error
        }
        if access == .write { state.pointee.finishWrite(key, hash: hash) }
        let events = state.pointee.events.take()
        mutex.unlock()
        events?.publish()
        return result
    }

    /// Plain SET: stores `value` under `key` whatever the key held, and clears its TTL.
    /// Admits any existing type, so it cannot fail.
    @inline(__always)
    func storePlain(_ key: ByteString, _ value: ByteString, owner: Owner) {
        _ = try? withKey(key, owner: owner, access: .write) { (s, h) in
            s.storePlain(key, hash: h, value: .fromBytes(value))
        }
    }

    /// Takes shard `index`'s lock once `key` admits `owner` for `access`, parking in
    /// between while a key lock is in the way. The caller unlocks.
    /// - Throws: ``StoreError/keyHeld`` instead of parking, with the shard unlocked, in a
    ///   call of the async view (``HeldKeyAttempt``).
    @inline(__always)
    private func lock(_ index: Int, admitting key: ByteString, owner: Owner, access: KeyAccess) throws(StoreError) {
        let (mutex, state, _) = hot[index]
        while true {
            mutex.lock()
            if state.pointee.locks.admits(key, owner, access) { return }
            let seen = state.pointee.releaseGeneration
            mutex.unlock()
            try park(index, after: seen)
        }
    }

    /// Waits for a key-lock release in shard `index` after generation `seen`: parks the
    /// thread, or in a call of the async view throws ``StoreError/keyHeld`` so that the
    /// call suspends instead (``HeldKeyAttempt``). Off the fast path: only a caller that
    /// found a key held gets here.
    @inline(never)
    private func park(_ index: Int, after seen: UInt64) throws(StoreError) {
        if let attempt = HeldKeyAttempt.current {
            throw attempt.keyHeld(shard: index, generation: seen)
        }
        shards[index].parking.wait(after: seen)
    }

    /// A read of `key` that skips the shard lock's cache line when it can.
    ///
    /// If the shard is read-biased (``ReadBiasedLock``) and `key` admits `owner` for
    /// reading, `shared` runs without the spin lock, concurrently with other readers: it
    /// must only read, and returns nil when the read needs the lock after all (to delete
    /// an expired key, say). Otherwise `locked` runs as ``withKey(_:owner:access:_:)``
    /// would run it, and its unlock may set the read bias again.
    ///
    /// A reader that found the shard unbiased (or its slot busy) takes the spin lock
    /// without revoking: if the bias came back meanwhile (set by the holder it waited
    /// for), it tries the shared path again instead of revoking what was just granted.
    /// Only a read that needs the lock, or a slot that stays busy, revokes.
    @inline(__always)
    func readKey<R>(
        _ key: ByteString, owner: Owner,
        shared: (borrowing ShardState, UInt64) throws(StoreError) -> R?,
        locked: (inout ShardState, UInt64) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        let hash = key.storeHash
        let index = shardIndex(hash)
        let (mutex, state, hint) = hot[index]
        hint.pointee.prefetch(hash: hash)
        var attempts = 0
        while true {
            if let token = mutex.tryLockShared() {
                let result: R?
                do {
                    result = state.pointee.locks.admits(key, owner, .read) ? try shared(state.pointee, hash) : nil
                } catch {
                    mutex.unlockShared(token)
                    throw error
                }
                mutex.unlockShared(token)
                if let result { return result }
                break    // the read needs the lock
            }
            attempts += 1
            if attempts > 3 { break }    // the slot stays busy
            if mutex.lockUnlessBiased() {
                guard state.pointee.locks.admits(key, owner, .read) else {
                    mutex.unlock()
                    break    // a key lock is in the way: park below
                }
                defer {
                    let events = state.pointee.events.take()
                    mutex.unlockAfterRead()
                    events?.publish()
                }
                return try locked(&state.pointee, hash)
            }
        }
        try lock(index, admitting: key, owner: owner, access: .read)
        defer {
            let events = state.pointee.events.take()
            mutex.unlockAfterRead()
            events?.publish()
        }
        return try locked(&state.pointee, hash)
    }

    /// A read-only `body` on `key`'s live slot (nil when the key is missing), through
    /// ``readKey(_:owner:shared:locked:)``: without the shard lock when the shard is
    /// read-biased, and with it when the key has expired (the locked path deletes it).
    /// `body` runs in either path, so it must only read.
    @inline(__always)
    func readSlot<R>(
        _ key: ByteString, owner: Owner,
        _ body: (borrowing ShardState, Int?) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        try readKey(key, owner: owner, shared: { (s, h) throws(StoreError) -> R? in
            // An access the eviction policy records writes the entry: under the lock.
            if s.eviction.tracksAccess { return nil }
            guard let slot = s.table.find(key, hash: h) else { return try body(s, nil) }
            if s.table[slot].hasExpire && s.isExpired(slot) { return nil }
            return try body(s, slot)
        }, locked: { (s, h) throws(StoreError) -> R in
            let slot = s.lookup(key, hash: h)
            if s.eviction.tracksAccess {
                if slot == nil { s.keyspaceMisses += 1 } else { s.keyspaceHits += 1 }
                s.eviction.recordRead(tag: KeyTable.tag(h))
            }
            return try body(s, slot)
        })
    }

    /// A read-only `body` on the collection `extract` takes out of the value under `key`
    /// (nil when the key is missing), through ``readSlot(_:owner:_:)``. The collection
    /// reads (HGET, LRANGE, SMEMBERS, ZSCORE, ...) write nothing, not even a cache inside
    /// the collection object, so several can run on one shard, and on one collection, at
    /// once; a future read that caches must use ``withKey``.
    /// - Throws: ``StoreError/wrongType`` when the key holds another kind.
    @inline(__always)
    func readCollection<T, R>(
        _ key: ByteString, owner: Owner, _ extract: (Value) -> T?, _ body: (T?) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        try readSlot(key, owner: owner) { (s, slot) throws(StoreError) -> R in
            guard let slot else { return try body(nil) }
            guard let collection = extract(s.table[slot].value) else { throw .wrongType }
            return try body(collection)
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
                if !locked[hashes[i]].locks.admits(key, owner, access[i]) {
                    blocked = (shardIndex(hashes[i]), locked[hashes[i]].releaseGeneration)
                    break
                }
            }
            if let blocked {
                for i in indices.reversed() { shards[i].unlock() }
                try park(blocked.shard, after: blocked.seen)
                continue
            }
            var failed = true
            defer {
                locked.finishWrites(keys, hashes: hashes, access: failed ? nil : access)
                let events = indices.compactMap { shards[$0].lockedState.pointee.events.take() }
                for i in indices.reversed() { shards[i].unlock() }
                for batch in events { batch.publish() }
            }
            let result = try body(&locked)
            failed = false
            return result
        }
    }
}

/// The shards a multi-key operation holds, for the duration of its body.
struct LockedShards {
    let keyspace: Keyspace
    var held: [(Int, UnsafeMutablePointer<ShardState>)] = []

    @inline(__always)
    private func state(_ hash: UInt64) -> UnsafeMutablePointer<ShardState> {
        let index = keyspace.shardIndex(hash)
        for (i, p) in held where i == index { return p }
        preconditionFailure("shard \(index) not locked")
    }

    /// Settles the memory the operation changed under `keys`, records the change of the
    /// watched keys it wrote, and evicts each shard down to its share of the bound
    /// (``ShardState/finishWrite(_:hash:failed:)``).
    /// `access` is nil when the operation failed: it changed nothing, so watchers are not
    /// told.
    func finishWrites(_ keys: [ByteString], hashes: [UInt64], access: [KeyAccess]?) {
        for (index, state) in held {
            if state.pointee.collectionsTouched {
                state.pointee.collectionsTouched = false
                for (i, key) in keys.enumerated() where keyspace.shardIndex(hashes[i]) == index {
                    state.pointee.settle(key, hash: hashes[i])
                }
            }
            if let access, state.pointee.isWatching {
                for (i, key) in keys.enumerated() where access[i] == .write && keyspace.shardIndex(hashes[i]) == index {
                    state.pointee.touchWritten(key, hash: hashes[i])
                }
            }
            if state.pointee.eviction.limit != 0 && state.pointee.usedMemory > state.pointee.eviction.limit {
                _ = state.pointee.evictToLimit()
            }
        }
    }

    /// The locked state of the shard that owns `hash`, in place: `locked[h].lookup(...)`.
    /// Sound for as long as the body of ``Keyspace/withKeys(_:owner:access:_:)`` runs,
    /// which holds every one of these shards' locks.
    subscript(hash: UInt64) -> ShardState {
        @inline(__always) unsafeAddress { UnsafePointer(state(hash)) }
        @inline(__always) nonmutating unsafeMutableAddress { state(hash) }
    }
}
