/// The compact encoding of a small ``ListValue`` (Redis's listpack): the elements packed
/// back to back in one byte array, each as a LEB128 length and its bytes. A list of short
/// items costs about one byte each beyond its text, against 16 for a ``ByteString``.
///
/// Every operation walks from the front, which is fine because ``ListValue`` keeps this
/// encoding only up to ``ListValue/maxCompactEntries`` elements and
/// ``ListValue/maxCompactBytes`` bytes.
///
/// # Thread safety
/// A value type inside a collection object, under that object's rule: mutations under
/// the shard's exclusive lock, and concurrent reads, so non-mutating members write nothing.
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

    /// Writes `x`'s prefix and bytes at `p` (``encodedSize(_:)`` bytes).
    @inline(__always)
    private static func write(_ x: ByteString, to p: UnsafeMutablePointer<UInt8>) {
        var n = x.count
        var i = 0
        while n >= 0x80 {
            p[i] = UInt8(n & 0x7f) | 0x80
            n >>= 7
            i += 1
        }
        p[i] = UInt8(n)
        x.withUnsafeBytes { src in
            if let base = src.baseAddress { (p + i + 1).update(from: base.assumingMemoryBound(to: UInt8.self), count: src.count) }
        }
    }

    /// Makes room for `x` at byte `offset` and writes it there, with no temporary array.
    private mutating func place(_ x: ByteString, at offset: Int) {
        let size = PackedList.encodedSize(x)
        if offset == bytes.count {
            bytes.append(contentsOf: repeatElement(0, count: size))
        } else {
            bytes.insert(contentsOf: repeatElement(0, count: size), at: offset)
        }
        bytes.withUnsafeMutableBufferPointer { PackedList.write(x, to: $0.baseAddress! + offset) }
    }

    @inline(__always)
    private static func payload(_ p: UnsafePointer<UInt8>, at offset: Int) -> Range<Int> {
        var n = 0
        var shift = 0
        var i = offset
        while true {
            let b = p[i]
            n |= Int(b & 0x7f) << shift
            i += 1
            if b < 0x80 { break }
            shift += 7
        }
        return i..<(i + n)
    }

    /// The payload range of the element whose prefix starts at `offset`.
    private func payload(at offset: Int) -> Range<Int> {
        bytes.withUnsafeBufferPointer { PackedList.payload($0.baseAddress!, at: offset) }
    }

    /// The byte offset where element `index` starts (`count` gives the end).
    private func offset(of index: Int) -> Int {
        if index == 0 { return 0 }
        if index == count { return bytes.count }
        return bytes.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!
            var o = 0
            for _ in 0..<index { o = PackedList.payload(p, at: o).upperBound }
            return o
        }
    }

    private func string(_ r: Range<Int>) -> ByteString {
        bytes.withUnsafeBytes { ByteString(UnsafeRawBufferPointer(rebasing: $0[r])) }
    }

    subscript(index: Int) -> ByteString { string(payload(at: offset(of: index))) }

    mutating func append(_ x: ByteString) {
        place(x, at: bytes.count)
        count += 1
    }

    mutating func insert(_ x: ByteString, at index: Int) {
        place(x, at: offset(of: index))
        count += 1
    }

    mutating func replace(at index: Int, with x: ByteString) {
        let start = offset(of: index)
        bytes.removeSubrange(start..<payload(at: start).upperBound)
        place(x, at: start)
    }

    /// Removes the elements at `indices`.
    mutating func removeSubrange(_ indices: Range<Int>) {
        if indices.isEmpty { return }
        let start = offset(of: indices.lowerBound)
        let end = indices.upperBound == count ? bytes.count : bytes.withUnsafeBufferPointer { buffer in
            var end = start
            for _ in indices { end = PackedList.payload(buffer.baseAddress!, at: end).upperBound }
            return end
        }
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
