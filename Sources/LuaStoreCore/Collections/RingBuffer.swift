/// A growable circular buffer of byte strings: the large encoding of ``ListValue``.
///
/// Unused positions hold the empty string (inline, so they own nothing), which lets the
/// buffer be a plain Swift array with no unsafe code. The capacity doubles when full and
/// halves when under a quarter full, so memory follows the list both ways.
///
/// # Thread safety
/// A value type; its owner's lock protects it.
struct RingBuffer: Sendable {
    private(set) var storage: [ByteString] = []
    private var head = 0
    private(set) var count = 0
    /// Heap bytes of the held strings (those too long to be inline), kept up to date by
    /// every write so the owner's memory estimate is O(1).
    private(set) var heapBytes = 0

    init() {}

    init(_ elements: [ByteString]) {
        storage = elements
        count = elements.count
        heapBytes = elements.reduce(0) { $0 + $1.heapBytes }
    }

    private var capacity: Int { storage.count }

    @inline(__always)
    private func physical(_ i: Int) -> Int {
        let p = head + i
        return p >= capacity ? p - capacity : p
    }

    subscript(i: Int) -> ByteString {
        get { storage[physical(i)] }
        set {
            let p = physical(i)
            heapBytes += newValue.heapBytes - storage[p].heapBytes
            storage[p] = newValue
        }
    }

    mutating func append(_ x: ByteString) {
        if count == capacity { resize(to: Swift.max(8, capacity * 2)) }
        storage[physical(count)] = x
        heapBytes += x.heapBytes
        count += 1
    }

    mutating func prepend(_ x: ByteString) {
        if count == capacity { resize(to: Swift.max(8, capacity * 2)) }
        head = head == 0 ? capacity - 1 : head - 1
        storage[head] = x
        heapBytes += x.heapBytes
        count += 1
    }

    /// Removes `k` elements from the front.
    /// - Complexity: O(k)
    mutating func removeFirst(_ k: Int) {
        for i in 0..<k { self[i] = ByteString() }
        head = count == k ? 0 : physical(k)
        count -= k
        shrinkIfSparse()
    }

    /// Removes `k` elements from the back.
    /// - Complexity: O(k)
    mutating func removeLast(_ k: Int) {
        for i in (count - k)..<count { self[i] = ByteString() }
        count -= k
        if count == 0 { head = 0 }
        shrinkIfSparse()
    }

    /// Inserts at position `i`, shifting whichever side is shorter.
    /// - Complexity: O(min(i, n - i))
    mutating func insert(_ x: ByteString, at i: Int) {
        if i < count / 2 {
            prepend(x)
            for j in 0..<i { self[j] = self[j + 1] }
        } else {
            append(x)
            var j = count - 1
            while j > i {
                self[j] = self[j - 1]
                j -= 1
            }
        }
        self[i] = x
    }

    /// Removes position `i`, shifting whichever side is shorter.
    /// - Complexity: O(min(i, n - i))
    mutating func remove(at i: Int) {
        if i < count / 2 {
            var j = i
            while j > 0 {
                self[j] = self[j - 1]
                j -= 1
            }
            removeFirst(1)
        } else {
            for j in i..<(count - 1) { self[j] = self[j + 1] }
            removeLast(1)
        }
    }

    /// The elements in order.
    var elements: [ByteString] { (0..<count).map { self[$0] } }

    private mutating func shrinkIfSparse() {
        if capacity > 16 && count * 4 < capacity { resize(to: capacity / 2) }
    }

    private mutating func resize(to newCapacity: Int) {
        var fresh = [ByteString](repeating: ByteString(), count: newCapacity)
        for i in 0..<count { fresh[i] = self[i] }
        storage = fresh
        head = 0
    }

    /// Heap bytes of the slot array (element heap bytes are the owner's to add).
    var memoryFootprint: Int { capacity == 0 ? 0 : 32 + capacity * MemoryLayout<ByteString>.stride }

    func _checkInvariants() {
        precondition(count <= capacity && (capacity == 0 || head < capacity), "ring bounds")
        for i in count..<capacity { precondition(self[i].isEmpty, "unused slot holds a string") }
        precondition(storage.reduce(0) { $0 + $1.heapBytes } == heapBytes, "heap byte count drifted")
    }
}
