import LuaStoreCore

/// The hash operations (Redis's t_hash.c), shared by the command handlers and the typed
/// API. A hash whose last field goes is deleted.
extension KeyspaceAccess {
    /// HSET / HMSET: how many fields were new.
    func hset(_ key: ByteString, _ pairs: [(field: ByteString, value: ByteString)]) throws(StoreError) -> Int {
        let added = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            let hash = s.hashForWriting(key, hash: h, existing: try s.hashCollection(key, hash: h)?.fields)
            var added = 0
            for (field, value) in pairs where hash.set(field, to: value) { added += 1 }
            return added
        }
        notify(.hash, "hset", key)
        return added
    }

    /// HSETNX: whether the field was set (it did not exist).
    func hsetnx(_ key: ByteString, _ field: ByteString, _ value: ByteString) throws(StoreError) -> Bool {
        let result = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Bool in
            let found = try s.hashCollection(key, hash: h)?.fields
            if found?.contains(field) == true { return false }
            s.hashForWriting(key, hash: h, existing: found).set(field, to: value)
            return true
        }
        if result { notify(.hash, "hset", key) }
        return result
    }

    /// HGET
    func hget(_ key: ByteString, _ field: ByteString) throws(StoreError) -> ByteString? {
        try readHash(key) { $0?.value(of: field) }
    }

    /// HMGET: one optional value per field (all nil for a missing key).
    func hmget(_ key: ByteString, _ fields: [ByteString]) throws(StoreError) -> [ByteString?] {
        try readHash(key) { hash in
            guard let hash else { return fields.map { _ in nil } }
            return fields.map { hash.value(of: $0) }
        }
    }

    /// HGETALL / HKEYS / HVALS: every entry, in the hash's order (insertion order while
    /// compact, as Redis's listpack).
    func hgetall(_ key: ByteString) throws(StoreError) -> [HashEntry] {
        try readHash(key) { $0?.allEntries ?? [] }
    }

    /// HDEL: how many of `fields` were removed.
    func hdel(_ key: ByteString, _ fields: [ByteString]) throws(StoreError) -> Int {
        var emptied = false
        let removed = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let (slot, hash) = try s.hashCollection(key, hash: h) else { return 0 }
            var removed = 0
            for field in fields where hash.remove(field) { removed += 1 }
            if hash.isEmpty {
                s.delete(slot: slot)
                emptied = true
            }
            return removed
        }
        notifyRemoval(removed, .hash, "hdel", key, emptied: emptied)
        return removed
    }

    /// HEXISTS
    func hexists(_ key: ByteString, _ field: ByteString) throws(StoreError) -> Bool {
        try readHash(key) { $0?.contains(field) ?? false }
    }

    /// HLEN
    func hlen(_ key: ByteString) throws(StoreError) -> Int {
        try readHash(key) { $0?.count ?? 0 }
    }

    /// HSTRLEN: the value's length, 0 if the field or key is missing.
    func hstrlen(_ key: ByteString, _ field: ByteString) throws(StoreError) -> Int {
        try readHash(key) { $0?.value(of: field)?.count ?? 0 }
    }

    /// HINCRBY: the new value.
    /// - Throws: `ERR hash value is not an integer`, or ``StoreError/overflow``.
    func hincrby(_ key: ByteString, _ field: ByteString, _ delta: Int64) throws(StoreError) -> Int64 {
        let result = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int64 in
            let found = try s.hashCollection(key, hash: h)?.fields
            var current: Int64 = 0
            if let text = found?.value(of: field) {
                guard let v = text.int64Value else { throw .hashValueNotInteger }
                current = v
            }
            let (result, overflow) = current.addingReportingOverflow(delta)
            if overflow { throw .overflow }
            s.hashForWriting(key, hash: h, existing: found).set(field, to: ByteString(result))
            return result
        }
        notify(.hash, "hincrby", key)
        return result
    }

    /// HINCRBYFLOAT: the new value as Redis formats it (`long double`, as INCRBYFLOAT).
    /// - Throws: ``StoreError/incrementNaNOrInfinity`` for such a `delta` (before the key
    ///   is read), ``StoreError/hashValueNotFloat``, or ``StoreError/notFloatIncrNaNOrInf``.
    func hincrbyfloat(_ key: ByteString, _ field: ByteString, _ delta: LongDouble) throws(StoreError) -> ByteString {
        guard delta.isFinite else { throw .incrementNaNOrInfinity }
        let result = try withKey(key, access: .write) { (s, h) throws(StoreError) -> ByteString in
            let found = try s.hashCollection(key, hash: h)?.fields
            var current: LongDouble = 0
            if let text = found?.value(of: field) {
                guard let v = LongDoubleText.parse(text) else { throw .hashValueNotFloat }
                current = v
            }
            let result = current + delta
            guard result.isFinite else { throw .notFloatIncrNaNOrInf }
            let formatted = LongDoubleText.format(result)
            s.hashForWriting(key, hash: h, existing: found).set(field, to: formatted)
            return formatted
        }
        notify(.hash, "hincrbyfloat", key)
        return result
    }

    /// HRANDFIELD: with `count` nil one random entry (nil if the key is missing); otherwise
    /// the entries `RandomSelection` picks for `count` (empty if missing).
    /// Refuses a negative count past ``maxRepeatedRandomCount`` before the key is read.
    func hrandfield(_ key: ByteString, count: Int?) throws(StoreError) -> [HashEntry]? {
        if let count { try checkRepeatedRandomCount(count, else: .valueOutOfRangeUnbounded) }
        return try readHash(key) { hash -> [HashEntry]? in
            guard let hash else { return count == nil ? nil : [] }
            var rng = SystemRandomNumberGenerator()
            guard let count else { return hash.randomEntry(using: &rng).map { [$0] } }
            return hash.randomEntries(count: count, using: &rng)
        }
    }

    /// HSCAN: one page from `cursor` (see ``HashValue/scan(cursor:count:)``), its entries
    /// filtered on the field by `pattern` (nil: all) after fetching, as Redis does; nil for
    /// a missing key.
    /// - Complexity: O(count) for a hashtable hash, O(n) for listpack.
    func hscan(
        _ key: ByteString, cursor: UInt64, count: Int, pattern: ByteString?
    ) throws(StoreError) -> (cursor: UInt64, entries: [HashEntry])? {
        try readHash(key) { hash -> (cursor: UInt64, entries: [HashEntry])? in
            guard let hash else { return nil }
            var page = hash.scan(cursor: cursor, count: count)
            if let pattern { page.entries.removeAll { !GlobPattern.matches(pattern, $0.field) } }
            return page
        }
    }

    /// Every entry whose field matches `pattern` (nil: all), in one locked pass: the typed
    /// API's complete HSCAN iteration. nil for a missing key.
    /// - Complexity: O(n)
    func hscan(_ key: ByteString, pattern: ByteString?) throws(StoreError) -> [HashEntry]? {
        try readHash(key) { hash -> [HashEntry]? in
            guard let hash else { return nil }
            guard let pattern else { return hash.allEntries }
            return hash.allEntries.filter { GlobPattern.matches(pattern, $0.field) }
        }
    }
}

