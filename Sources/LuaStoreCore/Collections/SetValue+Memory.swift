extension SetValue {
    /// Estimated bytes this value owns: the object, its arrays as malloc sizes them, the
    /// index, and the heap bytes of long members.
    /// - Complexity: O(1)
    @usableFromInline package var memoryFootprint: Int {
        func array(_ capacity: Int, _ stride: Int) -> Int { capacity == 0 ? 0 : (32 + capacity * stride + 15) & ~15 }
        return 72 + array(integers.capacity, 8) + array(members.capacity, MemoryLayout<ByteString>.stride) + index.memoryFootprint + memberHeapBytes
    }

    /// Checks the encoding's invariants (order, uniqueness, limits, index agreement).
    /// Traps on violation.
    @usableFromInline package func _checkInvariants() {
        precondition(members.reduce(0) { $0 + $1.heapBytes } == memberHeapBytes, "heap byte count drifted")
        switch encoding {
        case .intset:
            precondition(members.isEmpty && index.count == 0 && integers.count <= Self.maxIntsetEntries)
            for i in integers.indices.dropFirst() { precondition(integers[i - 1] < integers[i], "intset order") }
        case .listpack:
            precondition(integers.isEmpty && index.count == 0 && members.count <= Self.maxCompactEntries)
            precondition(Set(members).count == members.count, "duplicate member")
            precondition(members.allSatisfy { $0.count <= Self.maxCompactMemberBytes })
        case .hashtable:
            precondition(integers.isEmpty && index.count == members.count)
            index._checkInvariants(slotCount: members.count, isLive: { _ in true },
                                   hashOf: { members[Int($0)].storeHash })
            for (i, m) in members.enumerated() {
                precondition(index.find(hash: m.storeHash) { members[Int($0)] == m } == UInt32(i), "index lookup")
            }
        }
    }
}
