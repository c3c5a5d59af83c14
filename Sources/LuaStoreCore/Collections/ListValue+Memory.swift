extension ListValue {
    /// Estimated bytes this value owns: the object, the packed bytes or the ring's slots,
    /// and the heap bytes of long elements.
    /// - Complexity: O(1)
    @usableFromInline package var memoryFootprint: Int { 80 + packed.memoryFootprint + ring.memoryFootprint + ring.heapBytes }

    /// Checks the active encoding's invariants and that the other is empty. Traps on
    /// violation.
    @usableFromInline package func _checkInvariants() {
        if isCompact {
            precondition(ring.count == 0 && ring.storage.isEmpty, "stale ring")
            precondition(packed.count <= Self.maxCompactEntries && packed.bytes.count <= Self.maxCompactBytes)
            packed._checkInvariants()
        } else {
            precondition(packed.count == 0 && packed.bytes.isEmpty, "stale packed list")
            ring._checkInvariants()
        }
    }
}
