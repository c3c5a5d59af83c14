import LuaStoreCore

/// How SET decides whether to write.
public enum SetCondition: Sendable {
    case always
    /// NX: only if the key does not exist.
    case ifAbsent
    /// XX: only if the key exists.
    case ifPresent
}

/// The TTL a write leaves on its key.
public enum Expiration: Sendable, Equatable {
    /// Clear any TTL (plain SET).
    case none
    /// KEEPTTL: leave the TTL as it is.
    case keep
    /// A deadline in Unix milliseconds (EX/PX are turned into one).
    case at(milliseconds: Int64)
}

/// The string family's operations, shared by the command handlers and the typed API. Each
/// runs inside one shard (or the locked shards of its keys) and returns typed results.
extension KeyspaceAccess {
    /// GET. Runs without writing the shard lock's line when the shard is read-biased
    /// (``readSlot(_:_:)``); only a key found past its deadline needs the lock, to
    /// delete it.
    @inline(__always)
    func get(_ key: ByteString) throws(StoreError) -> ByteString? {
        try readSlot(key) { (s, slot) throws(StoreError) -> ByteString? in
            guard let slot else { return nil }
            guard let bytes = s.table[slot].value.stringBytes else { throw .wrongType }
            return bytes
        }
    }

    /// Plain SET (no option): stores `value` and clears any TTL. The common write, without
    /// the option checks and the result of ``set(_:_:condition:expiration:get:stick:)``.
    /// Inlined, as GET is, so the store's concrete `set` pays one call frame, not two.
    @inline(__always)
    func set(_ key: ByteString, _ value: ByteString) {
        storePlain(key, value)
    }

    /// SET with its options. Returns whether the value was written and, with `get`, the
    /// previous value.
    func set(
        _ key: ByteString, _ value: ByteString, condition: SetCondition = .always,
        expiration: Expiration = .none, get: Bool = false, stick: Bool = false
    ) throws(StoreError) -> (written: Bool, previous: ByteString?) {
        let result = try withKey(key, access: .write) { (s, h) throws(StoreError) in
            let slot = s.lookup(key, hash: h)
            var previous: ByteString? = nil
            if get, let slot {
                guard let old = s.table[slot].value.stringBytes else { throw .wrongType }
                previous = old
            }
            switch condition {
            case .ifAbsent where slot != nil, .ifPresent where slot == nil: return (false, previous)
            default: break
            }
            let written = s.store(key, hash: h, value: .fromBytes(value), keepTTL: expiration == .keep, at: slot)
            if case .at(let deadline) = expiration { s.setDeadline(slot: written, deadline) }
            if stick { s.table[written].isSticky = true }
            return (true, previous)
        }
        if result.0 {
            notify(.string, "set", key)
            if case .at = expiration { notify(.generic, "expire", key) }
        }
        return result
    }

    /// GETDEL
    func getdel(_ key: ByteString) throws(StoreError) -> ByteString? {
        let bytes = try withKey(key, access: .write) { (s, h) throws(StoreError) -> ByteString? in
            guard let slot = s.lookup(key, hash: h) else { return nil }
            guard let bytes = s.table[slot].value.stringBytes else { throw .wrongType }
            s.delete(slot: slot)
            return bytes
        }
        if bytes != nil { notify(.generic, "del", key) }
        return bytes
    }

    /// GETEX: returns the value and changes the TTL as `expiration` decides once the key
    /// is known to hold a string (`nil`: leave it; `.none`: PERSIST; a deadline already
    /// past deletes the key).
    func getex(
        _ key: ByteString, expiration: () throws(StoreError) -> Expiration?
    ) throws(StoreError) -> ByteString? {
        try withKey(key, access: .write) { (s, h) throws(StoreError) -> ByteString? in
            guard let slot = s.lookup(key, hash: h) else { return nil }
            guard let bytes = s.table[slot].value.stringBytes else { throw .wrongType }
            switch try expiration() {
            case .none?: s.setDeadline(slot: slot, nil)
            case .at(let deadline)?:
                if deadline <= clock.nowMilliseconds() { s.delete(slot: slot) } else { s.setDeadline(slot: slot, deadline) }
            case .keep?, nil: break
            }
            return bytes
        }
    }

    /// MGET: nil for missing keys and keys of other types.
    func mget(_ keys: [ByteString]) -> [ByteString?] {
        (try? withKeys(keys, access: Array(repeating: .read, count: keys.count)) { set in
            keys.map { key -> ByteString? in
                let h = key.storeHash
                guard let slot = set[h].lookup(key, hash: h) else { return nil }
                return set[h].table[slot].value.stringBytes
            }
        }) ?? []
    }

    /// MSET / MSETNX (with `onlyIfNoneExist`): all pairs or none, atomically.
    @discardableResult
    func mset(_ pairs: [(ByteString, ByteString)], onlyIfNoneExist: Bool) -> Bool {
        let keys = pairs.map(\.0)
        let written = (try? withKeys(keys, access: Array(repeating: .write, count: keys.count)) { set in
            if onlyIfNoneExist {
                for key in keys {
                    let h = key.storeHash
                    if set[h].lookup(key, hash: h) != nil { return false }
                }
            }
            for (key, value) in pairs {
                let h = key.storeHash
                set[h].store(key, hash: h, value: .fromBytes(value))
            }
            return true
        }) ?? false
        if written { for key in keys { notify(.string, "set", key) } }
        return written
    }

