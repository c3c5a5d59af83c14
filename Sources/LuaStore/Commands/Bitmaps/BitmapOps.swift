import LuaStoreCore

/// The bitmap family's operations (Redis's bitops.c), shared by the command handlers, the
/// typed API and `redis.call`. Bitmaps are strings; bit 0 is the most significant bit of
/// byte 0. Writes change the string in place (``ShardState/withMutableString``).
extension KeyspaceAccess {
    /// SETBIT: sets or clears one bit, growing the string with zero bytes to reach it, and
    /// returns the bit's previous value.
    /// - Throws: ``StoreError/bitOffset`` for an offset outside 0..<2^32 (512 MB), before
    ///   the key is read; ``StoreError/wrongType``.
    func setbit(_ key: ByteString, offset: Int64, value: Bool) throws(StoreError) -> Int {
        try BitOffset.check(offset)
        let byte = Int(offset >> 3)
        let mask = UInt8(0x80) >> UInt8(offset & 7)
        return try withKey(key, access: .write) { (s, h) throws(StoreError) -> Int in
            let slot = try Self.bitmapSlot(&s, key, hash: h)
            return try s.withMutableString(slot: slot, minimumCount: byte + 1) { bytes in
                let old = bytes[byte] & mask != 0 ? 1 : 0
                bytes[byte] = value ? bytes[byte] | mask : bytes[byte] & ~mask
                return old
            }
        }
    }

    /// GETBIT: the bit at `offset`, 0 past the end or for a missing key.
    /// - Throws: ``StoreError/bitOffset``; ``StoreError/wrongType``.
    func getbit(_ key: ByteString, offset: Int64) throws(StoreError) -> Int {
        try BitOffset.check(offset)
        return try readBitmap(key, missing: 0) { bytes in
            let byte = Int(offset >> 3)
            guard byte < bytes.count else { return 0 }
            return bytes[byte] & (UInt8(0x80) >> UInt8(offset & 7)) != 0 ? 1 : 0
        }
    }

    /// BITCOUNT: the set bits of the string, or of `range`. `range` is asked for once the
    /// key is known to hold a string, as Redis parses the range after its lookup (a
    /// missing key answers 0 whatever the arguments).
    func bitcount(
        _ key: ByteString, range: () throws(StoreError) -> BitRange?
    ) throws(StoreError) -> Int64 {
        try readBitmap(key, missing: 0) { (bytes) throws(StoreError) -> Int64 in
            guard let range = try range() else { return BitCounting.count(bytes, fromBit: 0, toBit: bytes.count * 8 - 1) }
            let total = Int64(bytes.count) * (range.unit == .bit ? 8 : 1)
            var start = range.start, end = range.end ?? total - 1
            if start < 0 && end < 0 && start > end { return 0 }
            if start < 0 { start += total }
            if end < 0 { end += total }
            start = max(start, 0)
            end = min(max(end, 0), total - 1)
            guard start <= end else { return 0 }
            if range.unit == .byte { return BitCounting.count(bytes, fromBit: Int(start) * 8, toBit: Int(end) * 8 + 7) }
            return BitCounting.count(bytes, fromBit: Int(start), toBit: Int(end))
        }
    }

    /// BITPOS: the position of the first bit equal to `bit`, in the string or in `range`;
    /// -1 when there is none. Looking for a 0 without an explicit end, the string counts
    /// as followed by zero bits (the answer may be its length in bits), as in Redis.
    /// `range` is asked for after the key's lookup and type check, as Redis parses it.
    /// - Throws: ``StoreError/bitposBitNotZeroOrOne`` before the key is read.
    func bitpos(
        _ key: ByteString, bit: Int64, range: () throws(StoreError) -> BitRange?
    ) throws(StoreError) -> Int64 {
        guard bit == 0 || bit == 1 else { throw .bitposBitNotZeroOrOne }
        return try readBitmap(key, missing: bit == 1 ? -1 : 0) { (bytes) throws(StoreError) -> Int64 in
            let n = Int64(bytes.count)
            var first: Int64, last: Int64, endGiven = false
            if let range = try range() {
                let total = range.unit == .bit ? n * 8 : n
                var start = range.start
                var end = range.end ?? (range.unit == .bit ? n * 8 + 7 : n - 1)
                endGiven = range.end != nil
                if start < 0 { start += total }
                if end < 0 { end += total }
                start = max(start, 0)
                end = min(max(end, 0), total - 1)
                guard start <= end else { return -1 }
                (first, last) = range.unit == .bit ? (start, end) : (start * 8, end * 8 + 7)
            } else {
                guard n > 0 else { return -1 }
                (first, last) = (0, n * 8 - 1)
            }
            if let found = BitCounting.firstBit(bit == 1, in: bytes, fromBit: Int(first), toBit: Int(last)) {
                return Int64(found)
            }
            return bit == 0 && !endGiven ? (last / 8 + 1) * 8 : -1
        }
    }

