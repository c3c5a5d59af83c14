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
/// # Thread safety
/// Nodes are reference types mutated in place; the tree is not copied (its owner, a
/// `SortedSetValue`, is itself a class), and the owner's lock protects it.
struct OrderTree: @unchecked Sendable {
    static let leafCapacity = 128
    static let fanout = 64

    /// A leaf (`children` empty, `keys` are the elements, `prefixes[i]` is `keys[i]`'s) or
    /// an internal node (`keys[i]` and `prefixes[i]` are the first element under
    /// `children[i]`, `counts[i]` the number of elements there).
    ///
    /// The stored properties skip dynamic exclusivity checks: the owning sorted set's lock
    /// already makes every access exclusive, and the checks cost more than a node step.
    final class Node {
        @exclusivity(unchecked) var keys: [UInt32]
        @exclusivity(unchecked) var prefixes: [Float]
        @exclusivity(unchecked) var children: [Node]
        @exclusivity(unchecked) var counts: [UInt32]

        init(keys: [UInt32] = [], prefixes: [Float] = [], children: [Node] = [], counts: [UInt32] = []) {
            self.keys = keys
            self.prefixes = prefixes
            self.children = children
            self.counts = counts
        }

        var isLeaf: Bool { children.isEmpty }
        var size: Int { isLeaf ? keys.count : counts.reduce(0) { $0 + Int($1) } }
        var capacity: Int { isLeaf ? OrderTree.leafCapacity : OrderTree.fanout }
    }

    var root = Node()
    var count = 0

    init() {}

    /// The key at `rank` (0-based).
    /// - Complexity: O(log n)
    func key(at rank: Int) -> UInt32 {
        precondition(rank >= 0 && rank < count, "rank out of range")
        var node = root
        var r = rank
        while !node.isLeaf {
            var i = 0
            while r >= Int(node.counts[i]) {
                r -= Int(node.counts[i])
                i += 1
            }
            node = node.children[i]
        }
        return node.keys[r]
    }

    /// The number of leading keys for which `isBefore` holds (a monotone predicate: true
    /// for a prefix of the order). With `isBefore = { $0 < x }` this is x's rank.
    /// - Complexity: O(log n) predicate calls.
    func count(while isBefore: (UInt32) -> Bool) -> Int {
        var node = root
        var acc = 0
        while !node.isLeaf {
            let p = OrderTree.partition(node.keys, isBefore)
            let i = Swift.max(p - 1, 0)
            for k in 0..<i { acc += Int(node.counts[k]) }
            node = node.children[i]
        }
        return acc + OrderTree.partition(node.keys, isBefore)
    }

    /// The number of keys ordered before a target whose prefix is `prefix`: keys with a
    /// smaller prefix are before it, keys with a larger one after it, and `isBefore`
    /// (monotone, as in ``count(while:)``) decides the keys whose prefix ties.
    /// - Complexity: O(log n) prefix comparisons; predicate calls only on ties.
    func count(below prefix: Float, orBefore isBefore: (UInt32) -> Bool) -> Int {
        // `unowned(unsafe)`: the tree owns every node for the whole descent, so stepping
        // down need not retain and release each one.
        unowned(unsafe) var node = root
        var acc = 0
        while !node.isLeaf {
            let p = OrderTree.partition(node, prefix, isBefore)
            let i = Swift.max(p - 1, 0)
            acc &+= OrderTree.sum(node.counts, upTo: i)
            node = node.children[i]
        }
        return acc + OrderTree.partition(node, prefix, isBefore)
    }

    /// `counts[0..<end]` summed in `UInt32` (a whole tree's count fits), which vectorizes.
    @inline(__always)
    static func sum(_ counts: [UInt32], upTo end: Int) -> Int {
        counts.withUnsafeBufferPointer { c in
            var total: UInt32 = 0
            for k in 0..<end { total &+= c[k] }
            return Int(total)
        }
    }

