import LuaStoreCore

/// How SINTER, SUNION and SDIFF (and their STORE forms) combine their sets.
enum SetCombination: Sendable {
    case intersection, union, difference
}

/// The set family's operations, shared by the command handlers and the typed API. A set
/// that becomes empty is deleted before the shard lock is released.
extension KeyspaceAccess {
    /// SADD: the number of members added.
    func sadd(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> Int {
        let added = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            let set: SetValue
            if let (_, existing) = try s.set(key, hash: h) {
                set = existing
            } else {
                if members.isEmpty { return 0 }
                set = SetValue()
                s.store(key, hash: h, value: .set(set), keepTTL: false, at: nil)
            }
            var added = 0
            for m in members where set.add(m) { added += 1 }
            return added
        }
        if added > 0 { notify(.set, "sadd", key) }
        return added
    }

    /// SREM: the number of members removed.
    func srem(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> Int {
        var emptied = false
        let removed = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let (slot, set) = try s.set(key, hash: h) else { return 0 }
            var removed = 0
            for m in members where set.remove(m) { removed += 1 }
            if set.isEmpty {
                s.delete(slot: slot)
                emptied = true
            }
            return removed
        }
        notifyRemoval(removed, .set, "srem", key, emptied: emptied)
        return removed
    }

    /// SMEMBERS
    func smembers(_ key: ByteString) throws(StoreError) -> [ByteString] {
        try readSet(key) { $0?.allMembers ?? [] }
    }

