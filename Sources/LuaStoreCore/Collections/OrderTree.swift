/// An order-statistic B+tree of `UInt32` keys (slot numbers of the sorted set's entry
/// array), ordered by whatever the caller's predicates say.
///
/// The tree never compares keys itself: positions are found either by rank (through the
/// subtree counts each internal node keeps per child) or by a monotone predicate
/// `isBefore(key)` that is true for a prefix of the order (binary search in each node,
/// using the smallest key of each child as its separator).
///
/// Each key carries a 4-byte *prefix* beside it (the sorted set stores `Float(score)`):
/// a value the caller guarantees is non-decreasing along the order. A search by prefix
/// (``count(below:orBefore:)``) decides most steps from the prefixes alone, which sit in
/// the node next to the keys, and calls the predicate (which reaches into the caller's
/// entry array, usually a cache miss) only for keys whose prefix ties the target's. So
/// the tree stores 8 bytes per element and no copy of members.
///
/// Leaves hold up to ``leafCapacity`` keys, internal nodes up to ``fanout`` children; a
/// node that falls under half full borrows from or merges with a sibling, so leaves stay
/// 50-100% full (~11 bytes per element with the node headers).
///
/// Mutations are in `OrderTree+Editing.swift`.
///
/// # Storage
/// Each node owns one fixed-size allocation (room for one element over capacity, so an
/// insert can overflow a node before it splits) holding its keys, prefixes and, in
/// internal nodes, subtree counts and children. Children are `Unmanaged` references the
/// parent owns (one retain each, released in the parent's `deinit`), and descents read
/// them unretained, so stepping down the tree costs no reference counting and no array
/// uniqueness checks.
///
/// # Safety
/// Each node's block is allocated, bound and freed by the node alone. A child is reached
/// unretained (`Unmanaged`, `_withUnsafeGuaranteedRef`) only while its parent holds its
/// retain, and a child moved between nodes carries that retain with it, the giving node's
/// `count` lowered first (the ownership rule in `OrderTree+Editing.swift`), so every node
/// is released exactly once, by the parent that owns it last.
///
/// # Thread safety
/// Nodes are reference types mutated in place; the tree is not copied (its owner, a
/// `SortedSetValue`, is itself a class). The owner's rule applies: mutations under the
/// shard's exclusive lock, and concurrent reads, so non-mutating members write nothing.
struct OrderTree: @unchecked Sendable {
    static let leafCapacity = 128
    /// 128, not 64: a 10k-member set (~100 leaves) then has one internal level instead of
    /// two, so a ZADD that moves a member updates one fewer level of counts on each of its
    /// two descents (typed ZADD 2363 -> 2067 instructions, ZRANK 981 -> 963, callgrind);
    /// internal nodes are ~1% of nodes, so memory per member barely moves.
    static let fanout = 128

    /// A leaf (`keys[0..<count]` are the elements, `prefixes[i]` is `keys[i]`'s) or an
    /// internal node (`keys[i]` and `prefixes[i]` are the first element under
    /// `children[i]`, `counts[i]` the number of elements there).
    ///
    /// The mutable property skips dynamic exclusivity checks: the owning sorted set's lock
    /// already makes every access exclusive, and the checks cost more than a node step.
    final class Node {
        /// The number of keys (children, in an internal node).
        @exclusivity(unchecked) var count = 0
        let keys: UnsafeMutablePointer<UInt32>
        let prefixes: UnsafeMutablePointer<Float>
        private let _counts: UnsafeMutablePointer<UInt32>?
        private let _children: UnsafeMutablePointer<Unmanaged<Node>>?

        /// Slots per node: one over capacity.
        @inline(__always)
        static func slots(leaf: Bool) -> Int { (leaf ? OrderTree.leafCapacity : OrderTree.fanout) + 1 }

        /// Bytes of a node's allocation.
        static func storageBytes(leaf: Bool) -> Int { slots(leaf: leaf) * (leaf ? 8 : 20) }

