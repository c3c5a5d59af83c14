extension SortedSetValue {
    /// Estimated bytes this value owns: the object, its arrays as malloc sizes them, the
    /// index and tree, and the heap bytes of long members. A compact set's tree is its
    /// empty root leaf, which every sorted set allocates (about 1.1 KB).
    /// - Complexity: O(n / 64): one visit per tree node.
    @usableFromInline package var memoryFootprint: Int {
        let entryStride = MemoryLayout<SortedSetEntry>.stride
        func array(_ capacity: Int, _ stride: Int) -> Int { capacity == 0 ? 0 : (32 + capacity * stride + 15) & ~15 }
        let total = 112 + array(compact.capacity, entryStride) + array(slots.capacity, entryStride) + array(freeSlots.capacity, 4)
        return total + index.memoryFootprint + tree.memoryFootprint + memberHeapBytes
    }

    /// Checks the encoding's invariants: order, uniqueness, the index and tree agreeing with
    /// the slots, and the free list naming exactly the holes. Traps on violation.
    @usableFromInline package func _checkInvariants() {
        let heap = compact.reduce(0) { $0 + $1.member.heapBytes } + slots.reduce(0) { $0 + $1.member.heapBytes }
        precondition(heap == memberHeapBytes, "heap byte count drifted")
        if isCompact {
            precondition(slots.isEmpty && freeSlots.isEmpty && index.count == 0 && tree.count == 0)
            precondition(compact.count <= Self.maxCompactEntries, "compact set too large")
            for i in compact.indices {
                precondition(!compact[i].score.isNaN && compact[i].member.count <= Self.maxCompactMemberBytes)
                if i > 0 {
                    precondition(compact[i - 1].precedes(score: compact[i].score, member: compact[i].member), "order")
                }
            }
            return
        }
        precondition(compact.isEmpty)
        let holes = slots.indices.filter { slots[$0].score.isNaN }
        precondition(Set(holes) == Set(freeSlots.map(Int.init)) && holes.count == freeSlots.count, "free list")
        precondition(slots.count - holes.count == tree.count && index.count == tree.count, "counts")
        index._checkInvariants(slotCount: slots.count, isLive: { !slots[Int($0)].score.isNaN },
                               hashOf: { slots[Int($0)].member.storeHash })
        tree._checkInvariants(prefixOf: { Self.prefix(slots[Int($0)].score) }) { a, b in
            let x = slots[Int(a)]
            let y = slots[Int(b)]
            return !x.score.isNaN && x.precedes(score: y.score, member: y.member)
        }
        for (i, e) in slots.enumerated() where !e.score.isNaN {
            precondition(slot(of: e.member) == UInt32(i), "index lookup")
        }
    }
}

extension SortedSetValue {
    /// ``memoryFootprint`` with the tree estimated from its element count instead of
    /// visited (leaves about three quarters full, one node header per leaf): what the
    /// shard's memory accounting reads after every write.
    /// - Complexity: O(1)
    @usableFromInline package var estimatedFootprint: Int {
        guard !isCompact else { return memoryFootprint }
        let entryStride = MemoryLayout<SortedSetEntry>.stride
        func array(_ capacity: Int, _ stride: Int) -> Int { capacity == 0 ? 0 : (32 + capacity * stride + 15) & ~15 }
        let leaves = tree.count / (OrderTree.leafCapacity * 3 / 4) + 1
        let treeBytes = leaves * (64 + ((OrderTree.leafCapacity + 1) * 8 + 8 + 15) & ~15)
        return 112 + array(slots.capacity, entryStride) + array(freeSlots.capacity, 4) + index.memoryFootprint
            + treeBytes + memberHeapBytes
    }
}
