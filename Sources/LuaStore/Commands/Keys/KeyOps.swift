import LuaStoreCore

/// Condition flags of EXPIRE and friends.
public struct ExpireCondition: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// NX: only if the key has no TTL.
    public static let nx = ExpireCondition(rawValue: 1)
    /// XX: only if the key has a TTL.
    public static let xx = ExpireCondition(rawValue: 2)
    /// GT: only if the new deadline is later (a key without TTL counts as infinite).
    public static let gt = ExpireCondition(rawValue: 4)
    /// LT: only if the new deadline is earlier.
    public static let lt = ExpireCondition(rawValue: 8)
}

/// What TTL/PTTL report for a key.
public enum TimeToLive: Sendable, Equatable {
    case noKey
    case persistent
    /// Milliseconds left (0 at the very deadline).
    case milliseconds(Int64)
}

/// The generic key operations (Redis's db.c and expire.c), shared by handlers and the
/// typed API.
extension KeyspaceAccess {
    /// DEL / UNLINK of one key: whether it existed.
    func delete(_ key: ByteString) throws(StoreError) -> Bool {
        let deleted = try withKey(key, access: .write) { s, h in
            guard let slot = s.lookup(key, hash: h) else { return false }
            s.delete(slot: slot)
            return true
        }
        if deleted { notify(.generic, "del", key) }
        return deleted
    }

    /// EXISTS / TOUCH of one key.
    func exists(_ key: ByteString) throws(StoreError) -> Bool {
        try readSlot(key) { _, slot in slot != nil }
    }

    /// TYPE: "none", "string", "list", "set", "zset", "hash".
    func type(_ key: ByteString) throws(StoreError) -> String {
        try readSlot(key) { s, slot in
            guard let slot else { return "none" }
            return s.table[slot].value.typeName
        }
    }

    /// EXPIRE family with an absolute deadline (Unix ms). Returns whether the TTL was set
    /// (or the key deleted because the deadline has passed).
    func expire(_ key: ByteString, at deadline: Int64, condition: ExpireCondition) throws(StoreError) -> Bool {
        var deleted = false
        let changed = try withKey(key, access: .write) { s, h in
            guard let slot = s.lookup(key, hash: h) else { return false }
            let current = s.deadline(slot: slot)
            if condition.contains(.nx) && current != nil { return false }
            if condition.contains(.xx) && current == nil { return false }
            if condition.contains(.gt) {
                guard let current, deadline > current else { return false }
            }
            if condition.contains(.lt), let current, deadline >= current { return false }
            if deadline <= clock.nowMilliseconds() {
                s.delete(slot: slot)
                deleted = true
            } else {
                s.setDeadline(slot: slot, deadline)
            }
            return true
        }
        if changed { notify(.generic, deleted ? "del" : "expire", key) }
        return changed
    }

    /// TTL / PTTL. Reads a read-biased shard without its lock, as GET does.
    func timeToLive(_ key: ByteString) throws(StoreError) -> TimeToLive {
        try readSlot(key) { s, slot in
            guard let slot else { return .noKey }
            guard let deadline = s.deadline(slot: slot) else { return .persistent }
            return .milliseconds(max(0, deadline - clock.nowMilliseconds()))
        }
    }

    /// EXPIRETIME / PEXPIRETIME: the deadline in Unix ms, `.persistent` or `.noKey`.
    func expireTime(_ key: ByteString) throws(StoreError) -> TimeToLive {
        try readSlot(key) { s, slot in
            guard let slot else { return .noKey }
            guard let deadline = s.deadline(slot: slot) else { return .persistent }
            return .milliseconds(deadline)
        }
    }

    /// PERSIST: whether a TTL was removed.
    func persist(_ key: ByteString) throws(StoreError) -> Bool {
        let persisted = try withKey(key, access: .write) { s, h in
            guard let slot = s.lookup(key, hash: h), s.deadline(slot: slot) != nil else { return false }
            s.setDeadline(slot: slot, nil)
            return true
        }
        if persisted { notify(.generic, "persist", key) }
        return persisted
    }

    /// STICK (Dragonfly): marks existing keys so eviction never drops them; returns how
    /// many keys were newly marked.
    func stick(_ key: ByteString) throws(StoreError) -> Bool {
        try withKey(key, access: .write) { s, h in
            guard let slot = s.lookup(key, hash: h), !s.table[slot].isSticky else { return false }
            s.table[slot].isSticky = true
            return true
        }
    }

    /// RENAME / RENAMENX: moves the value and its TTL. Returns false when `onlyIfAbsent` and
    /// the destination exists.
    func rename(_ source: ByteString, to destination: ByteString, onlyIfAbsent: Bool) throws(StoreError) -> Bool {
        let moved = try renameLocked(source, to: destination, onlyIfAbsent: onlyIfAbsent)
        // A list or sorted set arriving under a key may serve callers blocked on it.
        if moved { signalKeyReady(destination) }
        if moved {
            notify(.generic, "rename_from", source)
            notify(.generic, "rename_to", destination)
        }
        return moved
    }