        init(leaf: Bool) {
            let n = Node.slots(leaf: leaf)
            let raw = UnsafeMutableRawPointer.allocate(byteCount: Node.storageBytes(leaf: leaf), alignment: 8)
            if leaf {
                keys = raw.bindMemory(to: UInt32.self, capacity: n)
                prefixes = (raw + 4 * n).bindMemory(to: Float.self, capacity: n)
                _counts = nil
                _children = nil
            } else {
                // Children first, for their 8-byte alignment.
                _children = raw.bindMemory(to: Unmanaged<Node>.self, capacity: n)
                keys = (raw + 8 * n).bindMemory(to: UInt32.self, capacity: n)
                prefixes = (raw + 12 * n).bindMemory(to: Float.self, capacity: n)
                _counts = (raw + 16 * n).bindMemory(to: UInt32.self, capacity: n)
            }
        }

        deinit {
            if let children = _children {
                for i in 0..<count { children[i].release() }
                UnsafeMutableRawPointer(children).deallocate()
            } else {
                UnsafeMutableRawPointer(keys).deallocate()
            }
        }

        /// An internal node's subtree counts.
        var counts: UnsafeMutablePointer<UInt32> {
            @inline(__always) get { _counts.unsafelyUnwrapped }
        }

        /// An internal node's children, each retained once by this node.
        var children: UnsafeMutablePointer<Unmanaged<Node>> {
            @inline(__always) get { _children.unsafelyUnwrapped }
        }

        /// Child `i`, not retained: valid while this node owns it.
        @inline(__always)
        func child(_ i: Int) -> Unmanaged<Node> { children[i] }

        var isLeaf: Bool {
            @inline(__always) get { _children == nil }
        }

        var size: Int { isLeaf ? count : OrderTree.sum(counts, upTo: count) }
        var capacity: Int { isLeaf ? OrderTree.leafCapacity : OrderTree.fanout }

        /// Shifts the slots at `i...` up by `n` (the caller fills `i..<i+n`).
        @inline(__always)
        func openGap(at i: Int, _ n: Int = 1) {
            let moving = count &- i
            (keys + i + n).moveInitialize(from: keys + i, count: moving)
            (prefixes + i + n).moveInitialize(from: prefixes + i, count: moving)
            if !isLeaf {
                (counts + i + n).moveInitialize(from: counts + i, count: moving)
                (children + i + n).moveInitialize(from: children + i, count: moving)
            }
            count &+= n
        }

        /// Shifts the slots after `i..<i+n` down over them (the caller has taken or
        /// released any children there).
        @inline(__always)
        func closeGap(at i: Int, _ n: Int = 1) {
            let moving = count &- i &- n
            (keys + i).moveInitialize(from: keys + i + n, count: moving)
            (prefixes + i).moveInitialize(from: prefixes + i + n, count: moving)
            if !isLeaf {
                (counts + i).moveInitialize(from: counts + i + n, count: moving)
                (children + i).moveInitialize(from: children + i + n, count: moving)
            }
            count &-= n
        }

        /// Copies `n` slots from `other` at `from` to this node at `to` (moving ownership
        /// of children: the caller removes them from `other`).
        @inline(__always)
        func copySlots(from other: Node, _ from: Int, to: Int, _ n: Int) {
            (keys + to).update(from: other.keys + from, count: n)
            (prefixes + to).update(from: other.prefixes + from, count: n)
            if !isLeaf {
                (counts + to).update(from: other.counts + from, count: n)
                (children + to).update(from: other.children + from, count: n)
            }
        }
    }

    var root = Node(leaf: true)
    var count = 0

    init() {}

    /// The key at `rank` (0-based).
    /// - Complexity: O(log n)
    func key(at rank: Int) -> UInt32 {
        precondition(rank >= 0 && rank < count, "rank out of range")
        // `unowned(unsafe)`: the tree owns every node for the whole descent, so stepping
        // down need not retain and release each one.
        unowned(unsafe) var node = root
        var r = rank
        while !node.isLeaf {
            let counts = node.counts
            var i = 0
            while r >= Int(counts[i]) {
                r &-= Int(counts[i])
                i &+= 1
            }
            node = node.child(i).takeUnretainedValue()
        }
        return node.keys[r]
    }