    /// The first index of `keys` where `isBefore` is false.
    @inline(__always)
    private static func partition(_ keys: [UInt32], _ isBefore: (UInt32) -> Bool) -> Int {
        var lo = 0
        var hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if isBefore(keys[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The first index of `node`'s keys where the key is not before the target (see
    /// ``count(below:orBefore:)``): a search over the prefixes, then one over the run of
    /// tying prefixes with `isBefore`.
    ///
    /// The prefix search is pure (no call out), which lets the optimizer read the node's
    /// arrays without retaining them; the keys array is reached only on a tie.
    @inline(__always)
    static func partition(_ node: Node, _ prefix: Float, _ isBefore: (UInt32) -> Bool) -> Int {
        let (lo, end) = node.prefixes.withUnsafeBufferPointer { p -> (Int, Int) in
            // lo: first prefix >= target; end: first prefix > target.
            var lo = 0
            var hi = p.count
            while lo < hi {
                let mid = (lo + hi) &>> 1
                if p[mid] < prefix { lo = mid &+ 1 } else { hi = mid }
            }
            if lo == p.count || p[lo] != prefix { return (lo, lo) }
            var end = lo &+ 1
            hi = p.count
            while end < hi {
                let mid = (end + hi) &>> 1
                if p[mid] == prefix { end = mid &+ 1 } else { hi = mid }
            }
            return (lo, end)
        }
        if lo == end { return lo }
        return node.keys.withUnsafeBufferPointer { k in
            var a = lo
            var b = end
            while a < b {
                let mid = (a + b) &>> 1
                if isBefore(k[mid]) { a = mid &+ 1 } else { b = mid }
            }
            return a
        }
    }

    /// Calls `body` with the keys at `ranks`, in order or in reverse.
    ///
    /// Iterative: one descent (by the subtree counts) to the leaf holding the next rank,
    /// then that leaf's run of keys; a range spanning several leaves descends once per
    /// leaf, which costs O(log n) per ~100 keys. Nodes are reached `unowned(unsafe)`: the
    /// tree owns them for the whole walk, so no step retains or releases one.
    /// - Complexity: O(log n + k)
    func forEach(ranks: Range<Int>, reverse: Bool = false, _ body: (UInt32) -> Void) {
        if ranks.isEmpty { return }
        precondition(ranks.lowerBound >= 0 && ranks.upperBound <= count, "ranks out of range")
        if reverse {
            var high = ranks.upperBound   // ranks lowerBound..<high remain
            while high > ranks.lowerBound {
                high = OrderTree.withLeaf(root, containing: high - 1) { keys, offset in
                    let stop = Swift.max(ranks.lowerBound, high - 1 - offset)   // high - 1 - offset: keys[0]'s rank
                    var j = offset
                    for _ in stop..<high { body(keys[j]); j &-= 1 }
                    return stop
                }
            }
        } else {
            var low = ranks.lowerBound
            while low < ranks.upperBound {
                low = OrderTree.withLeaf(root, containing: low) { keys, offset in
                    let stop = Swift.min(ranks.upperBound, low - offset + keys.count)
                    var j = offset
                    for _ in low..<stop { body(keys[j]); j &+= 1 }
                    return stop
                }
            }
        }
    }

    /// Descends to the leaf holding `rank` and calls `body` with its keys and `rank`'s
    /// offset among them.
    @inline(__always)
    private static func withLeaf<R>(
        _ root: Node, containing rank: Int, _ body: (UnsafeBufferPointer<UInt32>, Int) -> R
    ) -> R {
        unowned(unsafe) var node = root
        var r = rank
        while !node.isLeaf {
            let i = node.counts.withUnsafeBufferPointer { c -> Int in
                var i = 0
                while r >= Int(c[i]) { r &-= Int(c[i]); i &+= 1 }
                return i
            }
            node = node.children[i]
        }
        return node.keys.withUnsafeBufferPointer { body($0, r) }
    }

    mutating func removeAll() {
        root = Node()
        count = 0
    }

    /// Bytes of the node objects and their arrays, as malloc rounds them.
    var memoryFootprint: Int { OrderTree.footprint(root) }

    private static func footprint(_ node: Node) -> Int {
        func array(_ capacity: Int, _ stride: Int) -> Int { capacity == 0 ? 0 : (32 + capacity * stride + 15) & ~15 }
        var total = 64 + array(node.keys.capacity, 4) + array(node.prefixes.capacity, 4)
        if !node.isLeaf {
            total += array(node.children.capacity, 8) + array(node.counts.capacity, 4)
            for child in node.children { total += footprint(child) }
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
            precondition(node.keys.count <= node.capacity, "node overfull")
            precondition(isRoot || node.keys.count >= node.capacity / 2, "node underfull")
            precondition(node.prefixes.count == node.keys.count, "prefix count mismatch")
            if node.isLeaf {
                precondition(leafDepth == nil || leafDepth == depth, "leaves at different depths")
                leafDepth = depth
                for (k, p) in zip(node.keys, node.prefixes) {
                    if let previous { precondition(inOrder(previous, k), "keys out of order") }
                    precondition(p == prefixOf(k) && p.sign == prefixOf(k).sign, "stale prefix")
                    precondition(previousPrefix <= p, "prefixes out of order")
                    previous = k
                    previousPrefix = p
                }
                return node.keys.count
            }
            precondition(node.children.count == node.keys.count && node.counts.count == node.keys.count)
            precondition(isRoot ? node.children.count >= 2 : true, "internal root with one child")
            var total = 0
            for (i, child) in node.children.enumerated() {
                precondition(!child.keys.isEmpty && node.keys[i] == child.keys[0], "stale separator")
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
