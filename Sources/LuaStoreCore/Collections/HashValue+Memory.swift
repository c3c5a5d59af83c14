extension HashValue {
    /// Estimated bytes this value owns: the object, the entry array as malloc sizes it, the
    /// index, and the heap bytes of long fields and values.
    /// - Complexity: O(1)
    @usableFromInline package var memoryFootprint: Int {
        let array = entries.capacity == 0 ? 0 : (32 + entries.capacity * MemoryLayout<HashEntry>.stride + 15) & ~15
        return 72 + array + index.memoryFootprint + stringHeapBytes
    }

    /// Checks uniqueness, the listpack limits and the index agreeing with the entries.
    /// Traps on violation.
    @usableFromInline package func _checkInvariants() {
        let heap = entries.reduce(0) { $0 + $1.field.heapBytes + $1.value.heapBytes }
        precondition(heap == stringHeapBytes, "heap byte count drifted")
        precondition(Set(entries.map(\.field)).count == entries.count, "duplicate field")
        if isCompact {
            precondition(index.count == 0 && entries.count <= Self.maxCompactEntries)
            precondition(entries.allSatisfy {
                $0.field.count <= Self.maxCompactValueBytes && $0.value.count <= Self.maxCompactValueBytes
            })
            return
        }
        precondition(index.count == entries.count)
        index._checkInvariants(slotCount: entries.count, isLive: { _ in true },
                               hashOf: { entries[Int($0)].field.storeHash })
        for (i, e) in entries.enumerated() {
            precondition(position(of: e.field) == i, "index lookup")
        }
    }
}
