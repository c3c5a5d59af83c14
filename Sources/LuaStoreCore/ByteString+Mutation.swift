#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Safety: `withUniqueMutableBytes` writes a heap buffer in place only when this string
// holds its only reference (`isKnownUniquelyReferenced`) and it has room, so no other
// value can observe the write; it zero-fills the bytes it adds before `body` sees them,
// and `body`'s pointer covers exactly the string's new count. Everything else is copied.
extension ByteString {
    /// Gives `body` the bytes to change in place, first zero-extended to `minimumCount`
    /// when shorter (SETBIT, BITFIELD and HyperLogLog writes).
    ///
    /// A heap buffer that this string alone references is written where it is, and grows
    /// within its allocation; otherwise (shared with a reader's copy, too small, or inline)
    /// the bytes are copied first. A buffer that must grow gets room to spare as Redis's
    /// `sdsMakeRoomFor` does (double below 1 MiB, 1 MiB more above), so a run of writes
    /// at rising offsets copies the string O(log n) times, not once per write.
    ///
    /// Thread safety: the caller must have exclusive access to this string's storage
    /// (the key's shard lock, held for writing): uniqueness is checked, not locked. A
    /// reader that copied the string out and has since dropped its copy is ordered before
    /// the write by the reference count (released on drop, acquired by the check), as for
    /// any copy-on-write buffer; Thread Sanitizer does not see the runtime's atomics, so
    /// under it (``inPlaceWrites`` false) the bytes are always copied.
    public mutating func withUniqueMutableBytes<R>(
        minimumCount: Int, _ body: (UnsafeMutableRawBufferPointer) -> R
    ) -> R {
        let oldCount = count
        let newCount = Swift.max(oldCount, minimumCount)
        if newCount <= ByteString.inlineCapacity {
            var scratch = [UInt8](repeating: 0, count: newCount)
            withUnsafeBytes { old in for i in 0..<old.count { scratch[i] = old[i] } }
            let result = scratch.withUnsafeMutableBytes { body($0) }
            self = ByteString(scratch)
            return result
        }
        if var buffer = ByteString.takeBuffer(&self) {
            if ByteString.inPlaceWrites && isKnownUniquelyReferenced(&buffer) && newCount <= buffer.capacity {
                let result = buffer.withUnsafeMutablePointers { header, elements in
                    if newCount > header.pointee {
                        (elements + header.pointee).initialize(repeating: 0, count: newCount - header.pointee)
                        header.pointee = newCount
                    }
                    return body(UnsafeMutableRawBufferPointer(start: elements, count: newCount))
                }
                representation = .large(ByteStorage(buffer: buffer))
                return result
            }
            self = ByteString(representation: .large(ByteStorage(buffer: buffer)))
        }
        let capacity = newCount == oldCount ? newCount
            : newCount < 1 << 20 ? newCount * 2 : newCount + 1 << 20
        let fresh = ManagedBuffer<Int, UInt8>.create(minimumCapacity: capacity) { _ in newCount }
        let result = fresh.withUnsafeMutablePointerToElements { elements in
            let raw = UnsafeMutableRawPointer(elements)
            withUnsafeBytes { old in
                if old.count > 0 { raw.copyMemory(from: old.baseAddress!, byteCount: old.count) }
            }
            (raw + oldCount).initializeMemory(as: UInt8.self, repeating: 0, count: newCount - oldCount)
            return body(UnsafeMutableRawBufferPointer(start: raw, count: newCount))
        }
        representation = .large(ByteStorage(buffer: fresh))
        return result
    }

    /// False when Thread Sanitizer's runtime is in the process: it would report the write
    /// after a reader's last use of a dropped copy as a race, since the ordering comes
    /// from the reference count's atomics, which it does not instrument.
    static let inPlaceWrites: Bool = {
        guard let handle = dlopen(nil, RTLD_NOW) else { return true }
        defer { dlclose(handle) }
        return dlsym(handle, "__tsan_init") == nil
    }()

    /// Moves the heap buffer out of `string` (leaving it empty), so that the caller's
    /// reference is the string's only one; nil, with `string` untouched, for inline bytes.
    private static func takeBuffer(_ string: inout ByteString) -> ManagedBuffer<Int, UInt8>? {
        guard case .large(let storage) = string.representation else { return nil }
        let buffer = storage.buffer
        string = ByteString()
        return buffer
    }
}
