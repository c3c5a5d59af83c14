import LuaStoreCore

/// One shard's part of the memory bound: its share of `maxmemory`, the policy, and the
/// eviction pool.
///
/// The bound is split evenly between the shards: a shard whose accounted memory
/// (``ShardState/usedMemory``) passes `maxmemory / shards` after a write evicts from
/// itself, under the lock the write already holds, until it is back under its share. No
/// global counter is written on the write path (it would be one cache line every core
/// writes), and keys spread evenly over the shards by their hash, so the shares fill
/// alike; the store as a whole stays under `maxmemory`.
///
/// # Thread safety
/// Not thread-safe: part of a ``ShardState``, under the shard's lock.
struct EvictionState {
    /// The shard's share of the bound in bytes; 0: no bound.
    var limit = 0
    var policy = EvictionPolicy.noEviction
    var samples = 5
    var lfuLogFactor = 10
    var lfuDecayTime = 1
    /// Whether accesses update each entry's LRU clock or LFU counter: under the LRU and
    /// LFU policies. Then reads take the shard lock (they write the entry).
    var tracksAccess = false
    /// Keys evicted from this shard (INFO's `evicted_keys`).
    var evictedKeys = 0
    /// The best candidates seen so far, by ascending score (Redis's eviction pool).
    var pool: [(key: ByteString, score: UInt64)] = []
    var random = SplitMix64(seed: 0x5EED_E71C)
    /// `allkeys-tinylfu`: the reads' frequencies (hits and misses), by key tag.
    var sketch: FrequencySketch?
    /// `allkeys-tinylfu`: the newest keys, not yet admitted to the main region.
    var window = AdmissionWindow()

    /// Redis's EVPOOL_SIZE.
    static let poolSize = 16

    /// Takes the settings that concern one shard of `shardCount`.
    mutating func configure(_ settings: LuaStore.Settings, shardCount: Int) {
        limit = settings.maxMemory == 0 ? 0 : Int(clamping: max(1, settings.maxMemory / UInt64(shardCount)))
        if policy != settings.evictionPolicy { pool.removeAll() }
        policy = settings.evictionPolicy
        samples = settings.maxMemorySamples
        lfuLogFactor = settings.lfuLogFactor
        lfuDecayTime = settings.lfuDecayTime
        tracksAccess = policy.tracksAccess
        if policy != .allKeysTinyLFU {
            sketch = nil
        } else if sketch == nil {
            // About as many counters as keys of ~64 bytes fit in the share.
            sketch = FrequencySketch(capacity: min(1 << 22, max(1024, limit / 64)))
        }
    }

    /// Records a read of the key with `tag` in the sketch (`allkeys-tinylfu`).
    @inline(__always)
    mutating func recordRead(tag: UInt32) {
        if sketch != nil { sketch!.increment(UInt64(tag)) }
    }
}

extension EvictionPolicy {
    /// Whether the policy picks only among keys with a TTL.
    var isVolatile: Bool {
        self == .volatileLRU || self == .volatileLFU || self == .volatileRandom || self == .volatileTTL
    }

    var isRandom: Bool { self == .allKeysRandom || self == .volatileRandom }

    /// Whether entries carry an access record the policy ranks by.
    var tracksAccess: Bool {
        self == .allKeysLRU || self == .volatileLRU || usesFrequency || self == .allKeysTinyLFU
    }
}

extension ShardState {
    /// Evicts keys by the policy until the shard is within its share of the bound.
    /// Returns false when it is still over: nothing more may be evicted (`noeviction`,
    /// only sticky or held keys, only keys without a TTL under a volatile policy, or the
    /// shard held whole by a script).
    mutating func evictToLimit() -> Bool {
        while usedMemory > eviction.limit {
            guard eviction.policy != .noEviction, locks.wholeShardOwner == 0, let slot = nextVictim() else { return false }
            recordEvent(.evicted, "evicted", slot: slot)
            delete(slot: slot)
            eviction.evictedKeys += 1
        }
        return true
    }

    /// The slot of the key the policy evicts next: `allkeys-tinylfu`'s choice between the
    /// window's oldest key and the main region's victim (``tinyLFUVictim()``), or the
    /// sampled victim of Redis's policies.
    @inline(__always)
    private mutating func nextVictim() -> Int? {
        eviction.policy == .allKeysTinyLFU ? tinyLFUVictim() : victim()
    }

