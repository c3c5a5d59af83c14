import LuaStoreCore

/// A run of consecutive stream entries, Redis's listpack node: the first entry's ID and
/// field names (the "master" entry), then each entry as a flags byte, its ID as varint
/// deltas from the master ID, and its fields and values as length-prefixed bytes; an entry
/// with the master's field names stores only its values. A deleted entry keeps its bytes
/// with the deleted flag set, as in Redis, until its whole block goes.
///
/// Blocks split where Redis's nodes do (100 entries, deleted ones included, or 4096 bytes
/// of Redis's listpack encoding, ``listpackBytes``), so approximate trimming (`~`), which
/// removes whole blocks only, removes the same entries as redis-server.
///
/// # Thread safety
/// Not thread-safe: mutated under the owning shard's lock.
final class StreamBlock {
    static let deletedFlag: UInt8 = 1
    static let sameFieldsFlag: UInt8 = 2

    let master: StreamID
    let masterFields: [ByteString]
    private(set) var bytes: [UInt8] = []
    /// Entries not deleted.
    private(set) var live = 0
    /// Entries marked deleted.
    private(set) var deleted = 0
    /// The last entry's ID, deleted or not (`lpGetEdgeStreamID`).
    private(set) var last: StreamID
    /// The bytes Redis's listpack holding these entries would take.
    private(set) var listpackBytes: Int

    init(first id: StreamID, fields: [ByteString]) {
        master = id
        masterFields = fields
        last = id
        // lpNew, count 1, deleted 0, the field count, the fields, the 0 terminator.
        listpackBytes = 7 + 2 * StreamBlock.integerSize(0) + StreamBlock.integerSize(Int64(fields.count))
            + StreamBlock.integerSize(0) + fields.reduce(0) { $0 + StreamBlock.stringSize($1) }
    }

    /// Heap bytes this block owns (memory accounting).
    var footprint: Int {
        128 + bytes.capacity + masterFields.reduce(32 + 16 * masterFields.count) { $0 + $1.heapBytes }
    }

    /// Appends an entry whose ID is above ``last``.
    func append(_ id: StreamID, _ pairs: [(field: ByteString, value: ByteString)]) {
        let sameFields = pairs.count == masterFields.count && zip(pairs, masterFields).allSatisfy { $0.field == $1 }
        bytes.append(sameFields ? StreamBlock.sameFieldsFlag : 0)
        Varint.append(id.ms &- master.ms, to: &bytes)
        Varint.append(Varint.zigzag(Int64(bitPattern: id.seq &- master.seq)), to: &bytes)
        if !sameFields { Varint.append(UInt64(pairs.count), to: &bytes) }
        for (field, value) in pairs {
            if !sameFields { Varint.appendBytes(field, to: &bytes) }
            Varint.appendBytes(value, to: &bytes)
        }
        var size = StreamBlock.integerSize(Int64(sameFields ? 2 : 0))
            + StreamBlock.integerSize(Int64(bitPattern: id.ms &- master.ms))
            + StreamBlock.integerSize(Int64(bitPattern: id.seq &- master.seq))
        if !sameFields { size += StreamBlock.integerSize(Int64(pairs.count)) }
        for (field, value) in pairs {
            if !sameFields { size += StreamBlock.stringSize(field) }
            size += StreamBlock.stringSize(value)
        }
        size += StreamBlock.integerSize(Int64(pairs.count + 3 + (sameFields ? 0 : pairs.count + 1)))
        listpackBytes += size
        live += 1
        last = id
    }

    /// Whether Redis would start a new node for an entry of `pairs`.
    func isFull(for pairs: [(field: ByteString, value: ByteString)]) -> Bool {
        let total = pairs.reduce(0) { $0 + $1.field.count + $1.value.count }
        return listpackBytes + total >= 4096 || live + deleted >= StreamValue.maxEntriesPerBlock
    }

    /// Drops spare capacity once no entry will be appended.
    func seal() {
        bytes = bytes.withUnsafeBufferPointer { Array($0) }
    }

