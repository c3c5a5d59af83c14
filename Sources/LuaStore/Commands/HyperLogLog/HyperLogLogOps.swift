import LuaStoreCore

/// The HyperLogLog family's operations, shared by the command handlers, the typed API and
/// `redis.call`. The values are strings in Redis's format (``HyperLogLog``).
extension KeyspaceAccess {
    /// PFADD: adds `elements`; true if a register changed or the key was created.
    /// - Throws: ``StoreError/wrongType`` for another type; ``StoreError/notHyperLogLog``
    ///   for a string that is not a HyperLogLog; ``StoreError/corruptHyperLogLog`` for a
    ///   corrupt sparse one (after the elements before the corruption was found, as Redis).
    func pfadd(_ key: ByteString, _ elements: [ByteString]) throws(StoreError) -> Bool {
        try withKey(key, access: .write) { (s, h) throws(StoreError) -> Bool in
            guard let slot = s.lookup(key, hash: h) else {
                var created = HyperLogLog.empty()
                guard Self.add(elements, to: &created) >= 0 else { throw .corruptHyperLogLog }
                // Creating the key counts as a change: the cache is marked stale.
                HyperLogLog.invalidateCache(&created)
                s.store(key, hash: h, value: .string(ByteString(created)), keepTTL: false, at: nil)
                return true
            }
            let value = s.table[slot].value
            let encoding = try Self.hyperLogLogEncoding(value)
            if encoding == HyperLogLog.dense {
                // Dense: the registers change in place.
                return try s.withMutableString(slot: slot) { bytes in
                    var updated = false
                    for element in elements {
                        let (index, count) = element.withUnsafeBytes { HyperLogLog.pattern($0) }
                        if HyperLogLog.denseSet(bytes, index, count) { updated = true }
                    }
                    if updated { bytes[15] |= 0x80 }
                    return updated
                }
            }
            var edited = value.stringBytes!.bytes
            let updated = Self.add(elements, to: &edited)
            if updated > 0 || updated == -2 { s.replaceValue(slot: slot, with: .string(ByteString(edited))) }
            guard updated >= 0 else { throw .corruptHyperLogLog }
            return updated > 0
        }
    }

    /// PFCOUNT: the estimated cardinality of the union of `keys` (missing keys are empty).
    /// With one key, a stale cached cardinality is recomputed and stored in the value, as
    /// Redis does (so GET shows the new cache bytes).
    /// - Throws: as ``pfadd(_:_:)``.
    func pfcount(_ keys: [ByteString]) throws(StoreError) -> Int64 {
        if keys.count == 1 {
            let key = keys[0]
            return try withKey(key, access: .read) { (s, h) throws(StoreError) -> Int64 in
                guard let slot = s.lookup(key, hash: h) else { return 0 }
                _ = try Self.hyperLogLogEncoding(s.table[slot].value)
                let cached = s.table[slot].value.withStringBytes { HyperLogLog.cachedCardinality($0) }!
                if let cached { return Int64(bitPattern: cached) }
                let card = try s.withMutableString(slot: slot) { bytes -> UInt64? in
                    guard let card = HyperLogLog.count(UnsafeRawBufferPointer(bytes)) else { return nil }
                    HyperLogLog.setCachedCardinality(bytes, card)
                    return card
                }
                guard let card else { throw .corruptHyperLogLog }
                return Int64(bitPattern: card)
            }
        }
        return try withKeys(keys, access: Array(repeating: .read, count: keys.count)) { (locked) throws(StoreError) -> Int64 in
            var registers = [UInt8](repeating: 0, count: HyperLogLog.registerCount)
            _ = try Self.mergeHyperLogLogs(keys, in: locked, into: &registers)
            return Int64(bitPattern: HyperLogLog.count(registers: registers))
        }
    }

