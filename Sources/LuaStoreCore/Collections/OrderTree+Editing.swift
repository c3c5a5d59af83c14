/// Inserting and removing, by rank or by a prefix search: splits, borrows and merges keep every node but the
/// root 50-100% full, and each key's prefix moves with it.
extension OrderTree {
    /// Inserts `key` (with its `prefix`) so that it gets rank `rank`. The caller keeps the
    /// prefixes non-decreasing along the order.
    /// - Complexity: O(log n)
    mutating func insert(_ key: UInt32, prefix: Float, at rank: Int) {
        precondition(rank >= 0 && rank <= count, "rank out of range")
        if let right = OrderTree.insert(key, prefix, at: rank, into: root) {
            let left = root
            root = Node(keys: [left.keys[0], right.keys[0]], prefixes: [left.prefixes[0], right.prefixes[0]],
                        children: [left, right], counts: [UInt32(left.size), UInt32(right.size)])
        }
        count += 1
    }

    /// Returns the new right sibling when `node` had to split.
    private static func insert(_ key: UInt32, _ prefix: Float, at rank: Int, into node: Node) -> Node? {
        if node.isLeaf {
            node.keys.insert(key, at: rank)
            node.prefixes.insert(prefix, at: rank)
        } else {
            var i = 0
            var r = rank
            while i < node.counts.count - 1 && r > Int(node.counts[i]) {
                r -= Int(node.counts[i])
                i += 1
            }
            let child = node.children[i]
            node.counts[i] += 1
            adopt(insert(key, prefix, at: r, into: child), after: child, at: i, in: node)
        }
        return node.keys.count > node.capacity ? split(node) : nil
    }

    /// Inserts `key` (with its `prefix`) after every key ordered before it: keys with a
    /// smaller prefix, and keys with the same prefix for which `isBefore` holds (as
    /// ``count(below:orBefore:)`` locates it). One descent, no rank arithmetic.
    /// - Complexity: O(log n) prefix comparisons; predicate calls only on ties.
    mutating func insert(_ key: UInt32, prefix: Float, isBefore: (UInt32) -> Bool) {
        if let right = OrderTree.insert(key, prefix, isBefore, into: root) {
            let left = root
            root = Node(keys: [left.keys[0], right.keys[0]], prefixes: [left.prefixes[0], right.prefixes[0]],
                        children: [left, right], counts: [UInt32(left.size), UInt32(right.size)])
        }
        count += 1
    }

    private static func insert(_ key: UInt32, _ prefix: Float, _ isBefore: (UInt32) -> Bool, into node: Node) -> Node? {
        let p = partition(node, prefix, isBefore)
        if node.isLeaf {
            node.keys.insert(key, at: p)
            node.prefixes.insert(prefix, at: p)
        } else {
            let i = Swift.max(p - 1, 0)
            let child = node.children[i]
            node.counts[i] += 1
            adopt(insert(key, prefix, isBefore, into: child), after: child, at: i, in: node)
        }
        return node.keys.count > node.capacity ? split(node) : nil
    }

    /// After an insert into `node`'s child `i`: refreshes its separator and takes in the
    /// child's new right sibling, if it split.
    @inline(__always)
    private static func adopt(_ split: Node?, after child: Node, at i: Int, in node: Node) {
        node.keys[i] = child.keys[0]
        node.prefixes[i] = child.prefixes[0]
        if let split {
            node.keys.insert(split.keys[0], at: i + 1)
            node.prefixes.insert(split.prefixes[0], at: i + 1)
            node.children.insert(split, at: i + 1)
            let moved = UInt32(split.size)
            node.counts[i] -= moved
            node.counts.insert(moved, at: i + 1)
        }
    }

