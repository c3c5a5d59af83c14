/// A Redis list: a sequence of binary-safe elements with cheap access at both ends.
///
/// ## Encodings (as redis-server 7.2's listpack and quicklist)
/// - **listpack**: up to ``maxCompactEntries`` elements and ``maxCompactBytes`` packed
///   bytes: a ``PackedList``, every element as a length prefix and its bytes in one array.
/// - **quicklist**: past either limit: a ``RingBuffer`` of ``ByteString``s (24 bytes an
///   element, up to 22 bytes inline), O(1) at both ends and by index.
///
/// The packed limits are lower than Redis's 128 entries on purpose: every packed push,
/// pop and trim moves or walks the whole array, and the queue pattern of the Dragonfly
/// seed (LPUSH, then LTRIM to the newest 51) spent most of its time there with 51-element
/// packed lists. Past 32 elements a list is a ring buffer, where those are O(1).
///
/// A list that shrinks to half of both limits goes back to the packed form (the gap
/// between the two thresholds keeps a list at the edge from flipping on every push/pop).
///
/// # Performance
/// quicklist: push/pop at either end and index access O(1); insert/remove in the middle
/// O(distance to the nearer end); LTRIM O(removed). listpack: O(n), with n ≤ 32.
///
/// # Thread safety
/// Writes need exclusion; reads may run concurrently. The keyspace stores it in an entry
/// and mutates it only under the owning shard's exclusive lock, but reads it from several
/// threads at once: `Keyspace.readCollection` reads a read-biased shard without taking
/// its lock. So a non-mutating member must write nothing: no cache, no memoized value, no
/// cursor or lazily built index kept in the object. State like that belongs behind a
/// mutating method. The lock for writes and this rule for reads are what make the
/// `@unchecked Sendable` conformance sound.
@usableFromInline package final class ListValue: @unchecked Sendable {
    /// The most elements kept packed.
    @usableFromInline package static let maxCompactEntries = 32
    /// The most packed bytes kept packed.
    @usableFromInline package static let maxCompactBytes = 1024

    // Unchecked: the owning shard's lock already excludes overlapping access, and the
    // dynamic exclusivity check costs more than a small list operation itself.
    @exclusivity(unchecked) var packed = PackedList()
    @exclusivity(unchecked) var ring = RingBuffer()
    @exclusivity(unchecked) package private(set) var isCompact = true
    /// The bytes the owning shard last counted for this value (its memory accounting
    /// settles the difference with the current estimate after each write).
    @exclusivity(unchecked) package var accountedBytes = 0

    @usableFromInline package init() {}

    /// A list holding `elements` in order.
    /// - Complexity: O(n)
    @usableFromInline package convenience init(_ elements: [ByteString]) {
        self.init()
        replaceAll(with: elements)
    }

    /// The number of elements (LLEN).
    @usableFromInline package var count: Int { isCompact ? packed.count : ring.count }

    @usableFromInline package var isEmpty: Bool { count == 0 }

    /// The name OBJECT ENCODING reports.
    @usableFromInline package var encodingName: String { isCompact ? "listpack" : "quicklist" }

    /// LPUSH of one element.
    /// - Complexity: O(1) amortized (quicklist), O(n) listpack.
    @usableFromInline package func pushFront(_ x: ByteString) {
        if isCompact && !fitsPacked(adding: x) { convertToRing() }
        if isCompact { packed.insert(x, at: 0) } else { ring.prepend(x) }
    }

    /// RPUSH of one element.
    /// - Complexity: O(1) amortized.
    @usableFromInline package func pushBack(_ x: ByteString) {
        if isCompact && !fitsPacked(adding: x) { convertToRing() }
        if isCompact { packed.append(x) } else { ring.append(x) }
    }

    /// LPOP: removes and returns up to `count` elements from the head, head first.
    /// - Complexity: O(k) (quicklist), O(n) listpack.
    @usableFromInline package func popFront(_ count: Int = 1) -> [ByteString] {
        let k = Swift.min(Swift.max(count, 0), self.count)
        let out = elements(in: 0..<k)
        if isCompact { packed.removeSubrange(0..<k) } else { ring.removeFirst(k) }
        didShrink()
        return out
    }

    /// RPOP: removes and returns up to `count` elements from the tail, tail first.
    /// - Complexity: O(k) (quicklist), O(n) listpack.
    @usableFromInline package func popBack(_ count: Int = 1) -> [ByteString] {
        let n = self.count
        let k = Swift.min(Swift.max(count, 0), n)
        let out = Array(elements(in: (n - k)..<n).reversed())
        if isCompact { packed.removeSubrange((n - k)..<n) } else { ring.removeLast(k) }
        didShrink()
        return out
    }

    /// LINDEX: the element at `index` (negative counts from the tail), or nil.
    /// - Complexity: O(1) (quicklist), O(n) listpack.
    @usableFromInline package func element(at index: Int) -> ByteString? {
        guard let i = RedisIndex.position(index, count: count) else { return nil }
        return isCompact ? packed[i] : ring[i]
    }

    /// LSET: replaces the element at `index` (negative counts from the tail).
    /// - Throws: `StoreError.indexOutOfRange` when there is no such element.
    /// - Complexity: O(1) (quicklist), O(n) listpack.
    @usableFromInline package func set(_ x: ByteString, at index: Int) throws(StoreError) {
        guard let i = RedisIndex.position(index, count: count) else { throw .indexOutOfRange }
        if isCompact && packed.bytes.count + PackedList.encodedSize(x) > Self.maxCompactBytes { convertToRing() }
        if isCompact { packed.replace(at: i, with: x) } else { ring[i] = x }
    }

    /// The elements at positions `indices` (already normalised), in order.
    /// - Complexity: O(k) (quicklist), O(n) listpack.
    @usableFromInline package func elements(in indices: Range<Int>) -> [ByteString] {
        if isCompact {
            var out: [ByteString] = []
            out.reserveCapacity(indices.count)
            if !indices.isEmpty { packed.forEach(indices) { out.append($0) } }
            return out
        }
        return indices.map { ring[$0] }
    }

    /// Every element, head to tail.
    /// - Complexity: O(n)
    @usableFromInline package var allElements: [ByteString] { isCompact ? packed.elements : ring.elements }

    /// Replaces the whole content, choosing the encoding that fits.
    /// - Complexity: O(n)
    @usableFromInline package func replaceAll(with elements: [ByteString]) {
        let bytes = elements.reduce(0) { $0 + PackedList.encodedSize($1) }
        if elements.count <= Self.maxCompactEntries && bytes <= Self.maxCompactBytes {
            packed = PackedList(elements)
            ring = RingBuffer()
            isCompact = true
        } else {
            packed = PackedList()
            ring = RingBuffer(elements)
            isCompact = false
        }
    }

    private func fitsPacked(adding x: ByteString) -> Bool {
        packed.count < Self.maxCompactEntries && packed.bytes.count + PackedList.encodedSize(x) <= Self.maxCompactBytes
    }

    private func convertToRing() {
        ring = RingBuffer(packed.elements)
        packed = PackedList()
        isCompact = false
    }

    /// Goes back to the packed form once the list is at most half of both limits.
    func didShrink() {
        guard !isCompact && ring.count <= Self.maxCompactEntries / 2 else { return }
        var bytes = 0
        for i in 0..<ring.count { bytes += PackedList.encodedSize(ring[i]) }
        if bytes <= Self.maxCompactBytes / 2 {
            packed = PackedList(ring.elements)
            ring = RingBuffer()
            isCompact = true
        }
    }
}