    /// The number of leading keys for which `isBefore` holds (a monotone predicate: true
    /// for a prefix of the order). With `isBefore = { $0 < x }` this is x's rank.
    /// - Complexity: O(log n) predicate calls.
    func count(while isBefore: (UInt32) -> Bool) -> Int {
        unowned(unsafe) var node = root
        var acc = 0
        while !node.isLeaf {
            let p = OrderTree.partition(node.keys, node.count, isBefore)
            let i = Swift.max(p - 1, 0)
            acc &+= OrderTree.sum(node.counts, upTo: i)
            node = node.child(i).takeUnretainedValue()
        }
        return acc + OrderTree.partition(node.keys, node.count, isBefore)
    }

    /// The number of keys ordered before a target whose prefix is `prefix`: keys with a
    /// smaller prefix are before it, keys with a larger one after it, and `isBefore`
    /// (monotone, as in ``count(while:)``) decides the keys whose prefix ties.
    /// - Complexity: O(log n) prefix comparisons; predicate calls only on ties.
    func count(below prefix: Float, orBefore isBefore: (UInt32) -> Bool) -> Int {
        unowned(unsafe) var node = root
        var acc = 0
        while !node.isLeaf {
            let p = OrderTree.partition(node.keys, node.prefixes, node.count, prefix, isBefore)
            let i = Swift.max(p - 1, 0)
            acc &+= OrderTree.sum(node.counts, upTo: i)
            node = node.child(i).takeUnretainedValue()
        }
        return acc + OrderTree.partition(node.keys, node.prefixes, node.count, prefix, isBefore)
    }

    /// `counts[0..<end]` summed in `UInt32` (a whole tree's count fits), which vectorizes.
    @inline(__always)
    static func sum(_ counts: UnsafeMutablePointer<UInt32>, upTo end: Int) -> Int {
        var total: UInt32 = 0
        for k in 0..<end { total &+= counts[k] }
        return Int(total)
    }