    /// SMISMEMBER (and SISMEMBER with one member): membership of each member.
    func smismember(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> [Bool] {
        try readSet(key) { set in
            guard let set else { return members.map { _ in false } }
            return members.map { set.contains($0) }
        }
    }

    /// SCARD
    func scard(_ key: ByteString) throws(StoreError) -> Int {
        try readSet(key) { $0?.count ?? 0 }
    }

    /// SPOP: up to `count` random distinct members removed; nil when the key is missing.
    /// - Throws: ``StoreError/valueMustBePositive`` for a negative count, before the key is read.
    func spop(_ key: ByteString, count: Int) throws(StoreError) -> [ByteString]? {
        guard count >= 0 else { throw .valueMustBePositive }
        var emptied = false
        let result = try withKey(key, access: .write) { (s, h) throws(StoreError) -> [ByteString]? in
            guard let (slot, set) = try s.set(key, hash: h) else { return nil }
            var rng = SystemRandomNumberGenerator()
            let popped = set.popRandom(count: count, using: &rng)
            if set.isEmpty {
                s.delete(slot: slot)
                emptied = true
            }
            return popped
        }
        notifyRemoval(result?.count ?? 0, .set, "spop", key, emptied: emptied)
        return result
    }

    /// SRANDMEMBER: `count >= 0` distinct members, `count < 0` members with repetition;
    /// nil when the key is missing.
    /// - Throws: before the key is read, for `Int.min` (as `getRangeLongFromObjectOrReply`
    ///   with -LONG_MAX...LONG_MAX) and for a negative count past ``maxRepeatedRandomCount``.
    func srandmember(_ key: ByteString, count: Int) throws(StoreError) -> [ByteString]? {
        guard count != Int.min else { throw .valueOutOfRange(min: -Int64.max, max: Int64.max) }
        try checkRepeatedRandomCount(count, else: .valueOutOfRange(min: -maxRepeatedRandomCount, max: Int64.max))
        return try readSet(key) { set -> [ByteString]? in
            guard let set else { return nil }
            var rng = SystemRandomNumberGenerator()
            return set.randomMembers(count: count, using: &rng)
        }
    }

    /// SMOVE: whether `member` moved. Both keys' types are checked first (once the source
    /// is known to exist, as Redis does).
    func smove(_ source: ByteString, _ destination: ByteString, _ member: ByteString) throws(StoreError) -> Bool {
        try withKeys([source, destination], access: [.write, .write]) { (locked) throws(StoreError) -> Bool in
            let hs = source.storeHash, hd = destination.storeHash
            guard let set = try locked[hs].set(source, hash: hs)?.set else { return false }
            let target = try locked[hd].set(destination, hash: hd)?.set
            if source == destination { return set.contains(member) }
            guard set.remove(member) else { return false }
            // Delete an emptied source before storing a new destination, and by key: the
            // destination's lookup may have moved the source's slot (see KeyTable).
            if set.isEmpty { locked[hs].delete(source, hash: hs) }
            if let target {
                target.add(member)
            } else {
                let created = SetValue()
                created.add(member)
                locked[hd].store(destination, hash: hd, value: .set(created), keepTTL: false, at: nil)
            }
            return true
        }
    }

    /// SINTER / SUNION / SDIFF: the combined members. Every key must be a set or missing
    /// (a missing key is an empty set).
    func combine(_ keys: [ByteString], _ combination: SetCombination) throws(StoreError) -> [ByteString] {
        try withKeys(keys, access: Array(repeating: .read, count: keys.count)) { (locked) throws(StoreError) -> [ByteString] in
            Self.combined(try Self.sets(keys, in: locked), combination)
        }
    }

    /// SINTERCARD: the size of the intersection, counting stops at `limit` (0: no limit).
    /// - Throws: ``StoreError/limitNegative`` for a negative limit, before any key is read.
    func sintercard(_ keys: [ByteString], limit: Int) throws(StoreError) -> Int {
        guard limit >= 0 else { throw .limitNegative }
        return try withKeys(keys, access: Array(repeating: .read, count: keys.count)) { (locked) throws(StoreError) -> Int in
            let sets = try Self.sets(keys, in: locked)
            guard let sources = Self.nonEmpty(sets) else { return 0 }
            let smallest = sources.min { $0.count < $1.count }!
            var n = 0
            smallest.forEachStopping { m in
                if sources.allSatisfy({ $0 === smallest || $0.contains(m) }) { n += 1 }
                return limit == 0 || n < limit
            }
            return n
        }
    }

    /// SINTERSTORE / SUNIONSTORE / SDIFFSTORE: stores the combination in `destination`
    /// (replacing any value; deleting it when the result is empty) and returns its size.
    func combineStore(
        _ destination: ByteString, _ keys: [ByteString], _ combination: SetCombination
    ) throws(StoreError) -> Int {
        let access = [KeyAccess.write] + Array(repeating: KeyAccess.read, count: keys.count)
        return try withKeys([destination] + keys, access: access) { (locked) throws(StoreError) -> Int in
            let members = Self.combined(try Self.sets(keys, in: locked), combination)
            let h = destination.storeHash
            let slot = locked[h].lookup(destination, hash: h)
            if members.isEmpty {
                if let slot { locked[h].delete(slot: slot) }
                return 0
            }
            let result = SetValue()
            for m in members { result.add(m) }
            locked[h].store(destination, hash: h, value: .set(result), keepTTL: false, at: slot)
            return result.count
        }
    }

    /// SSCAN: one page from `cursor` (see ``SetValue/scan(cursor:count:)``), its members
    /// filtered by `pattern` (nil: all) after fetching, as Redis does; nil for a missing key.
    /// - Complexity: O(count) for a hashtable set, O(n) for the compact encodings.
    func sscan(
        _ key: ByteString, cursor: UInt64, count: Int, pattern: ByteString?
    ) throws(StoreError) -> (cursor: UInt64, members: [ByteString])? {
        try readSet(key) { set -> (cursor: UInt64, members: [ByteString])? in
            guard let set else { return nil }
            var page = set.scan(cursor: cursor, count: count)
            if let pattern { page.members.removeAll { !GlobPattern.matches(pattern, $0) } }
            return page
        }
    }

    /// The members matching `pattern` (nil: all), in one locked pass: the typed API's
    /// complete SSCAN iteration.
    /// - Complexity: O(n)
    func smembers(_ key: ByteString, matching pattern: ByteString?) throws(StoreError) -> [ByteString]? {
        try readSet(key) { set -> [ByteString]? in
            guard let set else { return nil }
            guard let pattern else { return set.allMembers }
            var out: [ByteString] = []
            set.forEach { if GlobPattern.matches(pattern, $0) { out.append($0) } }
            return out
        }
    }

    /// The set under each key (nil when missing), all type-checked first as Redis does.
    private static func sets(_ keys: [ByteString], in locked: LockedShards) throws(StoreError) -> [SetValue?] {
        var out: [SetValue?] = []
        out.reserveCapacity(keys.count)
        for key in keys {
            let h = key.storeHash
            out.append(try locked[h].set(key, hash: h)?.set)
        }
        return out
    }

    /// All sets when none is missing, else nil (an intersection with a missing key is empty).
    private static func nonEmpty(_ sets: [SetValue?]) -> [SetValue]? {
        var out: [SetValue] = []
        for set in sets {
            guard let set else { return nil }
            out.append(set)
        }
        return out
    }

    private static func combined(_ sets: [SetValue?], _ combination: SetCombination) -> [ByteString] {
        switch combination {
        case .intersection:
            guard let sources = nonEmpty(sets), let smallest = sources.min(by: { $0.count < $1.count }) else { return [] }
            var out: [ByteString] = []
            smallest.forEach { m in
                if sources.allSatisfy({ $0 === smallest || $0.contains(m) }) { out.append(m) }
            }
            return out
        case .union:
            let result = SetValue()
            for set in sets { set?.forEach { result.add($0) } }
            return result.allMembers
        case .difference:
            guard let first = sets.first ?? nil else { return [] }
            let others = sets.dropFirst().compactMap { $0 }
            if others.contains(where: { $0 === first }) { return [] }
            var out: [ByteString] = []
            first.forEach { m in
                if !others.contains(where: { $0.contains(m) }) { out.append(m) }
            }
            return out
        }
    }
}

extension SetValue {
    /// ``forEach(_:)`` that stops once `body` returns false.
    /// - Complexity: O(n)
    func forEachStopping(_ body: (ByteString) -> Bool) {
        for m in allMembers where !body(m) { return }
    }
}

extension KeyspaceAccess {
    /// A read-only `body` on the set under `key` (nil when the key is missing), through
    /// ``readCollection(_:_:_:)``: without the shard lock when the shard is read-biased.
    /// - Throws: ``StoreError/wrongType`` if the key holds another type.
    @inline(__always)
    func readSet<R>(_ key: ByteString, _ body: (SetValue?) throws(StoreError) -> R) throws(StoreError) -> R {
        try readCollection(key, { if case .set(let v) = $0 { v } else { nil } }, body)
    }
}

extension ShardState {
    /// The set stored under `key` and its slot; nil when the key is missing.
    /// - Throws: ``StoreError/wrongType`` when the key holds another type.
    @inline(__always)
    mutating func set(_ key: ByteString, hash: UInt64) throws(StoreError) -> (slot: Int, set: SetValue)? {
        try collection(key, hash: hash) { if case .set(let v) = $0 { v } else { nil } }.map { (slot: $0.0, set: $0.1) }
    }
}