    /// Whether the key in `slot` may be evicted under the current policy (a key in the
    /// `allkeys-tinylfu` window is not sampled: it leaves the window first).
    @inline(__always)
    func isEvictable(_ slot: Int) -> Bool {
        let entry = table[slot]
        guard entry.tag != 0, !entry.isSticky, !entry.inWindow else { return false }
        if eviction.policy.isVolatile && !entry.hasExpire { return false }
        return locks.keys.isEmpty || !locks.isHeld(entry.key.byteString, byOtherThan: .none)
    }

    /// Calls `visit` with up to `count` evictable slots, walking the table from position
    /// `start` (a random one: entries lie in hash order, so neighbours are a random
    /// sample), at most once round it.
    private func sample(_ count: Int, from start: UInt64, _ visit: (Int) -> Void) {
        let positions = table.positions
        guard table.count > 0 else { return }
        var slot = Int(truncatingIfNeeded: start % UInt64(positions))
        var found = 0, visited = 0
        // Stops at the `count`th evictable slot: the walk is O(count) when most keys may go.
        while found < count && visited < positions {
            if isEvictable(slot) {
                visit(slot)
                found += 1
            }
            visited += 1
            slot += 1
            if slot == positions { slot = 0 }
        }
    }

    /// The slot of the key to evict next, or nil when no key may go.
    mutating func victim() -> Int? {
        if eviction.policy.isRandom {
            var chosen: Int? = nil
            sample(1, from: eviction.random.next()) { chosen = $0 }
            return chosen
        }
        let now = clock.nowMilliseconds()
        var candidates: [(ByteString, UInt64)] = []
        let start = eviction.random.next()
        sample(eviction.samples, from: start) { slot in candidates.append((table[slot].key.byteString, score(slot, now: now))) }
        for (key, score) in candidates { addToPool(key, score) }
        while let best = eviction.pool.popLast() {
            if let slot = table.find(best.key, hash: best.key.storeHash), isEvictable(slot) { return slot }
        }
        return nil
    }

    /// How good a victim the key in `slot` is: higher is evicted first.
    private func score(_ slot: Int, now: Int64) -> UInt64 {
        let access = table[slot].access
        switch eviction.policy {
        case .volatileTTL:
            return UInt64.max &- UInt64(bitPattern: deadline(slot: slot) ?? 0)
        case .allKeysTinyLFU:
            // The main region's victim: the least often read by the sketch, then the
            // least recently used.
            let frequency = UInt64(eviction.sketch?.frequency(UInt64(table[slot].tag)) ?? 0)
            return (15 &- frequency) << 40 | min(AccessRecord.idleMilliseconds(access, now: now), (1 << 40) - 1)
        case .allKeysLFU, .volatileLFU:
            return 255 &- UInt64(AccessRecord.decayedCounter(access, now: now, decayTime: eviction.lfuDecayTime))
        default:
            return AccessRecord.idleMilliseconds(access, now: now)
        }
    }

    /// Inserts a candidate into the pool, which keeps the best ``EvictionState/poolSize``.
    private mutating func addToPool(_ key: ByteString, _ score: UInt64) {
        if let existing = eviction.pool.firstIndex(where: { $0.key == key }) { eviction.pool.remove(at: existing) }
        let at = eviction.pool.firstIndex(where: { $0.score > score }) ?? eviction.pool.endIndex
        if eviction.pool.count >= EvictionState.poolSize {
            guard at > 0 else { return }    // worse than every entry of a full pool
            eviction.pool.remove(at: 0)
            eviction.pool.insert((key, score), at: at - 1)
        } else {
            eviction.pool.insert((key, score), at: at)
        }
    }

    /// Records an access to the key in `slot` (Redis's `lookupKey` side effect): its LRU
    /// clock, or its LFU counter incremented logarithmically after decay.
    @inline(__always)
    mutating func touch(_ slot: Int) {
        let now = clock.nowMilliseconds()
        if eviction.policy.usesFrequency {
            table[slot].access = AccessRecord.accessedLFU(
                table[slot].access, now: now, logFactor: eviction.lfuLogFactor, decayTime: eviction.lfuDecayTime,
                random: &eviction.random)
        } else {
            table[slot].access = AccessRecord.lruClock(now)
        }
    }

    /// The access record a new key starts with.
    @inline(__always)
    func initialAccess() -> UInt32 {
        let now = clock.nowMilliseconds()
        return eviction.policy.usesFrequency ? AccessRecord.newLFU(now) : AccessRecord.lruClock(now)
    }
}