    /// One decoded entry: its offset (of the flags byte), whether it is deleted, its ID and,
    /// when asked for, its pairs.
    struct Item {
        var offset: Int
        var isDeleted: Bool
        var id: StreamID
        var pairs: [(field: ByteString, value: ByteString)]
    }

    /// Calls `body` on each entry in order, deleted ones included, until it returns false.
    /// Pairs are decoded only with `withPairs`.
    func forEach(withPairs: Bool, _ body: (Item) -> Bool) {
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            while i < buffer.count {
                let offset = i
                let flags = buffer[i]
                i += 1
                let ms = master.ms &+ Varint.read(buffer, &i)
                let seq = master.seq &+ UInt64(bitPattern: Varint.unzigzag(Varint.read(buffer, &i)))
                let sameFields = flags & StreamBlock.sameFieldsFlag != 0
                let count = sameFields ? masterFields.count : Int(Varint.read(buffer, &i))
                var pairs: [(field: ByteString, value: ByteString)] = []
                if withPairs { pairs.reserveCapacity(count) }
                for k in 0..<count {
                    let field: ByteString? = sameFields ? masterFields[k] : Varint.readBytes(buffer, &i, keep: withPairs)
                    let value = Varint.readBytes(buffer, &i, keep: withPairs)
                    if withPairs, let field, let value { pairs.append((field, value)) }
                }
                let item = Item(offset: offset, isDeleted: flags & StreamBlock.deletedFlag != 0, id: StreamID(ms: ms, seq: seq), pairs: pairs)
                if !body(item) { return }
            }
        }
    }

    /// Every live entry, in order.
    var liveItems: [Item] {
        var items: [Item] = []
        forEach(withPairs: true) { item in
            if !item.isDeleted { items.append(item) }
            return true
        }
        return items
    }

    /// Marks the entry at `offset` deleted (it must be live).
    func markDeleted(at offset: Int) {
        bytes[offset] |= StreamBlock.deletedFlag
        live -= 1
        deleted += 1
    }

    /// The ID of the first live entry, nil if none.
    var firstLiveID: StreamID? {
        var found: StreamID?
        forEach(withPairs: false) { item in
            if item.isDeleted { return true }
            found = item.id
            return false
        }
        return found
    }

    /// The ID of the last live entry, nil if none.
    var lastLiveID: StreamID? {
        var found: StreamID?
        forEach(withPairs: false) { item in
            if !item.isDeleted { found = item.id }
            return true
        }
        return found
    }

    // MARK: Redis's listpack sizes

    /// An integer element of a listpack: its encoding and its back-length byte.
    static func integerSize(_ v: Int64) -> Int {
        let encoded: Int
        switch v {
        case 0...127: encoded = 1
        case -4096...4095: encoded = 2
        case -32768...32767: encoded = 3
        case -8_388_608...8_388_607: encoded = 4
        case Int64(Int32.min)...Int64(Int32.max): encoded = 5
        default: encoded = 9
        }
        return encoded + 1
    }

    /// A string element of a listpack (an integer if the string is one's canonical form).
    static func stringSize(_ s: ByteString) -> Int {
        if let v = s.int64Value { return integerSize(v) }
        let n = s.count
        let encoded = n < 64 ? 1 + n : (n < 4096 ? 2 + n : 5 + n)
        let back = encoded <= 127 ? 1 : (encoded < 16383 ? 2 : (encoded < 2_097_151 ? 3 : (encoded < 268_435_455 ? 4 : 5)))
        return encoded + back
    }
}

/// LEB128 varints for the blocks' entries.
enum Varint {
    @inline(__always)
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inline(__always)
    static func read(_ buffer: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = buffer[i]
            i += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    static func appendBytes(_ s: ByteString, to bytes: inout [UInt8]) {
        append(UInt64(s.count), to: &bytes)
        s.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Length-prefixed bytes; nil (but skipped) unless `keep`.
    static func readBytes(_ buffer: UnsafeBufferPointer<UInt8>, _ i: inout Int, keep: Bool) -> ByteString? {
        let n = Int(read(buffer, &i))
        defer { i += n }
        guard keep else { return nil }
        return ByteString(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[i..<(i + n)])))
    }

    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    static func unzigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }
}