    /// DECRBY: the new value.
    /// - Throws: ``StoreError/decrementOverflow`` for `Int64.min` (its negation does not
    ///   fit), before the key is read.
    func decrBy(_ key: ByteString, _ decrement: Int64) throws(StoreError) -> Int64 {
        guard decrement != Int64.min else { throw .decrementOverflow }
        return try incrBy(key, -decrement)
    }

    /// INCRBY (and INCR, DECR): the new value.
    func incrBy(_ key: ByteString, _ delta: Int64) throws(StoreError) -> Int64 {
        let result = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int64 in
            let slot = s.lookup(key, hash: h)
            var current: Int64 = 0
            if let slot {
                switch s.table[slot].value {
                case .integer(let v): current = v
                case let value where value.isString:
                    guard let v = value.withStringBytes({ ByteString.parseInt64($0) }) ?? nil else { throw .notInteger }
                    current = v
                default: throw .wrongType
                }
            }
            let (result, overflow) = current.addingReportingOverflow(delta)
            if overflow { throw .overflow }
            if let slot { s.replaceValue(slot: slot, with: .integer(result)) } else { s.store(key, hash: h, value: .integer(result)) }
            return result
        }
        notify(.string, "incrby", key)
        return result
    }

    /// INCRBYFLOAT: the new value as Redis formats it (long double, 17 digits).
    ///
    /// `delta` is asked for once the key is known to hold a string (or to be missing), as
    /// `incrbyfloatCommand` parses the increment after the type check: a bad increment on
    /// a list is WRONGTYPE, not `ERR value is not a valid float`.
    func incrByFloat(_ key: ByteString, delta: () throws(StoreError) -> LongDouble) throws(StoreError) -> ByteString {
        let text = try withKey(key, access: .write) { (s, h) throws(StoreError) -> ByteString in
            let slot = s.lookup(key, hash: h)
            var current: LongDouble = 0
            if let slot {
                let value = s.table[slot].value
                guard value.isString else { throw .wrongType }
                guard let v = value.withStringBytes({ LongDoubleText.parse($0) }) ?? nil else { throw .notFloat }
                current = v
            }
            let result = current + (try delta())
            guard result.isFinite else { throw .notFloatIncrNaNOrInf }
            let text = LongDoubleText.format(result)
            s.store(key, hash: h, value: .fromBytes(text), keepTTL: true)
            return text
        }
        notify(.string, "incrbyfloat", key)
        return text
    }

    /// APPEND: the new length.
    func append(_ key: ByteString, _ suffix: ByteString) throws(StoreError) -> Int {
        let length = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let slot = s.lookup(key, hash: h) else {
                s.store(key, hash: h, value: .fromBytes(suffix))
                return suffix.count
            }
            guard let old = s.table[slot].value.stringBytes else { throw .wrongType }
            guard old.count + suffix.count <= StringLimits.maxBulk else { throw .stringTooLong }
            let joined = old.appending(suffix)
            s.replaceValue(slot: slot, with: .fromBytes(joined))
            return joined.count
        }
        notify(.string, "append", key)
        return length
    }

    /// STRLEN
    func strlen(_ key: ByteString) throws(StoreError) -> Int {
        try readSlot(key) { (s, slot) throws(StoreError) -> Int in
            guard let slot else { return 0 }
            guard let n = s.table[slot].value.stringCount else { throw .wrongType }
            return n
        }
    }

    /// GETRANGE with Redis's index rules (negative from the end, clamped).
    func getrange(_ key: ByteString, start: Int64, end: Int64) throws(StoreError) -> ByteString {
        try readSlot(key) { (s, slot) throws(StoreError) -> ByteString in
            guard let slot else { return ByteString() }
            guard let bytes = s.table[slot].value.stringBytes else { throw .wrongType }
            if start < 0 && end < 0 && start > end { return ByteString() }
            let n = Int64(bytes.count)
            var from = start < 0 ? n + start : start
            var to = end < 0 ? n + end : end
            if from < 0 { from = 0 }
            if to < 0 { to = 0 }
            if to >= n { to = n - 1 }
            if from > to || n == 0 { return ByteString() }
            return bytes.slice(Int(from)..<Int(to + 1))
        }
    }

    /// SETRANGE: the new length.
    /// - Throws: ``StoreError/offsetOutOfRange`` for a negative offset, before the key is read.
    func setrange(_ key: ByteString, offset: Int64, _ patch: ByteString) throws(StoreError) -> Int {
        guard offset >= 0 else { throw .offsetOutOfRange }
        return try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            let slot = s.lookup(key, hash: h)
            var old = ByteString()
            if let slot {
                guard let bytes = s.table[slot].value.stringBytes else { throw .wrongType }
                old = bytes
                if patch.isEmpty { return old.count }
            } else if patch.isEmpty {
                return 0
            }
            // Overflow-safe form of offset + count <= proto-max-bulk-len (offset may be huge).
            guard offset <= Int64(StringLimits.maxBulk) - Int64(patch.count) else { throw .stringTooLong }
            let total = max(old.count, Int(offset) + patch.count)
            var buffer = [UInt8](repeating: 0, count: total)
            old.withUnsafeBytes { o in for i in 0..<o.count { buffer[i] = o[i] } }
            patch.withUnsafeBytes { p in for i in 0..<p.count { buffer[Int(offset) + i] = p[i] } }
            let result = ByteString(buffer)
            if let slot { s.replaceValue(slot: slot, with: .fromBytes(result)) } else { s.store(key, hash: h, value: .fromBytes(result)) }
            return total
        }
    }
}

enum StringLimits {
    /// proto-max-bulk-len: 512 MB.
    static let maxBulk = 512 * 1024 * 1024
}