    /// The first index of `keys[0..<n]` where `isBefore` is false.
    @inline(__always)
    private static func partition(_ keys: UnsafeMutablePointer<UInt32>, _ n: Int, _ isBefore: (UInt32) -> Bool) -> Int {
        var lo = 0
        var hi = n
        while lo < hi {
            let mid = (lo + hi) &>> 1
            if isBefore(keys[mid]) { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    /// The first index in `0..<n` where the key is not before the target (see
    /// ``count(below:orBefore:)``): a search over the prefixes, then one over the run of
    /// tying prefixes with `isBefore`.
    @inline(__always)
    static func partition(
        _ keys: UnsafeMutablePointer<UInt32>, _ p: UnsafeMutablePointer<Float>, _ n: Int,
        _ prefix: Float, _ isBefore: (UInt32) -> Bool
    ) -> Int {
        // lo: first prefix >= target, i.e. how many prefixes are below it (they ascend),
        // counted eight at a time without branches: a binary search over a node's ~100
        // prefixes mispredicts about every other step.
        // Lane counts accumulate in a vector (a compare, an add and a blend per eight
        // prefixes) and are summed once: a horizontal sum per step cost as much again.
        var i = 0
        let target = SIMD8<Float>(repeating: prefix)
        let raw = UnsafeRawPointer(p)
        var counts = SIMD8<Int32>(repeating: 0)
        let ones = SIMD8<Int32>(repeating: 1)
        while i &+ 8 <= n {
            let below = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self) .< target
            counts.replace(with: counts &+ ones, where: below)
            i &+= 8
        }
        var lo = Int(counts.wrappedSum())
        while i < n {
            if p[i] < prefix { lo &+= 1 }
            i &+= 1
        }
        var hi = n
        if lo == n || p[lo] != prefix { return lo }
        var end = lo &+ 1
        // Prefixes rarely tie (distinct integer scores below 2^24 never do): look at the
        // next one before searching the rest of the node for the end of the run.
        if end < n && p[end] == prefix {
            hi = n
            while end < hi {
                let mid = (end + hi) &>> 1
                if p[mid] == prefix { end = mid &+ 1 } else { hi = mid }
            }
        }
        var a = lo
        var b = end
        while a < b {
            let mid = (a + b) &>> 1
            if isBefore(keys[mid]) { a = mid &+ 1 } else { b = mid }
        }
        return a
    }

    /// Calls `body` with the keys at `ranks`, in order or in reverse.
    ///
    /// Iterative: one descent (by the subtree counts) to the leaf holding the next rank,
    /// then that leaf's run of keys; a range spanning several leaves descends once per
    /// leaf, which costs O(log n) per ~100 keys.
    /// - Complexity: O(log n + k)
    func forEach(ranks: Range<Int>, reverse: Bool = false, _ body: (UInt32) -> Void) {
        if ranks.isEmpty { return }
        precondition(ranks.lowerBound >= 0 && ranks.upperBound <= count, "ranks out of range")
        if reverse {
            var high = ranks.upperBound   // ranks lowerBound..<high remain
            while high > ranks.lowerBound {
                let (keys, offset, _) = leaf(containing: high - 1)
                let stop = Swift.max(ranks.lowerBound, high - 1 - offset)   // high - 1 - offset: keys[0]'s rank
                var j = offset
                for _ in stop..<high { body(keys[j]); j &-= 1 }
                high = stop
            }
        } else {
            var low = ranks.lowerBound
            while low < ranks.upperBound {
                let (keys, offset, n) = leaf(containing: low)
                let stop = Swift.min(ranks.upperBound, low - offset + n)
                var j = offset
                for _ in low..<stop { body(keys[j]); j &+= 1 }
                low = stop
            }
        }
    }

    /// The keys of the leaf holding `rank`, `rank`'s offset among them and their number.
    /// The pointer is valid until the tree next changes.
    @inline(__always)
    private func leaf(containing rank: Int) -> (keys: UnsafeMutablePointer<UInt32>, offset: Int, count: Int) {
        unowned(unsafe) var node = root
        var r = rank
        while !node.isLeaf {
            let counts = node.counts
            var i = 0
            while r >= Int(counts[i]) { r &-= Int(counts[i]); i &+= 1 }
            node = node.child(i).takeUnretainedValue()
        }
        return (node.keys, r, node.count)
    }

    mutating func removeAll() {
        root = Node(leaf: true)
        count = 0
    }

    /// Bytes of the node objects and their storage, as malloc rounds them.
    var memoryFootprint: Int { OrderTree.footprint(root) }

    private static func footprint(_ node: Node) -> Int {
        var total = 64 + ((Node.storageBytes(leaf: node.isLeaf) + 8 + 15) & ~15)
        if !node.isLeaf {
            for i in 0..<node.count { total += footprint(node.child(i).takeUnretainedValue()) }
        }
        return total
    }

    /// Counts match, separators (keys and prefixes) are each child's first, nodes (but the
    /// root) are at least half full, all leaves at one depth, every leaf prefix is
    /// `prefixOf(key)`, prefixes never decrease, and `inOrder` holds for each adjacent pair.
    func _checkInvariants(prefixOf: (UInt32) -> Float, inOrder: (UInt32, UInt32) -> Bool) {
        var previous: UInt32?
        var previousPrefix = -Float.infinity
        var leafDepth: Int?
        func check(_ node: Node, depth: Int, isRoot: Bool) -> Int {
            precondition(node.count <= node.capacity, "node overfull")
            precondition(isRoot || node.count >= node.capacity / 2, "node underfull")
            if node.isLeaf {
                precondition(leafDepth == nil || leafDepth == depth, "leaves at different depths")
                leafDepth = depth
                for i in 0..<node.count {
                    let k = node.keys[i], p = node.prefixes[i]
                    if let previous { precondition(inOrder(previous, k), "keys out of order") }
                    precondition(p == prefixOf(k) && p.sign == prefixOf(k).sign, "stale prefix")
                    precondition(previousPrefix <= p, "prefixes out of order")
                    previous = k
                    previousPrefix = p
                }
                return node.count
            }
            precondition(isRoot ? node.count >= 2 : true, "internal root with one child")
            var total = 0
            for i in 0..<node.count {
                let child = node.child(i).takeUnretainedValue()
                precondition(child.count > 0 && node.keys[i] == child.keys[0], "stale separator")
                precondition(node.prefixes[i] == child.prefixes[0], "stale separator prefix")
                let n = check(child, depth: depth + 1, isRoot: false)
                precondition(n == Int(node.counts[i]), "subtree count mismatch")
                total += n
            }
            return total
        }
        precondition(check(root, depth: 0, isRoot: true) == count, "tree count mismatch")
    }
}