/// Redis's 24-bit per-key access field (`robj.lru`), kept in the low bits of an entry's
/// flags: under LRU policies, a clock in seconds; under LFU policies, the last decrement
/// time in minutes (16 bits) and a logarithmic counter (8 bits). Redis's `evict.c`.
enum AccessRecord {
    static let mask: UInt32 = 0xFF_FFFF
    /// Redis's LFU_INIT_VAL.
    static let lfuInitial: UInt32 = 5

    /// LRU_CLOCK: seconds, modulo 2^24.
    @inline(__always)
    static func lruClock(_ now: Int64) -> UInt32 { UInt32(truncatingIfNeeded: now / 1000) & mask }

    /// estimateObjectIdleTime, in milliseconds.
    static func idleMilliseconds(_ record: UInt32, now: Int64) -> UInt64 {
        let clock = lruClock(now)
        let seconds = clock >= record ? clock - record : clock + (mask - record)
        return UInt64(seconds) * 1000
    }

    /// LFUGetTimeInMinutes: minutes, modulo 2^16.
    static func minutes(_ now: Int64) -> UInt32 { UInt32(truncatingIfNeeded: now / 60_000) & 0xFFFF }

    static func newLFU(_ now: Int64) -> UInt32 { minutes(now) << 8 | lfuInitial }

    /// LFUDecrAndReturn: the counter less one per `decayTime` minutes since its last
    /// decrement.
    static func decayedCounter(_ record: UInt32, now: Int64, decayTime: Int) -> UInt32 {
        let last = record >> 8
        let counter = record & 255
        let current = minutes(now)
        let elapsed = current >= last ? current - last : 65535 - last + current
        let periods = decayTime > 0 ? elapsed / UInt32(decayTime) : 0
        return periods > counter ? 0 : counter - periods
    }

    /// LFULogIncr: increments with probability 1 / ((counter - LFU_INIT_VAL) x factor + 1).
    static func logIncrement(_ counter: UInt32, logFactor: Int, random: inout SplitMix64) -> UInt32 {
        guard counter < 255 else { return 255 }
        let r = Double(random.next() >> 11) / Double(1 << 53)
        let base = Double(counter > lfuInitial ? counter - lfuInitial : 0)
        let p = 1.0 / (base * Double(logFactor) + 1)
        return r < p ? counter + 1 : counter
    }

    /// updateLFU: decay, then a logarithmic increment, stamped with the current minute.
    static func accessedLFU(_ record: UInt32, now: Int64, logFactor: Int, decayTime: Int, random: inout SplitMix64) -> UInt32 {
        let counter = logIncrement(decayedCounter(record, now: now, decayTime: decayTime), logFactor: logFactor, random: &random)
        return minutes(now) << 8 | counter
    }
}

extension KeyTable.Entry {
    /// The 24-bit access record (``AccessRecord``) in the low bits of the flags.
    @inline(__always) var access: UInt32 {
        get { flags & AccessRecord.mask }
        set { flags = (flags & ~AccessRecord.mask) | (newValue & AccessRecord.mask) }
    }
}

extension Keyspace {
    /// Hands each shard its share of the bound and the eviction settings.
    func configure(_ settings: LuaStore.Settings) {
        for shard in shards {
            shard.withState { s in
                s.eviction.configure(settings, shardCount: shards.count)
                if s.eviction.sketch == nil { s.dissolveWindow() }
            }
        }
    }
}

extension Keyspace {
    /// Whether the shards of the command's keys (every shard for a command without keys)
    /// are within their share of the bound, after evicting what the policy allows:
    /// false means a deny-oom command must fail with ``StoreError/outOfMemory``.
    func makeRoom(forKeysOf spec: CommandSpec, _ argv: [ByteString]) -> Bool {
        let positions = spec.keyPositions(in: argv) ?? []
        if positions.isEmpty { return shards.allSatisfy { makeRoom(in: $0) } }
        return positions.allSatisfy { makeRoom(in: shards[shardIndex(argv[$0.position].storeHash)]) }
    }

    /// ``makeRoom(forKeysOf:_:)`` for a write to `key` (the typed API's SET).
    func makeRoom(forKey key: ByteString) -> Bool {
        makeRoom(in: shards[shardIndex(key.storeHash)])
    }

    private func makeRoom(in shard: Shard) -> Bool {
        shard.withState { s in
            s.eviction.limit == 0 || s.usedMemory <= s.eviction.limit || s.evictToLimit()
        }
    }
}