    /// PFMERGE: stores the union of `destination` and `sources` at `destination` (created
    /// if missing, dense if any input is dense; its TTL is kept).
    /// - Throws: as ``pfadd(_:_:)``.
    func pfmerge(_ destination: ByteString, _ sources: [ByteString]) throws(StoreError) {
        let keys = [destination] + sources
        let access = [KeyAccess.write] + Array(repeating: KeyAccess.read, count: sources.count)
        try withKeys(keys, access: access) { (locked) throws(StoreError) in
            var registers = [UInt8](repeating: 0, count: HyperLogLog.registerCount)
            let anyDense = try Self.mergeHyperLogLogs(keys, in: locked, into: &registers)
            let h = destination.storeHash
            let slot = locked[h].lookup(destination, hash: h)
            var target = slot.flatMap { locked[h].table[$0].value.stringBytes?.bytes } ?? HyperLogLog.empty()
            if anyDense && target[4] == HyperLogLog.sparse {
                guard let converted = target.withUnsafeBytes({ HyperLogLog.sparseToDense($0) }) else { throw .corruptHyperLogLog }
                target = converted
            }
            for (index, value) in registers.enumerated() where value != 0 {
                if target[4] == HyperLogLog.dense {
                    _ = target.withUnsafeMutableBytes { HyperLogLog.denseSet($0, index, value) }
                } else {
                    _ = HyperLogLog.sparseSet(&target, index, value)
                }
            }
            HyperLogLog.invalidateCache(&target)
            let value = Value.string(ByteString(target))
            if let slot { locked[h].replaceValue(slot: slot, with: value) } else {
                locked[h].store(destination, hash: h, value: value, keepTTL: false, at: nil)
            }
        }
    }

    // MARK: Helpers

    /// The encoding byte of a HyperLogLog value.
    /// - Throws: ``StoreError/wrongType``, ``StoreError/notHyperLogLog``.
    static func hyperLogLogEncoding(_ value: Value) throws(StoreError) -> UInt8 {
        guard value.isString else { throw .wrongType }
        // An integer-encoded string is never one (Redis requires a raw string).
        guard case .string(let bytes) = value,
              let encoding = bytes.withUnsafeBytes({ HyperLogLog.isValid($0) ? $0[4] : nil }) else { throw .notHyperLogLog }
        return encoding
    }

    /// Adds `elements` to the HyperLogLog `s` (sparse, turning dense as needed): 1 if a
    /// register changed, 0 if not; for a corrupt `s`, -1 if nothing changed before the
    /// corruption was found, -2 if something did.
    static func add(_ elements: [ByteString], to s: inout [UInt8]) -> Int {
        var updated = 0
        for element in elements {
            let (index, count) = element.withUnsafeBytes { HyperLogLog.pattern($0) }
            let result: Int
            if s[4] == HyperLogLog.dense {
                result = s.withUnsafeMutableBytes { HyperLogLog.denseSet($0, index, count) } ? 1 : 0
            } else {
                result = HyperLogLog.sparseSet(&s, index, count)
            }
            if result < 0 { return updated > 0 ? -2 : -1 }
            if result > 0 { updated = 1 }
        }
        if updated > 0 { HyperLogLog.invalidateCache(&s) }
        return updated
    }

    /// Raises `registers` to every HyperLogLog among `keys` (missing keys skipped); whether
    /// any is dense.
    static func mergeHyperLogLogs(
        _ keys: [ByteString], in locked: LockedShards, into registers: inout [UInt8]
    ) throws(StoreError) -> Bool {
        var anyDense = false
        for key in keys {
            let h = key.storeHash
            guard let slot = locked[h].lookup(key, hash: h) else { continue }
            let value = locked[h].table[slot].value
            if try hyperLogLogEncoding(value) == HyperLogLog.dense { anyDense = true }
            guard value.withStringBytes({ HyperLogLog.merge($0, into: &registers) })! else { throw .corruptHyperLogLog }
        }
        return anyDense
    }
}
