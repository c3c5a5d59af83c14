/// The compact encoding of a small ``ListValue`` (Redis's listpack): the elements packed
/// back to back in one byte array, each as a LEB128 length and its bytes. A list of short
/// items costs about one byte each beyond its text, against 16 for a ``ByteString``.
///
/// Every operation walks from the front, which is fine because ``ListValue`` keeps this
/// encoding only up to ``ListValue/maxCompactEntries`` elements and
/// ``ListValue/maxCompactBytes`` bytes.
///
/// # Thread safety
/// A value type; its owner's lock protects it.
struct PackedList: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    init() {}

    init(_ elements: [ByteString]) {
        for e in elements { append(e) }
    }

    /// The bytes an element takes here, length prefix included.
    static func encodedSize(_ x: ByteString) -> Int {
        var n = x.count
        var size = 1
        while n >= 0x80 {
            n >>= 7
            size += 1
        }
        return size + x.count
    }

    private static func encode(_ x: ByteString) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedSize(x))
        var n = x.count
        while n >= 0x80 {
            out.append(UInt8(n & 0x7f) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
        x.withUnsafeBytes { out.append(contentsOf: $0) }
        return out
    }

    /// The payload range of the element whose prefix starts at `offset`.
    private func payload(at offset: Int) -> Range<Int> {
        var n = 0
        var shift = 0
        var i = offset
        while true {
            let b = bytes[i]
            n |= Int(b & 0x7f) << shift
            i += 1
            if b < 0x80 { break }
            shift += 7
        }
        return i..<(i + n)
    }

    /// The byte offset where element `index` starts (`count` gives the end).
    private func offset(of index: Int) -> Int {
        var o = 0
        for _ in 0..<index { o = payload(at: o).upperBound }
        return o
    }

    private func string(_ r: Range<Int>) -> ByteString {
        bytes.withUnsafeBytes { ByteString(UnsafeRawBufferPointer(rebasing: $0[r])) }
    }

    subscript(index: Int) -> ByteString { string(payload(at: offset(of: index))) }

    mutating func append(_ x: ByteString) {
        bytes.append(contentsOf: PackedList.encode(x))
        count += 1
    }

    mutating func insert(_ x: ByteString, at index: Int) {
        bytes.insert(contentsOf: PackedList.encode(x), at: offset(of: index))
        count += 1
    }

    mutating func replace(at index: Int, with x: ByteString) {
        let start = offset(of: index)
        bytes.replaceSubrange(start..<payload(at: start).upperBound, with: PackedList.encode(x))
    }

    /// Removes the elements at `indices`.
    mutating func removeSubrange(_ indices: Range<Int>) {
        if indices.isEmpty { return }
        let start = offset(of: indices.lowerBound)
        var end = start
        for _ in indices { end = payload(at: end).upperBound }
        bytes.removeSubrange(start..<end)
        count -= indices.count
        if count == 0 { bytes = [] }
    }

    /// Calls `body` with each element of `indices` in order.
    func forEach(_ indices: Range<Int>, _ body: (ByteString) -> Void) {
        var o = offset(of: indices.lowerBound)
        for _ in indices {
            let r = payload(at: o)
            body(string(r))
            o = r.upperBound
        }
    }

    /// Calls `body` with each index whose element equals `x`, comparing bytes in place.
    func forEachMatch(of x: ByteString, _ body: (Int) -> Void) {
        var o = 0
        x.withUnsafeBytes { target in
            bytes.withUnsafeBytes { all in
                for i in 0..<count {
                    let r = payload(at: o)
                    if ByteString.compare(UnsafeRawBufferPointer(rebasing: all[r]), target) == 0 { body(i) }
                    o = r.upperBound
                }
            }
        }
    }

    var elements: [ByteString] {
        var out: [ByteString] = []
        out.reserveCapacity(count)
        forEach(0..<count) { out.append($0) }
        return out
    }

    var memoryFootprint: Int { bytes.capacity == 0 ? 0 : (32 + bytes.capacity + 15) & ~15 }

    func _checkInvariants() {
        precondition(offset(of: count) == bytes.count, "packed entries do not fill the buffer")
    }
}
