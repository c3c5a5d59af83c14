#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaStoreCore

/// A key as the key table stores it: 16 bytes, keys of up to 14 bytes inline, longer ones
/// sharing the caller's ``ByteString`` buffer. Eight bytes less per key than a
/// `ByteString`, which is what keeps an entry at 48 bytes.
///
/// # Safety
/// ``KeyTable/find(_:hash:)`` reads inline keys as two raw words, which depends on how the
/// compiler lays out the private enum. ``hasPackedLayout`` checks that layout (reading a
/// copy of a key through a temporary buffer, never a variable's address), and every new
/// table refuses to start without it.
///
/// # Thread safety
/// An immutable value.
struct KeyBytes {
    static let inlineCapacity = 14

    private enum Representation {
        case small(UInt64, UInt32, UInt16, count: UInt8)
        case large(ByteStorage)
    }

    private var representation: Representation

    init() { representation = .small(0, 0, 0, count: 0) }

    /// Keys of up to ``inlineCapacity`` bytes are always stored inline, even when `key`
    /// holds them in shared storage: ``KeyTable/find(_:hash:)`` compares inline keys by
    /// their words, so a short key must have one representation only.
    @inline(__always)
    init(_ key: ByteString) {
        if let storage = key.sharedStorage, key.count > KeyBytes.inlineCapacity {
            representation = .large(storage)
            return
        }
        if let w = key.inlineWords, w.count <= KeyBytes.inlineCapacity {
            representation = .small(
                w.0, UInt32(truncatingIfNeeded: w.1), UInt16(truncatingIfNeeded: w.1 &>> 32), count: UInt8(w.count))
            return
        }
        // 15 to 22 bytes, or a short key in shared storage: copy its bytes.
        representation = key.withUnsafeBytes { raw in
            if raw.count > KeyBytes.inlineCapacity { return .large(ByteString.makeStorage(copying: raw)) }
            return KeyBytes(ByteString(raw)).representation
        }
    }

    @inline(__always)
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch representation {
        case .small(let a, let b, let c, let n):
            return ByteString.withInlineBytes(a, UInt64(b) | UInt64(c) &<< 32, 0, count: Int(n), body)
        case .large(let storage):
            return ByteString(sharedStorage: storage).withUnsafeBytes(body)
        }
    }

    /// The two words an inline key occupies in memory, for a key of at most
    /// ``inlineCapacity`` bytes given as ``ByteString/inlineWords``: its first 8 bytes,
    /// then bytes 8 to 13 with the count in byte 14 and the case tag (0, inline) in byte
    /// 15. ``KeyTable/find(_:hash:)`` compares an entry's key with two loads against
    /// these; ``hasPackedLayout`` checks that the compiler lays the enum out so.
    @inline(__always)
    static func packedWords(_ words: (UInt64, UInt64, UInt64, count: Int)) -> (UInt64, UInt64) {
        (words.0, words.1 | UInt64(words.count) << 48)
    }

    /// Whether inline keys lie in memory as ``packedWords(_:)`` says and a shared key
    /// never matches them (byte 15, the case tag, is not 0). Checked by every new table.
    static var hasPackedLayout: Bool {
        guard MemoryLayout<KeyBytes>.size == 16 else { return false }
        for text in ["", "a", "k000000042", "abcdefghijklmn"] {
            let key = ByteString(text)
            let raw = storedWords(KeyBytes(key))
            guard let words = key.inlineWords, raw == packedWords(words) else { return false }
        }
        return storedWords(KeyBytes(ByteString(String(repeating: "x", count: 15)))).1 >> 56 != 0
    }

    /// The two words `key` occupies in memory, read through a buffer that only pointers
    /// touch (see ``ByteString/withInlineBytes(_:_:_:count:_:)`` for why not a variable's
    /// address).
    private static func storedWords(_ key: KeyBytes) -> (UInt64, UInt64) {
        withUnsafeTemporaryAllocation(of: KeyBytes.self, capacity: 1) { buffer in
            buffer.baseAddress!.initialize(to: key)
            defer { buffer.baseAddress!.deinitialize(count: 1) }
            let raw = UnsafeRawPointer(buffer.baseAddress!)
            return (UInt64(littleEndian: raw.load(as: UInt64.self)), UInt64(littleEndian: raw.load(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    /// Equality with a key, comparing packed words when both are inline.
    @inline(__always)
    func equals(_ key: ByteString) -> Bool {
        if case .small(let a, let b, let c, let n) = representation, let w = key.inlineWords {
            return Int(n) == w.count && a == w.0 && (UInt64(b) | UInt64(c) << 32) == w.1
        }
        return key.withUnsafeBytes { equals($0) }
    }

    @inline(__always)
    func equals(_ other: UnsafeRawBufferPointer) -> Bool {
        withUnsafeBytes { mine in
            mine.count == other.count && (mine.isEmpty || memcmp(mine.baseAddress!, other.baseAddress!, mine.count) == 0)
        }
    }

    /// Heap bytes the key owns beyond its 16 inline bytes (memory accounting).
    var heapBytes: Int {
        switch representation {
        case .small: return 0
        case .large(let storage): return ByteString(sharedStorage: storage).heapBytes
        }
    }

    /// The key as a ``ByteString`` (no allocation).
    var byteString: ByteString {
        switch representation {
        case .small: return withUnsafeBytes { ByteString($0) }
        case .large(let storage): return ByteString(sharedStorage: storage)
        }
    }
}
