import LuaStoreCore

// Safety: `withMutableString` hands its body a mutable pointer to the string's bytes. The
// value is moved out of its entry first, so the buffer is owned by this call alone while
// the body runs (``ByteString/withUniqueMutableBytes(minimumCount:_:)`` copies a shared
// one), and the pointer is valid only inside the body.

extension ShardState {
    /// Calls `body` with the bytes of the string at `slot` to change in place, first
    /// zero-extended to `minimumCount` (SETBIT, BITFIELD, HyperLogLog). The value is
    /// moved out of the entry for the call, so a buffer that no reader holds a copy of is
    /// written where it is (``ByteString/withUniqueMutableBytes(minimumCount:_:)``): a bit
    /// write to a 512 MB bitmap does not copy it. The result stays a byte string, as
    /// Redis's bit commands leave a raw (not integer-encoded) string.
    /// - Throws: ``StoreError/wrongType`` when the key holds another type.
    mutating func withMutableString<R>(
        slot: Int, minimumCount: Int = 0, _ body: (UnsafeMutableRawBufferPointer) -> R
    ) throws(StoreError) -> R {
        var bytes: ByteString
        switch table[slot].value {
        case .string(let s): bytes = s
        case .integer(let v): bytes = ByteString(v)
        default: throw .wrongType
        }
        discharge(table[slot].value)
        table[slot].value = .empty
        let result = bytes.withUniqueMutableBytes(minimumCount: minimumCount, body)
        table[slot].value = .string(bytes)
        charge(table[slot].value)
        return result
    }
}