    private static func split(_ node: Node) -> Node {
        let half = node.keys.count / 2
        let right = Node()
        right.keys.reserveCapacity(node.capacity + 1)
        right.keys.append(contentsOf: node.keys[half...])
        right.prefixes.reserveCapacity(node.capacity + 1)
        right.prefixes.append(contentsOf: node.prefixes[half...])
        node.keys.removeSubrange(half...)
        node.prefixes.removeSubrange(half...)
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
        if node.isLeaf {
            node.prefixes.remove(at: rank)
            return node.keys.remove(at: rank)
        }
        var i = 0
        var r = rank
        while r >= Int(node.counts[i]) {
            r -= Int(node.counts[i])
            i += 1
        }
        let child = node.children[i]
        node.counts[i] -= 1
        let key = remove(at: r, from: child)
        repair(node, at: i)
        return key
    }

    /// Removes and returns the last key `notAfter` holds for, where `notAfter` says
    /// whether a key sorts at or before the target (prefixes first, the predicate on ties,
    /// as in ``count(below:orBefore:)``). The target must be in the tree. One descent, no
    /// rank arithmetic.
    /// - Complexity: O(log n) prefix comparisons; predicate calls only on ties.
    @discardableResult
    mutating func remove(prefix: Float, notAfter: (UInt32) -> Bool) -> UInt32 {
        precondition(count > 0, "remove from an empty tree")
        let key = OrderTree.remove(prefix, notAfter, from: root)
        if !root.isLeaf && root.children.count == 1 { root = root.children[0] }
        count -= 1
        return key
    }

    private static func remove(_ prefix: Float, _ notAfter: (UInt32) -> Bool, from node: Node) -> UInt32 {
        let i = partition(node, prefix, notAfter) - 1
        precondition(i >= 0, "key not in the tree")
        if node.isLeaf {
            node.prefixes.remove(at: i)
            return node.keys.remove(at: i)
        }
        let child = node.children[i]
        node.counts[i] -= 1
        let key = remove(prefix, notAfter, from: child)
        repair(node, at: i)
        return key
    }

    /// After a removal under `node`'s child `i`: rebalances the child if it fell under half
    /// full, else refreshes its separator.
    @inline(__always)
    private static func repair(_ node: Node, at i: Int) {
        let child = node.children[i]
        if child.keys.count < child.capacity / 2 && node.children.count > 1 {
            rebalance(node, at: i)
        } else if !child.keys.isEmpty {
            node.keys[i] = child.keys[0]
            node.prefixes[i] = child.prefixes[0]
        }
    }

    /// Merges the underfull child `i` with a neighbour, or evens the two out.
    private static func rebalance(_ node: Node, at i: Int) {
        let l = i > 0 ? i - 1 : i
        let left = node.children[l]
        let right = node.children[l + 1]
        let total = left.keys.count + right.keys.count
        if total <= left.capacity {
            left.keys.append(contentsOf: right.keys)
            left.prefixes.append(contentsOf: right.prefixes)
            left.children.append(contentsOf: right.children)
            left.counts.append(contentsOf: right.counts)
            node.counts[l] += node.counts[l + 1]
            node.keys.remove(at: l + 1)
            node.prefixes.remove(at: l + 1)
            node.children.remove(at: l + 1)
            node.counts.remove(at: l + 1)
        } else {
            let target = total / 2
            if left.keys.count > target {
                let n = left.keys.count - target
                right.keys.insert(contentsOf: left.keys.suffix(n), at: 0)
                right.prefixes.insert(contentsOf: left.prefixes.suffix(n), at: 0)
                left.keys.removeLast(n)
                left.prefixes.removeLast(n)
                if !left.isLeaf {
                    right.children.insert(contentsOf: left.children.suffix(n), at: 0)
                    right.counts.insert(contentsOf: left.counts.suffix(n), at: 0)
                    left.children.removeLast(n)
                    left.counts.removeLast(n)
                }
            } else {
                let n = target - left.keys.count
                left.keys.append(contentsOf: right.keys.prefix(n))
                left.prefixes.append(contentsOf: right.prefixes.prefix(n))
                right.keys.removeFirst(n)
                right.prefixes.removeFirst(n)
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
            node.prefixes[l + 1] = right.prefixes[0]
        }
        node.keys[l] = left.keys[0]
        node.prefixes[l] = left.prefixes[0]
    }
}
