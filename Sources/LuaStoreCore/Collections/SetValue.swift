/// A Redis set: unique binary-safe members.
///
/// ## Encodings (as redis-server 7.2)
/// - **intset**: every member is a canonical decimal integer (as ``ByteString/int64Value``
///   reads it) and there are at most ``maxIntsetEntries``: a sorted `[Int64]`, 8 bytes a
///   member. Members come back in numeric order, as Redis's do.
/// - **listpack**: at most ``maxCompactEntries`` members of at most
///   ``maxCompactMemberBytes`` bytes: an array in insertion order, scanned linearly.
/// - **hashtable**: a dense member array plus a ``SlotIndex``; deletion moves the last
///   member into the hole, so the array stays dense and a random member is one random
///   index.
///
/// A set converts towards hashtable as it grows and never back.
///
/// # Performance
/// hashtable: add, remove, contains and random member O(1) expected. intset: contains
/// O(log n), add/remove O(n). listpack: O(n), with n small.
///
/// # Thread safety
/// Writes need exclusion; reads may run concurrently. The keyspace stores it in an entry
/// and mutates it only under the owning shard's exclusive lock, but reads it from several
/// threads at once: `Keyspace.readCollection` reads a read-biased shard without taking
/// its lock. So a non-mutating member must write nothing: no cache, no memoized value, no
/// cursor or lazily built index kept in the object. State like that belongs behind a
/// mutating method. The lock for writes and this rule for reads are what make the
/// `@unchecked Sendable` conformance sound.
@usableFromInline package final class SetValue: @unchecked Sendable {
    /// Redis's `set-max-intset-entries`.
    @usableFromInline package static let maxIntsetEntries = 512
    /// Redis 7.2's `set-max-listpack-entries`.
    @usableFromInline package static let maxCompactEntries = 128
    /// Redis 7.2's `set-max-listpack-value`.
    @usableFromInline package static let maxCompactMemberBytes = 64

    @usableFromInline package enum Encoding: String, Sendable {
        case intset, listpack, hashtable
    }

    @usableFromInline package private(set) var encoding = Encoding.intset
    /// The bytes the owning shard last counted for this value (its memory accounting
    /// settles the difference with the current estimate after each write).
    @exclusivity(unchecked) package var accountedBytes = 0
    /// intset: the members, ascending.
    var integers: [Int64] = []
    /// listpack: the members in insertion order; hashtable: the dense member array.
    var members: [ByteString] = []
    /// hashtable: member -> position in `members`.
    var index = SlotIndex()
    /// Heap bytes of members too long to be inline, kept up to date so that
    /// ``memoryFootprint`` need not visit every member.
    var memberHeapBytes = 0

    @usableFromInline package init() {}

    /// The number of members.
    @usableFromInline package var count: Int { encoding == .intset ? integers.count : members.count }

    @usableFromInline package var isEmpty: Bool { count == 0 }

    /// The name OBJECT ENCODING reports.
    @usableFromInline package var encodingName: String { encoding.rawValue }

    /// Whether `member` is in the set (SISMEMBER).
    /// - Complexity: O(1) expected (hashtable), O(log n) intset, O(n) listpack.
    @usableFromInline package func contains(_ member: ByteString) -> Bool {
        switch encoding {
        case .intset:
            guard let v = member.int64Value else { return false }
            return integerPosition(v).found
        case .listpack: return members.contains(member)
        case .hashtable: return position(of: member) != nil
        }
    }

    /// Adds `member`; returns false if it was already there.
    /// - Complexity: O(1) amortized (hashtable), O(n) otherwise.
    @discardableResult
    @usableFromInline package func add(_ member: ByteString) -> Bool {
        if encoding == .intset {
            if let v = member.int64Value {
                let (i, found) = integerPosition(v)
                if found { return false }
                integers.insert(v, at: i)
                if integers.count > Self.maxIntsetEntries { convert(to: .hashtable) }
                return true
            }
            let fits = integers.count < Self.maxCompactEntries && member.count <= Self.maxCompactMemberBytes
            convert(to: fits ? .listpack : .hashtable)
        }
        if encoding == .listpack {
            if members.contains(member) { return false }
            if members.count < Self.maxCompactEntries && member.count <= Self.maxCompactMemberBytes {
                members.append(member)
                memberHeapBytes += member.heapBytes
                return true
            }
            convert(to: .hashtable)
        }
        if position(of: member) != nil { return false }
        members.append(member)
        memberHeapBytes += member.heapBytes
        index.insert(UInt32(members.count - 1), hash: member.storeHash) { members[Int($0)].storeHash }
        return true
    }

    /// Removes `member`; returns false if it was absent.
    /// - Complexity: O(1) expected (hashtable), O(n) otherwise.
    @discardableResult
    @usableFromInline package func remove(_ member: ByteString) -> Bool {
        switch encoding {
        case .intset:
            guard let v = member.int64Value else { return false }
            let (i, found) = integerPosition(v)
            if found { integers.remove(at: i) }
            return found
        case .listpack:
            guard let i = members.firstIndex(of: member) else { return false }
            remove(at: i)
            return true
        case .hashtable:
            guard let p = position(of: member) else { return false }
            remove(at: p)
            return true
        }
    }

    /// The member at `position` in iteration order.
    /// - Complexity: O(1)
    func member(at position: Int) -> ByteString {
        encoding == .intset ? ByteString(integers[position]) : members[position]
    }

    /// Removes the member at `position` (listpack keeps its order; hashtable moves the last
    /// member into the hole).
    func remove(at position: Int) {
        if encoding != .intset { memberHeapBytes -= members[position].heapBytes }
        switch encoding {
        case .intset: integers.remove(at: position)
        case .listpack: members.remove(at: position)
        case .hashtable:
            let hashOf = { (s: UInt32) in self.members[Int(s)].storeHash }
            index.remove(UInt32(position), hash: members[position].storeHash, hashOf: hashOf)
            let last = members.count - 1
            if position != last {
                index.renumber(UInt32(last), to: UInt32(position), hash: members[last].storeHash)
                members[position] = members[last]
            }
            members.removeLast()
            if members.isEmpty { members = [] }
        }
    }

    /// Calls `body` with each member (intset: ascending; listpack: insertion order).
    /// - Complexity: O(n)
    @usableFromInline package func forEach(_ body: (ByteString) -> Void) {
        if encoding == .intset {
            for v in integers { body(ByteString(v)) }
        } else {
            for m in members { body(m) }
        }
    }

    /// All members (SMEMBERS), in ``forEach(_:)`` order.
    /// - Complexity: O(n)
    @usableFromInline package var allMembers: [ByteString] {
        encoding == .intset ? integers.map { ByteString($0) } : members
    }

    /// Removes every member.
    @usableFromInline package func removeAll() {
        integers = []
        members = []
        index.removeAll()
        memberHeapBytes = 0
        encoding = .intset
    }

    private func position(of member: ByteString) -> Int? {
        index.find(hash: member.storeHash) { members[Int($0)] == member }.map(Int.init)
    }

    private func integerPosition(_ v: Int64) -> (Int, found: Bool) {
        var lo = 0
        var hi = integers.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if integers[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return (lo, lo < integers.count && integers[lo] == v)
    }

    private func convert(to target: Encoding) {
        if encoding == .intset {
            members = integers.map { ByteString($0) }
            memberHeapBytes = members.reduce(0) { $0 + $1.heapBytes }
            integers = []
        }
        encoding = target
        if target == .hashtable {
            for i in members.indices {
                index.insert(UInt32(i), hash: members[i].storeHash) { members[Int($0)].storeHash }
            }
        }
    }
}
