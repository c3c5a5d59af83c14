import LuaStoreCore

/// `allkeys-tinylfu`'s admission window: the keys a shard inserted most recently, oldest
/// first (W-TinyLFU's window, as in the Caffeine cache library).
///
/// A new key enters the window and is safe from eviction there; the entries of keys in
/// the window carry ``KeyTable/Entry/inWindow``, so the main region's sampling passes
/// them by. When the window holds more than its share of the shard's keys
/// (``target(keys:)``), its oldest key leaves: while the shard is within its bound it
/// joins the main region, and when the shard must evict, it competes with the main
/// region's sampled LRU victim by sketched frequency and the loser goes
/// (``ShardState/tinyLFUVictim()``). So a key written by a script, held while the script
/// runs, meets the admission filter only after it has left the window, long after the
/// script has ended.
///
/// The window costs one flag bit per entry and this queue of key names (about 1% of the
/// shard's keys). The queue may name a key that has left the table since (it is skipped
/// when it comes out) or name a key twice (deleted and written again: its earlier
/// place makes it leave the window early).
///
/// # Thread safety
/// Not thread-safe: part of a shard's ``EvictionState``, under the shard's lock.
struct AdmissionWindow {
    private var keys: [ByteString] = []
    /// The position of the oldest key in `keys`: removal from the front only moves this,
    /// and the consumed prefix is dropped once it is half the array.
    private var head = 0

    /// Keys queued (stale ones included).
    var count: Int { keys.count - head }

    /// The window's share of a shard holding `keys` keys: 1%, at least one key.
    static func target(keys: Int) -> Int { max(1, keys / 100) }

    mutating func append(_ key: ByteString) { keys.append(key) }

    /// Removes and returns the oldest key.
    mutating func popFirst() -> ByteString? {
        guard head < keys.count else { return nil }
        let key = keys[head]
        head += 1
        if head == keys.count {
            keys.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= keys.count {
            keys.removeFirst(head)
            head = 0
        }
        return key
    }

    /// Empties the queue (a flush; the entries' flags go with their keys).
    mutating func removeAll() {
        keys.removeAll()
        head = 0
    }
}

extension KeyTable.Entry {
    /// Bit 29 of the flags: the key is in the `allkeys-tinylfu` admission window
    /// (``AdmissionWindow``).
    static let windowFlag: UInt32 = 1 << 29

    @inline(__always) var inWindow: Bool {
        get { flags & Self.windowFlag != 0 }
        set { flags = newValue ? flags | Self.windowFlag : flags & ~Self.windowFlag }
    }
}

extension ShardState {
    /// Puts the key just inserted in `slot` at the window's young end, and lets the
    /// window's oldest keys join the main region while the shard is within its bound (past
    /// it, the eviction that follows the write makes them compete instead).
    mutating func enterWindow(_ slot: Int) {
        joinWindow(slot)
        guard eviction.limit == 0 || usedMemory <= eviction.limit else { return }
        while eviction.window.count > AdmissionWindow.target(keys: table.count), let key = eviction.window.popFirst() {
            if let slot = table.find(key, hash: key.storeHash) { table[slot].inWindow = false }
        }
    }

    /// Moves every window key to the main region: the policy is no longer
    /// `allkeys-tinylfu`, and the others sample every key.
    mutating func dissolveWindow() {
        while let key = eviction.window.popFirst() {
            if let slot = table.find(key, hash: key.storeHash) { table[slot].inWindow = false }
        }
    }

    /// The window's oldest key still in it, taken out of the window (its flag cleared),
    /// when the window is over its share; nil otherwise.
    private mutating func leaveWindow() -> Int? {
        while eviction.window.count > AdmissionWindow.target(keys: table.count), let key = eviction.window.popFirst() {
            guard let slot = table.find(key, hash: key.storeHash), table[slot].inWindow else { continue }
            table[slot].inWindow = false
            return slot
        }
        return nil
    }

    /// `allkeys-tinylfu`'s next key to evict. When the window is over its share, its
    /// oldest key leaves it and competes with the main region's victim (the sampled LRU
    /// one): the one the sketch says was read less often goes, the candidate on a tie
    /// (TinyLFU's admission). A candidate that may not be evicted (sticky, or held by a
    /// running script) joins the main region instead, or waits at the window's young end
    /// when held. When the window is within its share, the main region's victim goes; when
    /// the main region has none, the window's oldest evictable key.
    mutating func tinyLFUVictim() -> Int? {
        var tries = 0
        while tries < 8, let candidate = leaveWindow() {
            tries += 1
            if !isEvictable(candidate) {
                if !table[candidate].isSticky { joinWindow(candidate) }
                continue
            }
            guard let main = victim(), let sketch = eviction.sketch else { return candidate }
            if sketch.frequency(UInt64(table[candidate].tag)) > sketch.frequency(UInt64(table[main].tag)) { return main }
            eviction.pool.append((table[main].key.byteString, UInt64.max))    // still the best victim
            return candidate
        }
        if let main = victim() { return main }
        // Only window keys are left to evict: the oldest that may go.
        for _ in 0..<eviction.window.count {
            guard let key = eviction.window.popFirst(), let slot = table.find(key, hash: key.storeHash),
                  table[slot].inWindow else { continue }
            table[slot].inWindow = false
            if isEvictable(slot) { return slot }
            if !table[slot].isSticky { joinWindow(slot) }
        }
        return nil
    }

    /// Puts the key in `slot` at the window's young end (a held key goes back there, to
    /// compete once it is released).
    private mutating func joinWindow(_ slot: Int) {
        table[slot].inWindow = true
        eviction.window.append(table[slot].key.byteString)
    }
}
