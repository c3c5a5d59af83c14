/// Inserting and removing, by rank or by a prefix search: splits, borrows and merges keep every node but the
/// root 50-100% full, and each key's prefix moves with it.
///
/// Ownership: a node's `children[0..<count]` each hold one retain, so moving slots between
/// nodes moves ownership with them; a node whose children moved elsewhere has its `count`
/// lowered first, so its `deinit` releases only what it still owns.
extension OrderTree {
    /// Inserts `key` (with its `prefix`) so that it gets rank `rank`. The caller keeps the
    /// prefixes non-decreasing along the order.
    /// - Complexity: O(log n)
    mutating func insert(_ key: UInt32, prefix: Float, at rank: Int) {
        precondition(rank >= 0 && rank <= count, "rank out of range")
        let right = Unmanaged.passUnretained(root)._withUnsafeGuaranteedRef {
            OrderTree.insert(key, prefix, at: rank, into: $0)
        }
        if let right { grow(right) }
        count += 1
    }

    /// Puts the root and its new right sibling under a new root.
    private mutating func grow(_ right: Node) {
        let left = root
        let top = Node(leaf: false)
        top.keys[0] = left.keys[0]
        top.prefixes[0] = left.prefixes[0]
        top.counts[0] = UInt32(left.size)
        top.children[0] = .passRetained(left)
        top.keys[1] = right.keys[0]
        top.prefixes[1] = right.prefixes[0]
        top.counts[1] = UInt32(right.size)
        top.children[1] = .passRetained(right)
        top.count = 2
        root = top
    }

    /// Drops an internal root with a single child.
    private mutating func shrink() {
        if !root.isLeaf && root.count == 1 {
            let old = root
            // The new root takes over the retain the old one held.
            root = old.child(0).takeRetainedValue()
            old.count = 0
        }
    }

    /// Returns the new right sibling when `node` had to split.
    private static func insert(_ key: UInt32, _ prefix: Float, at rank: Int, into node: Node) -> Node? {
        if node.isLeaf {
            node.openGap(at: rank)
            node.keys[rank] = key
            node.prefixes[rank] = prefix
        } else {
            let counts = node.counts
            var i = 0
            var r = rank
            while i < node.count - 1 && r > Int(counts[i]) {
                r -= Int(counts[i])
                i += 1
            }
            counts[i] += 1
            let split = node.child(i)._withUnsafeGuaranteedRef { insert(key, prefix, at: r, into: $0) }
            adopt(split, at: i, in: node)
        }
        return node.count > node.capacity ? split(node) : nil
    }

    /// Inserts `key` (with its `prefix`) after every key ordered before it: keys with a
    /// smaller prefix, and keys with the same prefix for which `isBefore` holds (as
    /// ``count(below:orBefore:)`` locates it). One descent, no rank arithmetic.
    /// - Complexity: O(log n) prefix comparisons; predicate calls only on ties.
    mutating func insert(_ key: UInt32, prefix: Float, isBefore: (UInt32) -> Bool) {
        let right = Unmanaged.passUnretained(root)._withUnsafeGuaranteedRef {
            OrderTree.insert(key, prefix, isBefore, into: $0)
        }
        if let right { grow(right) }
        count += 1
    }

    private static func insert(_ key: UInt32, _ prefix: Float, _ isBefore: (UInt32) -> Bool, into node: Node) -> Node? {
        let p = partition(node.keys, node.prefixes, node.count, prefix, isBefore)
        if node.isLeaf {
            node.openGap(at: p)
            node.keys[p] = key
            node.prefixes[p] = prefix
        } else {
            let i = Swift.max(p - 1, 0)
            node.counts[i] += 1
            let split = node.child(i)._withUnsafeGuaranteedRef { insert(key, prefix, isBefore, into: $0) }
            adopt(split, at: i, in: node)
        }
        return node.count > node.capacity ? split(node) : nil
    }