    private func renameLocked(_ source: ByteString, to destination: ByteString, onlyIfAbsent: Bool) throws(StoreError) -> Bool {
        try withKeys([source, destination], access: [.write, .write]) { (set) throws(StoreError) -> Bool in
            let hs = source.storeHash, hd = destination.storeHash
            guard let slot = set[hs].lookup(source, hash: hs) else { throw .noSuchKey }
            if source == destination { return !onlyIfAbsent }
            // Read the source before looking at the destination: that lookup may delete an
            // expired key and move the source's slot (see KeyTable).
            let entry = set[hs].table[slot]
            let deadline = set[hs].deadline(slot: slot)
            if onlyIfAbsent && set[hd].lookup(destination, hash: hd) != nil { return false }
            set[hs].delete(source, hash: hs)
            let moved = set[hd].store(destination, hash: hd, value: entry.value)
            set[hd].setDeadline(slot: moved, deadline)
            set[hd].table[moved].isSticky = entry.isSticky
            return true
        }
    }

    /// COPY: copies the value (deeply) and its TTL. Returns false if the source is missing,
    /// or the destination exists without `replace`.
    func copy(_ source: ByteString, to destination: ByteString, replace: Bool) throws(StoreError) -> Bool {
        let copied = try copyLocked(source, to: destination, replace: replace)
        if copied { signalKeyReady(destination) }
        return copied
    }

    private func copyLocked(_ source: ByteString, to destination: ByteString, replace: Bool) throws(StoreError) -> Bool {
        try withKeys([source, destination], access: [.read, .write]) { (set) throws(StoreError) -> Bool in
            let hs = source.storeHash, hd = destination.storeHash
            guard let slot = set[hs].lookup(source, hash: hs) else { return false }
            // Read the source first: the destination's lookup may move its slot.
            let original = set[hs].table[slot].value
            let deadline = set[hs].deadline(slot: slot)
            if !replace && set[hd].lookup(destination, hash: hd) != nil { return false }
            let value = original.copied()
            let copiedSlot = set[hd].store(destination, hash: hd, value: value)
            set[hd].setDeadline(slot: copiedSlot, deadline)
            return true
        }
    }

    /// KEYS pattern: every live key matching the glob.
    func keys(matching pattern: ByteString) -> [ByteString] {
        let all = pattern.count == 1 && pattern[0] == UInt8(ascii: "*")
        var out: [ByteString] = []
        for shard in shards {
            shard.withState { s in
                let now = clock.nowMilliseconds()
                for slot in 0..<s.table.positions where !s.table.isFree(slot) {
                    let e = s.table[slot]
                    if e.hasExpire, let d = s.deadline(slot: slot), d <= now { continue }
                    let key = e.key.byteString
                    if all || GlobPattern.matches(pattern, key) { out.append(key) }
                }
            }
        }
        return out
    }

    /// DBSIZE: keys stored, including expired ones not yet collected (as Redis counts).
    var keyCount: Int {
        shards.reduce(0) { total, shard in total + shard.withState { s in s.table.count } }
    }

    /// RANDOMKEY: a random live key.
    func randomKey() -> ByteString? {
        let nonEmpty = shards.filter { $0.withState { s in s.table.count > 0 } }
        guard !nonEmpty.isEmpty else { return nil }
        for _ in 0..<100 {
            let shard = nonEmpty.randomElement()!
            let found: ByteString?? = shard.withState { s -> ByteString?? in
                let n = s.table.positions
                guard s.table.count > 0 else { return .some(nil) }
                for _ in 0..<64 {
                    let slot = Int.random(in: 0..<n)
                    guard !s.table.isFree(slot) else { continue }
                    let key = s.table[slot].key.byteString
                    if s.table[slot].hasExpire && s.isExpired(slot) {
                        s.delete(slot: slot)
                        return .some(nil)
                    }
                    return .some(key)
                }
                return .none
            }
            if case .some(.some(let key)) = found { return key }
        }
        return nil
    }

    /// FLUSHALL / FLUSHDB for this accessor's owner. Never waits for key locks, so it cannot deadlock
    /// with the scripts and transactions holding them, nor inside one (a script that holds
    /// its keys and flushes while another does the same).
    ///
    /// Every shard's mutex is taken in index order, as multi-key commands take theirs, so
    /// no command sees part of the flush. Keys that other owners hold stay until their
    /// holder releases them and are dropped then: the flush takes effect as if it ran
    /// right after those holders finished, which is the order a waiting FLUSHALL would
    /// have given them (see "Whole-store commands" in Docs/Architecture.md).
    func flush() {
        let shards = shards
        for shard in shards { shard.lock() }
        for shard in shards {
            shard.withLockedState { $0.flush(by: owner) }
            shard.unlock()
        }
    }
}