extension KeyspaceAccess {
    /// A read-only `body` on the hash under `key` (nil when the key is missing), through
    /// ``readCollection(_:_:_:)``: without the shard lock when the shard is read-biased.
    /// - Throws: ``StoreError/wrongType`` if the key holds another type.
    @inline(__always)
    func readHash<R>(_ key: ByteString, _ body: (HashValue?) throws(StoreError) -> R) throws(StoreError) -> R {
        try readCollection(key, { if case .hash(let v) = $0 { v } else { nil } }, body)
    }
}

extension ShardState {
    /// The hash under `key` and its slot, nil if the key is missing.
    /// - Throws: ``StoreError/wrongType`` if the key holds another type.
    @inline(__always)
    mutating func hashCollection(_ key: ByteString, hash: UInt64) throws(StoreError) -> (slot: Int, fields: HashValue)? {
        try collection(key, hash: hash) { if case .hash(let v) = $0 { v } else { nil } }.map { (slot: $0.0, fields: $0.1) }
    }

    /// `existing`, or a new empty hash stored under `key` (created only once the command is
    /// known to succeed, so a failed one leaves no empty key behind).
    mutating func hashForWriting(_ key: ByteString, hash: UInt64, existing: HashValue?) -> HashValue {
        if let existing { return existing }
        let created = HashValue()
        store(key, hash: hash, value: .hash(created))
        return created
    }
}