    /// BITOP: stores the bitwise combination of `sources` (missing keys are empty strings,
    /// shorter strings are zero-padded) at `destination`, replacing it and its TTL, and
    /// returns its length; an empty result deletes `destination`.
    /// - Throws: ``StoreError/bitopNotSingleSource`` for NOT with other than one source;
    ///   ``StoreError/wrongType`` when a source is not a string.
    func bitop(
        _ operation: BitOperation, destination: ByteString, sources: [ByteString]
    ) throws(StoreError) -> Int {
        if operation == .not && sources.count != 1 { throw .bitopNotSingleSource }
        let access = [KeyAccess.write] + Array(repeating: KeyAccess.read, count: sources.count)
        return try withKeys([destination] + sources, access: access) { (locked) throws(StoreError) -> Int in
            var inputs: [ByteString] = []
            for key in sources {
                let h = key.storeHash
                guard let slot = locked[h].lookup(key, hash: h) else {
                    inputs.append(ByteString())
                    continue
                }
                guard let bytes = locked[h].table[slot].value.stringBytes else { throw .wrongType }
                inputs.append(bytes)
            }
            let result = BitCounting.combine(inputs, operation)
            let h = destination.storeHash
            let slot = locked[h].lookup(destination, hash: h)
            if result.isEmpty {
                if let slot { locked[h].delete(slot: slot) }
                return 0
            }
            locked[h].store(destination, hash: h, value: .string(result), keepTTL: false, at: slot)
            return result.count
        }
    }

    /// BITFIELD / BITFIELD_RO: runs `operations` in order and answers one value per GET,
    /// SET and INCRBY (nil for a write that OVERFLOW FAIL refused). With any write, the
    /// key is created and grown to the farthest bit written, even when every write fails.
    /// - Throws: ``StoreError/bitOffset`` for an offset outside 512 MB;
    ///   ``StoreError/bitfieldReadOnly`` for a write with `readOnly` (BITFIELD_RO);
    ///   ``StoreError/wrongType``.
    func bitfield(
        _ key: ByteString, _ operations: [BitfieldOperation], readOnly: Bool = false
    ) throws(StoreError) -> [Int64?] {
        var highest: Int64 = -1
        for operation in operations {
            switch operation {
            case .get(_, let offset): try BitOffset.check(offset)
            case .set(let type, let offset, _), .incrBy(let type, let offset, _):
                try BitOffset.check(offset)
                highest = max(highest, offset + Int64(type.bits) - 1)
            case .overflow: break
            }
        }
        guard highest >= 0 else {
            return try readBitmap(key, missing: nil) { bytes in
                Bitfield.run(operations, on: UnsafeMutableRawBufferPointer(mutating: bytes))
            } ?? Bitfield.run(operations, on: UnsafeMutableRawBufferPointer(start: nil, count: 0))
        }
        if readOnly { throw .bitfieldReadOnly }
        let bytesNeeded = Int(highest >> 3) + 1
        return try withKey(key, access: .write) { (s, h) throws(StoreError) -> [Int64?] in
            let slot = try Self.bitmapSlot(&s, key, hash: h)
            return try s.withMutableString(slot: slot, minimumCount: bytesNeeded) { Bitfield.run(operations, on: $0) }
        }
    }

    // MARK: Helpers

    /// The slot of the string at `key`, created empty when missing.
    static func bitmapSlot(_ s: inout ShardState, _ key: ByteString, hash: UInt64) throws(StoreError) -> Int {
        if let slot = s.lookup(key, hash: hash) {
            guard s.table[slot].value.isString else { throw .wrongType }
            return slot
        }
        return s.store(key, hash: hash, value: .string(ByteString()), keepTTL: false, at: nil)
    }

    /// `body` on the bytes of the string at `key` (read path), or `missing` for a missing key.
    func readBitmap<R>(
        _ key: ByteString, missing: R, _ body: (UnsafeRawBufferPointer) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        try readSlot(key) { (s, slot) throws(StoreError) -> R in
            guard let slot else { return missing }
            let value = s.table[slot].value
            guard value.isString else { throw .wrongType }
            let result: Result<R, StoreError> = value.withStringBytes { bytes in
                do throws(StoreError) { return .success(try body(bytes)) } catch { return .failure(error) }
            }!
            return try result.get()
        }
    }
}