    /// After an insert into `node`'s child `i`: refreshes its separator and takes in the
    /// child's new right sibling, if it split.
    @inline(__always)
    private static func adopt(_ split: Node?, at i: Int, in node: Node) {
        node.child(i)._withUnsafeGuaranteedRef { child in
            node.keys[i] = child.keys[0]
            node.prefixes[i] = child.prefixes[0]
        }
        if let split {
            let moved = UInt32(split.size)
            node.counts[i] -= moved
            node.openGap(at: i + 1)
            node.keys[i + 1] = split.keys[0]
            node.prefixes[i + 1] = split.prefixes[0]
            node.counts[i + 1] = moved
            node.children[i + 1] = .passRetained(split)
        }
    }

    /// Moves the upper half of the overfull `node` into a new right sibling.
    private static func split(_ node: Node) -> Node {
        let half = node.count / 2
        let right = Node(leaf: node.isLeaf)
        let n = node.count - half
        right.copySlots(from: node, half, to: 0, n)
        right.count = n
        node.count = half
        return right
    }

    /// Removes and returns the key at `rank`.
    /// - Complexity: O(log n)
    @discardableResult
    mutating func remove(at rank: Int) -> UInt32 {
        precondition(rank >= 0 && rank < count, "rank out of range")
        let key = Unmanaged.passUnretained(root)._withUnsafeGuaranteedRef { OrderTree.remove(at: rank, from: $0) }
        shrink()
        count -= 1
        return key
    }

    private static func remove(at rank: Int, from node: Node) -> UInt32 {
        if node.isLeaf {
            let key = node.keys[rank]
            node.closeGap(at: rank)
            return key
        }
        let counts = node.counts
        var i = 0
        var r = rank
        while r >= Int(counts[i]) {
            r -= Int(counts[i])
            i += 1
        }
        counts[i] -= 1
        let key = node.child(i)._withUnsafeGuaranteedRef { remove(at: r, from: $0) }
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
        let key = Unmanaged.passUnretained(root)._withUnsafeGuaranteedRef {
            OrderTree.remove(prefix, notAfter, from: $0)
        }
        shrink()
        count -= 1
        return key
    }

    private static func remove(_ prefix: Float, _ notAfter: (UInt32) -> Bool, from node: Node) -> UInt32 {
        let i = partition(node.keys, node.prefixes, node.count, prefix, notAfter) - 1
        precondition(i >= 0, "key not in the tree")
        if node.isLeaf {
            let key = node.keys[i]
            node.closeGap(at: i)
            return key
        }
        node.counts[i] -= 1
        let key = node.child(i)._withUnsafeGuaranteedRef { remove(prefix, notAfter, from: $0) }
        repair(node, at: i)
        return key
    }

    /// After a removal under `node`'s child `i`: rebalances the child if it fell under half
    /// full, else refreshes its separator.
    @inline(__always)
    private static func repair(_ node: Node, at i: Int) {
        let underfull = node.child(i)._withUnsafeGuaranteedRef { child in
            if child.count < child.capacity / 2 && node.count > 1 { return true }
            if child.count > 0 {
                node.keys[i] = child.keys[0]
                node.prefixes[i] = child.prefixes[0]
            }
            return false
        }
        // Outside the closure: a merge may free child `i`.
        if underfull { rebalance(node, at: i) }
    }

    /// Merges the underfull child `i` with a neighbour, or evens the two out.
    private static func rebalance(_ node: Node, at i: Int) {
        let l = i > 0 ? i - 1 : i
        // Owned by `node` throughout, but for `right` after a merge, which is not
        // touched once released.
        unowned(unsafe) let left = node.child(l).takeUnretainedValue()
        unowned(unsafe) let right = node.child(l + 1).takeUnretainedValue()
        let total = left.count + right.count
        if total <= left.capacity {
            left.copySlots(from: right, 0, to: left.count, right.count)
            left.count = total
            right.count = 0 // its children now belong to `left`
            node.counts[l] += node.counts[l + 1]
            node.child(l + 1).release()
            node.closeGap(at: l + 1)
        } else {
            let target = total / 2
            if left.count > target {
                let n = left.count - target
                right.openGap(at: 0, n)
                right.copySlots(from: left, target, to: 0, n)
                left.count = target
            } else {
                let n = target - left.count
                left.copySlots(from: right, 0, to: left.count, n)
                left.count = target
                right.closeGap(at: 0, n)
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
