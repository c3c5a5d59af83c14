/// An order-statistic B+tree of `UInt32` keys (slot numbers of the sorted set's entry
/// array), ordered by whatever the caller's predicates say.
///
/// The tree never compares keys itself: positions are found either by rank (through the
/// subtree counts each internal node keeps per child) or by a monotone predicate
/// `isBefore(key)` that is true for a prefix of the order (binary search in each node,
/// using the smallest key of each child as its separator). So the tree stores 4 bytes per
/// element and no copy of members or scores.
///
/// Leaves hold up to ``leafCapacity`` keys, internal nodes up to ``fanout`` children; a
/// node that falls under half full borrows from or merges with a sibling, so leaves stay
/// 50-100% full (~6 bytes per element with the node headers).
///
/// # Thread safety
/// Nodes are reference types mutated in place; the tree is not copied (its owner, a
/// `SortedSetValue`, is itself a class), and the owner's lock protects it.
struct OrderTree: @unchecked Sendable {
    static let leafCapacity = 128
    static let fanout = 64

    /// A leaf (`children` empty, `keys` are the elements) or an internal node (`keys[i]` is
    /// the first element under `children[i]`, `counts[i]` the number of elements there).
    final class Node {
        var keys: [UInt32]
        var children: [Node]
        var counts: [UInt32]

        init(keys: [UInt32] = [], children: [Node] = [], counts: [UInt32] = []) {
            self.keys = keys
            self.children = children
            self.counts = counts
        }

        var isLeaf: Bool { children.isEmpty }
        var size: Int { isLeaf ? keys.count : counts.reduce(0) { $0 + Int($1) } }
        var capacity: Int { isLeaf ? OrderTree.leafCapacity : OrderTree.fanout }
    }

    private(set) var root = Node()
    private(set) var count = 0

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

    /// Calls `body` with the keys at `ranks`, in order or in reverse.
    /// - Complexity: O(log n + k)
    func forEach(ranks: Range<Int>, reverse: Bool = false, _ body: (UInt32) -> Void) {
        if ranks.isEmpty { return }
        precondition(ranks.lowerBound >= 0 && ranks.upperBound <= count, "ranks out of range")
        OrderTree.visit(root, ranks, reverse, body)
    }

    private static func visit(_ node: Node, _ ranks: Range<Int>, _ reverse: Bool, _ body: (UInt32) -> Void) {
        if node.isLeaf {
            if reverse {
                for i in ranks.reversed() { body(node.keys[i]) }
            } else {
                for i in ranks { body(node.keys[i]) }
            }
            return
        }
        // Child i covers [start_i, start_i + counts[i]); visit the overlaps in order.
        var spans: [(Int, Range<Int>)] = []
        var start = 0
        for (i, c) in node.counts.enumerated() {
            let end = start + Int(c)
            let lo = Swift.max(start, ranks.lowerBound)
            let hi = Swift.min(end, ranks.upperBound)
            if lo < hi { spans.append((i, (lo - start)..<(hi - start))) }
            if end >= ranks.upperBound { break }
            start = end
        }
        if reverse { spans.reverse() }
        for (i, r) in spans { visit(node.children[i], r, reverse, body) }
    }

    /// Inserts `key` so that it gets rank `rank`.
    /// - Complexity: O(log n)
    mutating func insert(_ key: UInt32, at rank: Int) {
        precondition(rank >= 0 && rank <= count, "rank out of range")
        if let right = OrderTree.insert(key, at: rank, into: root) {
            let left = root
            root = Node(keys: [left.keys[0], right.keys[0]], children: [left, right],
                        counts: [UInt32(left.size), UInt32(right.size)])
        }
        count += 1
    }

    /// Returns the new right sibling when `node` had to split.
    private static func insert(_ key: UInt32, at rank: Int, into node: Node) -> Node? {
        if node.isLeaf {
            node.keys.insert(key, at: rank)
        } else {
            var i = 0
            var r = rank
            while i < node.counts.count - 1 && r > Int(node.counts[i]) {
                r -= Int(node.counts[i])
                i += 1
            }
            let child = node.children[i]
            node.counts[i] += 1
            let split = insert(key, at: r, into: child)
            node.keys[i] = child.keys[0]
            if let split {
                node.keys.insert(split.keys[0], at: i + 1)
                node.children.insert(split, at: i + 1)
                let moved = UInt32(split.size)
                node.counts[i] -= moved
                node.counts.insert(moved, at: i + 1)
            }
        }
        return node.keys.count > node.capacity ? split(node) : nil
    }

    private static func split(_ node: Node) -> Node {
        let half = node.keys.count / 2
        let right = Node()
        right.keys.reserveCapacity(node.capacity + 1)
        right.keys.append(contentsOf: node.keys[half...])
        node.keys.removeSubrange(half...)
        if !node.isLeaf {
            right.children = Array(node.children[half...])
            right.counts = Array(node.counts[half...])
            node.children.removeSubrange(half...)
            node.counts.removeSubrange(half...)
        }
        return right
    }

