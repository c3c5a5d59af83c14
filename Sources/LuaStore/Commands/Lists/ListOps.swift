import LuaStoreCore

/// An end of a list: LEFT is the head, RIGHT the tail.
public enum ListEnd: Sendable {
    case left, right
}

/// The list family's operations, shared by the command handlers, the typed API and the
/// blocking pops. Each runs inside the shard(s) of its keys; a list that becomes empty is
/// deleted before the lock is released, so no caller ever sees an empty list. Operations
/// that add elements call ``Keyspace/signalKeyReady(_:)`` after releasing the lock.
extension KeyspaceAccess {
    /// LPUSH / RPUSH, and LPUSHX / RPUSHX with `onlyIfExists`: the new length (0 when
    /// `onlyIfExists` and the key is missing).
    func push(
        _ key: ByteString, _ elements: ArraySlice<ByteString>, to end: ListEnd, onlyIfExists: Bool = false
    ) throws(StoreError) -> Int {
        let length = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            let list: ListValue
            if let (_, existing) = try s.list(key, hash: h) {
                list = existing
            } else {
                if onlyIfExists || elements.isEmpty { return 0 }
                list = ListValue()
                s.store(key, hash: h, value: .list(list), keepTTL: false, at: nil)
            }
            if end == .left {
                for e in elements { list.pushFront(e) }
            } else {
                for e in elements { list.pushBack(e) }
            }
            return list.count
        }
        if length > 0 && !elements.isEmpty {
            signalKeyReady(key)
            notify(.list, end == .left ? "lpush" : "rpush", key)
        }
        return length
    }

    /// LPOP / RPOP: up to `count` elements from `end` (tail first for RIGHT), or nil when
    /// the key is missing.
    func pop(_ key: ByteString, from end: ListEnd, count: Int) throws(StoreError) -> [ByteString]? {
        var emptied = false
        let out = try withKey(key, access: .write) { (s, h) throws(StoreError) -> [ByteString]? in
            guard let (slot, list) = try s.list(key, hash: h) else { return nil }
            let out = end == .left ? list.popFront(count) : list.popBack(count)
            if list.isEmpty {
                s.delete(slot: slot)
                emptied = true
            }
            return out
        }
        if let out, !out.isEmpty {
            notify(.list, end == .left ? "lpop" : "rpop", key)
            if emptied { notify(.generic, "del", key) }
        }
        return out
    }

    /// LLEN
    func llen(_ key: ByteString) throws(StoreError) -> Int {
        try readList(key) { $0?.count ?? 0 }
    }

    /// LRANGE
    func lrange(_ key: ByteString, start: Int, stop: Int) throws(StoreError) -> [ByteString] {
        try readList(key) { $0?.range(start: start, stop: stop) ?? [] }
    }

    /// LINDEX
    func lindex(_ key: ByteString, _ index: Int) throws(StoreError) -> ByteString? {
        try readList(key) { $0?.element(at: index) }
    }

    /// LSET
    func lset(_ key: ByteString, _ index: Int, _ element: ByteString) throws(StoreError) {
        try withKey(key, access: .write) { (s, h) throws(StoreError) in
            guard let (_, list) = try s.list(key, hash: h) else { throw .noSuchKey }
            try list.set(element, at: index)
        }
        notify(.list, "lset", key)
    }

    /// LINSERT: the new length, -1 when `pivot` is absent, 0 when the key is missing.
    func linsert(
        _ key: ByteString, before: Bool, pivot: ByteString, _ element: ByteString
    ) throws(StoreError) -> Int {
        let length = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let (_, list) = try s.list(key, hash: h) else { return 0 }
            return list.insert(element, before: before, pivot: pivot) ? list.count : -1
        }
        if length > 0 {
            signalKeyReady(key)
            notify(.list, "linsert", key)
        }
        return length
    }

    /// LREM: the number of elements removed.
    func lrem(_ key: ByteString, count: Int, _ element: ByteString) throws(StoreError) -> Int {
        var emptied = false
        let result = try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            guard let (slot, list) = try s.list(key, hash: h) else { return 0 }
            let removed = list.remove(element, count: count)
            if list.isEmpty {
                s.delete(slot: slot)
                emptied = true
            }
            return removed
        }
        notifyRemoval(result, .list, "lrem", key, emptied: emptied)
        return result
    }

    /// LTRIM
    func ltrim(_ key: ByteString, start: Int, stop: Int) throws(StoreError) {
        try withKey(key, access: .write) { (s, h) throws(StoreError) in
            guard let (slot, list) = try s.list(key, hash: h) else { return }
            list.trim(start: start, stop: stop)
            if list.isEmpty { s.delete(slot: slot) }
        }
    }

    /// LPOS: matching indices in scan order (see ``ListValue/positions(of:rank:count:maxLength:)``);
    /// nil when the key is missing. Refuses a zero `rank`, a negative `count` or
    /// `maxLength` before the key is read.
    func lpos(
        _ key: ByteString, _ element: ByteString, rank: Int, count: Int, maxLength: Int
    ) throws(StoreError) -> [Int]? {
        guard rank != 0 else { throw .rankZero }
        guard count >= 0 else { throw .countNegative }
        guard maxLength >= 0 else { throw .maxlenNegative }
        return try readList(key) { $0?.positions(of: element, rank: rank, count: count, maxLength: maxLength) }
    }

    /// LMOVE / RPOPLPUSH: moves one element from `source`'s `from` end to `destination`'s
    /// `to` end, atomically; nil when `source` is missing. The destination's type is
    /// checked before anything moves. `source == destination` rotates the list.
    func lmove(
        _ source: ByteString, _ destination: ByteString, from: ListEnd, to: ListEnd
    ) throws(StoreError) -> ByteString? {
        let moved = try withKeys([source, destination], access: [.write, .write]) {
            (set) throws(StoreError) -> ByteString? in
            let hs = source.storeHash, hd = destination.storeHash
            guard let list = try set[hs].list(source, hash: hs)?.list else { return nil }
            let target = try set[hd].list(destination, hash: hd)?.list
            guard let element = (from == .left ? list.popFront(1) : list.popBack(1)).first else { return nil }
            // Delete an emptied source before storing a new destination, and by key: the
            // destination's lookup may have moved the source's slot (see KeyTable).
            if list.isEmpty && source != destination { set[hs].delete(source, hash: hs) }
            let destinationList: ListValue
            if let target {
                destinationList = target
            } else {
                destinationList = ListValue()
                set[hd].store(destination, hash: hd, value: .list(destinationList), keepTTL: false, at: nil)
            }
            if to == .left { destinationList.pushFront(element) } else { destinationList.pushBack(element) }
            return element
        }
        if moved != nil { signalKeyReady(destination) }
        return moved
    }

    /// LMPOP, and the pop of BLPOP / BRPOP / BLMPOP: pops up to `count` elements from the
    /// first of `keys` that exists, atomically over all of them. A key of another type met
    /// before that is WRONGTYPE, as Redis checks keys in order.
    func mpop(_ keys: [ByteString], from end: ListEnd, count: Int) throws(StoreError) -> (key: ByteString, elements: [ByteString])? {
        try withKeys(keys, access: Array(repeating: .write, count: keys.count)) {
            (set) throws(StoreError) -> (key: ByteString, elements: [ByteString])? in
            for key in keys {
                let h = key.storeHash
                guard let (slot, list) = try set[h].list(key, hash: h) else { continue }
                let out = end == .left ? list.popFront(count) : list.popBack(count)
                if list.isEmpty { set[h].delete(slot: slot) }
                return (key, out)
            }
            return nil
        }
    }
}

extension KeyspaceAccess {
    /// A read-only `body` on the list under `key` (nil when the key is missing), through
    /// ``readCollection(_:_:_:)``: without the shard lock when the shard is read-biased.
    /// - Throws: ``StoreError/wrongType`` if the key holds another type.
    @inline(__always)
    func readList<R>(_ key: ByteString, _ body: (ListValue?) throws(StoreError) -> R) throws(StoreError) -> R {
        try readCollection(key, { if case .list(let v) = $0 { v } else { nil } }, body)
    }
}

extension ShardState {
    /// The list stored under `key` and its slot; nil when the key is missing.
    /// - Throws: ``StoreError/wrongType`` when the key holds another type.
    @inline(__always)
    mutating func list(_ key: ByteString, hash: UInt64) throws(StoreError) -> (slot: Int, list: ListValue)? {
        try collection(key, hash: hash) { if case .list(let v) = $0 { v } else { nil } }.map { (slot: $0.0, list: $0.1) }
    }
}
