import LuaStoreCore
import LuaStoreScripting

/// Key locks held across commands: Swift transactions and atomic scripts.
///
/// ## Lock order
/// Locks are taken in one global order: shard index, then key hash, then key bytes. A
/// holder takes the keys of one shard under that shard's mutex, all or none, and moves to
/// the next shard only once it holds them; so two holders never wait for each other in a
/// cycle. A holder that finds a key taken gives back that shard's keys, waits on the
/// shard's parking place for a release, and tries the shard again (it keeps the shards
/// it already holds: they come earlier in the order).
///
/// ## Cost
/// An atomic script takes its locks once per run, so this path is per script: it uses
/// one array (the ordered requests, kept in ``HeldLocks`` for the release), no hashing
/// beyond each key's store hash, and no dictionaries of its own.
extension Keyspace {
    /// A set of key locks to take together.
    struct LockRequest {
        var keys: [ByteString] = []
        var exclusive: [Bool] = []
        /// Take every shard (atomic scripts that may touch undeclared keys).
        var wholeStore = false
    }

    /// Takes the requested locks for `owner`, waiting as needed (see the lock order
    /// above). Duplicate keys are merged; exclusive wins.
    /// - Complexity: O(K log K) for K keys, plus waiting.
    func acquire(_ request: LockRequest, owner: Owner) -> HeldLocks {
        // Without a cancellation, no wait gives up.
        acquire(request, owner: owner, unless: nil)!
    }

    /// ``acquire(_:owner:)`` that gives up when `cancellation` is cancelled while it
    /// waits: it then releases what it took and returns nil.
    func acquire(_ request: LockRequest, owner: Owner, unless cancellation: ScriptCancellation?) -> HeldLocks? {
        func wait(_ shard: Shard, after seen: UInt64) -> Bool {
            guard let cancellation else {
                shard.parking.wait(after: seen)
                return true
            }
            return shard.parking.wait(after: seen, unless: cancellation)
        }
        if request.wholeStore {
            for (index, shard) in shards.enumerated() {
                while true {
                    let seen: UInt64? = shard.withState { s in
                        s.locks.acquireWholeShard(owner) ? nil : s.releaseGeneration
                    }
                    guard let seen else { break }
                    guard wait(shard, after: seen) else {
                        for taken in shards[..<index] { taken.release(wholeShardOf: owner) }
                        return nil
                    }
                }
            }
            return HeldLocks(owner: owner, entries: [], wholeStore: true)
        }
        let entries = orderedEntries(request)
        var start = 0
        while start < entries.count {
            let index = entries[start].shard
            var end = start + 1
            while end < entries.count && entries[end].shard == index { end += 1 }
            let shard = shards[index]
            while true {
                let seen: UInt64? = shard.withState { s -> UInt64? in
                    for k in start..<end {
                        if !s.locks.acquire(entries[k].key, owner, exclusive: entries[k].exclusive) {
                            for taken in start..<k { s.locks.release(entries[taken].key, owner) }
                            return s.releaseGeneration
                        }
                    }
                    return nil
                }
                guard let seen else { break }
                guard wait(shard, after: seen) else {
                    release(HeldLocks(owner: owner, entries: Array(entries[..<start]), wholeStore: false))
                    return nil
                }
            }
            start = end
        }
        return HeldLocks(owner: owner, entries: entries, wholeStore: false)
    }

    /// Releases what ``acquire(_:owner:)`` took, one shard at a time, waking waiters.
    func release(_ held: HeldLocks) {
        if held.wholeStore {
            for shard in shards { shard.release(wholeShardOf: held.owner) }
            return
        }
        let entries = held.entries
        var start = 0
        while start < entries.count {
            let index = entries[start].shard
            var end = start + 1
            while end < entries.count && entries[end].shard == index { end += 1 }
            shards[index].release(entries[start..<end], owner: held.owner)
            start = end
        }
    }

    /// The request's keys in the global lock order, duplicates merged.
    private func orderedEntries(_ request: LockRequest) -> [HeldLocks.Entry] {
        var entries: [HeldLocks.Entry] = []
        entries.reserveCapacity(request.keys.count)
        for (i, key) in request.keys.enumerated() {
            let hash = key.storeHash
            entries.append(HeldLocks.Entry(key: key, hash: hash, shard: shardIndex(hash), exclusive: request.exclusive[i]))
        }
        if entries.count <= 16 {
            // Insertion sort: scripts declare a handful of keys, and this allocates nothing.
            var i = 1
            while i < entries.count {
                var j = i
                while j > 0 && entries[j].precedes(entries[j - 1]) {
                    entries.swapAt(j, j - 1)
                    j -= 1
                }
                i += 1
            }
        } else {
            entries.sort { $0.precedes($1) }
        }
        // Equal keys are now adjacent: merge them.
        var out = 0
        for k in entries.indices {
            if out > 0 && entries[out - 1].hash == entries[k].hash && entries[out - 1].key == entries[k].key {
                entries[out - 1].exclusive = entries[out - 1].exclusive || entries[k].exclusive
            } else {
                if out != k { entries[out] = entries[k] }
                out += 1
            }
        }
        entries.removeLast(entries.count - out)
        return entries
    }
}

/// Locks taken by ``Keyspace/acquire(_:owner:)``, in the global lock order.
struct HeldLocks: Sendable {
    struct Entry: Sendable {
        let key: ByteString
        let hash: UInt64
        let shard: Int
        var exclusive: Bool

        /// The global lock order: shard, hash, bytes.
        @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            if shard != other.shard { return shard < other.shard }
            if hash != other.hash { return hash < other.hash }
            return key < other.key
        }
    }

    let owner: Owner
    let entries: [Entry]
    let wholeStore: Bool

    /// The keys held, in lock order.
    var keys: [ByteString] { entries.map(\.key) }
}