    /// Removes and returns the key at `rank`.
    /// - Complexity: O(log n)
    @discardableResult
    mutating func remove(at rank: Int) -> UInt32 {
        precondition(rank >= 0 && rank < count, "rank out of range")
        let key = OrderTree.remove(at: rank, from: root)
        if !root.isLeaf && root.children.count == 1 { root = root.children[0] }
        count -= 1
        return key
    }

    private static func remove(at rank: Int, from node: Node) -> UInt32 {
        if node.isLeaf { return node.keys.remove(at: rank) }
        var i = 0
        var r = rank
        while r >= Int(node.counts[i]) {
            r -= Int(node.counts[i])
            i += 1
        }
        let child = node.children[i]
        node.counts[i] -= 1
        let key = remove(at: r, from: child)
        if child.keys.count < child.capacity / 2 && node.children.count > 1 {
            rebalance(node, at: i)
        } else if !child.keys.isEmpty {
            node.keys[i] = child.keys[0]
        }
        return key
    }

    /// Merges the underfull child `i` with a neighbour, or evens the two out.
    private static func rebalance(_ node: Node, at i: Int) {
        let l = i > 0 ? i - 1 : i
        let left = node.children[l]
        let right = node.children[l + 1]
        let total = left.keys.count + right.keys.count
        if total <= left.capacity {
            left.keys.append(contentsOf: right.keys)
            left.children.append(contentsOf: right.children)
            left.counts.append(contentsOf: right.counts)
            node.counts[l] += node.counts[l + 1]
            node.keys.remove(at: l + 1)
            node.children.remove(at: l + 1)
            node.counts.remove(at: l + 1)
        } else {
            let target = total / 2
            if left.keys.count > target {
                let n = left.keys.count - target
                right.keys.insert(contentsOf: left.keys.suffix(n), at: 0)
                left.keys.removeLast(n)
                if !left.isLeaf {
                    right.children.insert(contentsOf: left.children.suffix(n), at: 0)
                    right.counts.insert(contentsOf: left.counts.suffix(n), at: 0)
                    left.children.removeLast(n)
                    left.counts.removeLast(n)
                }
            } else {
                let n = target - left.keys.count
                left.keys.append(contentsOf: right.keys.prefix(n))
                right.keys.removeFirst(n)
                if !left.isLeaf {
                    left.children.append(contentsOf: right.children.prefix(n))
                    left.counts.append(contentsOf: right.counts.prefix(n))
                    right.children.removeFirst(n)
                    right.counts.removeFirst(n)
                }
            }
            let moved = UInt32(left.size)
            node.counts[l + 1] = node.counts[l] + node.counts[l + 1] - moved
            node.counts[l] = moved
            node.keys[l + 1] = right.keys[0]
        }
        node.keys[l] = left.keys[0]
    }

    mutating func removeAll() {
        root = Node()
        count = 0
    }

    /// Bytes of the node objects and their arrays, as malloc rounds them.
    var memoryFootprint: Int { OrderTree.footprint(root) }

    private static func footprint(_ node: Node) -> Int {
        func array(_ capacity: Int, _ stride: Int) -> Int { capacity == 0 ? 0 : (32 + capacity * stride + 15) & ~15 }
        var total = 48 + array(node.keys.capacity, 4)
        if !node.isLeaf {
            total += array(node.children.capacity, 8) + array(node.counts.capacity, 4)
            for child in node.children { total += footprint(child) }
        }
        return total
    }

    /// Counts match, separators are each child's first key, nodes (but the root) are at
    /// least half full, all leaves at one depth, and `inOrder` holds for each adjacent pair.
    func _checkInvariants(inOrder: (UInt32, UInt32) -> Bool) {
        var previous: UInt32?
        var leafDepth: Int?
        func check(_ node: Node, depth: Int, isRoot: Bool) -> Int {
            precondition(node.keys.count <= node.capacity, "node overfull")
            precondition(isRoot || node.keys.count >= node.capacity / 2, "node underfull")
            if node.isLeaf {
                precondition(leafDepth == nil || leafDepth == depth, "leaves at different depths")
                leafDepth = depth
                for k in node.keys {
                    if let p = previous { precondition(inOrder(p, k), "keys out of order") }
                    previous = k
                }
                return node.keys.count
            }
            precondition(node.children.count == node.keys.count && node.counts.count == node.keys.count)
            precondition(isRoot ? node.children.count >= 2 : true, "internal root with one child")
            var total = 0
            for (i, child) in node.children.enumerated() {
                precondition(!child.keys.isEmpty && node.keys[i] == child.keys[0], "stale separator")
                let n = check(child, depth: depth + 1, isRoot: false)
                precondition(n == Int(node.counts[i]), "subtree count mismatch")
                total += n
            }
            return total
        }
        precondition(check(root, depth: 0, isRoot: true) == count, "tree count mismatch")
    }
}
