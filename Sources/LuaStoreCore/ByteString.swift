#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A binary-safe, immutable byte string: Redis's "string" for keys, values and members.
///
/// Any bytes are allowed, including NUL and invalid UTF-8. Strings of up to
/// ``inlineCapacity`` (22) bytes are stored inline in the 24-byte value with no heap
/// allocation; longer ones share one tail-allocated buffer (a single `malloc`).
///
/// ## Memory Utilization
/// `MemoryLayout<ByteString>.size == 24`. Typical keys, members and small values
/// (`user:1000`, a counter, a short JSON number) cost nothing beyond those 24 bytes, and
/// reading them back (GET) allocates nothing.
///
/// # Safety
/// Inline bytes are built from raw word loads (`init(_: UnsafeRawBufferPointer)`
/// reads only the `count` bytes it was given, by overlapping loads inside them) and handed
/// out through a scratch buffer (``withInlineBytes(_:_:_:count:_:)``), never through a
/// variable's address, which Swift 6.3's optimizer miscompiles (Docs/Architecture.md,
/// "Inline bytes and the optimizer"). Heap bytes live in a `ManagedBuffer` whose header is
/// their count, and every pointer handed out covers exactly that count and is valid only
/// inside the closure it is given to.
///
/// # Thread safety
/// A value type whose heap storage is never mutated after creation: safe to share and
/// read from any thread.
@frozen
public struct ByteString: Sendable {
    /// The longest string kept inline.
    public static let inlineCapacity = 22

    @usableFromInline
    enum Representation: Sendable {
        /// `count` bytes packed little-endian into `a` (bytes 0..<8), `b` (8..<16),
        /// `c` (16..<20), `d` (20..<22).
        case small(a: UInt64, b: UInt64, c: UInt32, d: UInt16, count: UInt8)
        case large(ByteStorage)
    }

    @usableFromInline
    var representation: Representation

    @inlinable
    init(representation: Representation) { self.representation = representation }

    /// The empty string.
    @inlinable
    public init() { representation = .small(a: 0, b: 0, c: 0, d: 0, count: 0) }

    /// Copies `bytes`.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        if n <= ByteString.inlineCapacity {
            self = n == 0 ? ByteString() : ByteString(inlineFrom: bytes.baseAddress!, count: n)
        } else {
            representation = .large(ByteStorage.make(copying: bytes))
        }
    }

    /// The inline form of `count` (1...22) bytes at `p`, assembled in registers from
    /// (possibly overlapping) word loads. Copying into a zeroed stack buffer and reading
    /// it back as words (memcpy) stalls on store-to-load forwarding for ~15 cycles per
    /// word; this was a third of the time of converting a `redis.call` argument.
    @inlinable @inline(__always)
    init(inlineFrom p: UnsafeRawPointer, count n: Int) {
        let a: UInt64, b: UInt64, rest: UInt64
        if n <= 8 {
            a = ByteString.loadPartial(p, n); b = 0; rest = 0
        } else if n <= 16 {
            a = ByteString.loadWord(p); b = ByteString.loadPartial(p + 8, n - 8); rest = 0
        } else {
            a = ByteString.loadWord(p); b = ByteString.loadWord(p + 8); rest = ByteString.loadPartial(p + 16, n - 16)
        }
        representation = .small(
            a: a, b: b, c: UInt32(truncatingIfNeeded: rest), d: UInt16(truncatingIfNeeded: rest &>> 32),
            count: UInt8(truncatingIfNeeded: n))
    }

    @inlinable @inline(__always)
    static func loadWord(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
    }

    /// `n` (0...8) bytes at `p` as a little-endian word, reading only those bytes.
    @inlinable @inline(__always)
    static func loadPartial(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        if n >= 8 { return loadWord(p) }
        if n >= 4 {
            let low = UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
            return low | (high &<< UInt64((n - 4) &* 8))
        }
        if n == 0 { return 0 }
        let first = UInt64(p.load(as: UInt8.self))
        let middle = UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self))
        let last = UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
        return first | (middle &<< UInt64((n >> 1) &* 8)) | (last &<< UInt64((n - 1) &* 8))
    }

    /// Calls `body` with `count` (0...22) inline bytes given as three little-endian words.
    ///
    /// The one place that turns inline words into a pointer. The words are stored into a
    /// scratch buffer through its raw pointer and read only through it: never a Swift
    /// variable whose address escapes. Swift 6.3's optimizer miscompiles the other way, a
    /// local tuple read through `withUnsafeBytes(of: &tuple)`, once the reading code is
    /// inlined into another module: it treats the bytes as undefined and folds comparisons
    /// of them (`ByteStringInlineBytesTests` keeps a reduction; see Docs/Architecture.md).
    @inlinable @inline(__always)
    package static func withInlineBytes<R>(
        _ a: UInt64, _ b: UInt64, _ rest: UInt64, count: Int, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        try withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { scratch in
            let p = scratch.baseAddress!
            p.storeBytes(of: a.littleEndian, as: UInt64.self)
            p.storeBytes(of: b.littleEndian, toByteOffset: 8, as: UInt64.self)
            p.storeBytes(of: rest.littleEndian, toByteOffset: 16, as: UInt64.self)
            return try body(UnsafeRawBufferPointer(start: p, count: count))
        }
    }

    /// Copies the bytes of a sequence.
    @inlinable
    public init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        if let done = bytes.withContiguousStorageIfAvailable({ ByteString(UnsafeRawBufferPointer($0)) }) {
            self = done
        } else {
            let array = Array(bytes)
            self = array.withUnsafeBytes { ByteString($0) }
        }
    }

    /// The UTF-8 bytes of `string`.
    @inlinable
    public init(_ string: String) {
        var s = string
        self = s.withUTF8 { ByteString(UnsafeRawBufferPointer($0)) }
    }

    /// The decimal text of `value`, as Redis formats integers (at most 20 bytes: always
    /// inline), built in registers (see ``init(inlineFrom:count:)``).
    @inlinable
    public init(_ value: Int64) {
        if value >= 0 && value < 100 {
            // One or two digits (counters, indices, LTRIM bounds): no division loop.
            let n: UInt64 = UInt64(value)
            let a: UInt64 = n < 10 ? 0x30 &+ n : (0x30 &+ n / 10) | ((0x30 &+ n % 10) &<< 8)
            representation = .small(a: a, b: 0, c: 0, d: 0, count: n < 10 ? 1 : 2)
            return
        }
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 { probe /= 10; digits &+= 1 }
        let n = digits + (value < 0 ? 1 : 0)
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var position = n
        repeat {
            position &-= 1
            let byte = UInt64(0x30 &+ magnitude % 10)
            magnitude /= 10
            let shift = UInt64((position & 7) &* 8)
            switch position >> 3 {
            case 0: words.0 |= byte &<< shift
            case 1: words.1 |= byte &<< shift
            default: words.2 |= byte &<< shift
            }
        } while magnitude > 0
        if value < 0 { words.0 |= 0x2D }
        representation = .small(
            a: words.0, b: words.1, c: UInt32(truncatingIfNeeded: words.2), d: UInt16(truncatingIfNeeded: words.2 &>> 32),
            count: UInt8(truncatingIfNeeded: n))
    }

    /// Whether the first byte could begin a decimal integer (a digit or `-`), and the
    /// bytes are few enough for an `Int64`: the cheap test before ``int64Value``.
    @inlinable
    package var mayBeInteger: Bool {
        switch representation {
        case .small(let a, _, _, _, let count):
            let first = UInt8(truncatingIfNeeded: a)
            return count > 0 && count <= 20 && ((first &- UInt8(ascii: "0")) < 10 || first == UInt8(ascii: "-"))
        case .large(let storage):
            // Usually more than 22 bytes, but a key's shared storage may be shorter.
            guard storage.header <= 20 else { return false }
            return withUnsafeBytes { raw in
                guard let first = raw.first else { return false }
                return (first &- UInt8(ascii: "0")) < 10 || first == UInt8(ascii: "-")
            }
        }
    }

    /// A copy, made inline: inline bytes are copied as plain words, without the outlined
    /// copy-and-destroy pair that copying a `ByteString` of unknown kind costs. For a hot
    /// path that moves a caller's value into the store (SET).
    @inlinable @inline(__always)
    package var copied: ByteString {
        switch representation {
        case .small(let a, let b, let c, let d, let count):
            return ByteString(representation: .small(a: a, b: b, c: c, d: d, count: count))
        case .large(let storage):
            return ByteString(representation: .large(storage))
        }
    }

    /// The number of bytes.
    @inlinable
    public var count: Int {
        switch representation {
        case .small(_, _, _, _, let count): return Int(count)
        case .large(let storage): return storage.header
        }
    }

    @inlinable
    public var isEmpty: Bool { count == 0 }

    /// Calls `body` with the bytes. The pointer is valid only inside `body`.
    ///
    /// The inline form is written into a scratch buffer that only raw pointers ever touch
    /// (see ``withInlineBytes(_:_:_:count:_:)``).
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch representation {
        case .small(let a, let b, let c, let d, let count):
            return try ByteString.withInlineBytes(a, b, UInt64(c) | UInt64(d) &<< 32, count: Int(count), body)
        case .large(let storage):
            return try storage.withUnsafeMutablePointers { header, elements in
                try body(UnsafeRawBufferPointer(start: elements, count: header.pointee))
            }
        }
    }

    /// The bytes as an array.
    @inlinable
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The bytes decoded as UTF-8, with invalid sequences repaired (for display and errors).
    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    /// The byte at `offset`. The inline form is read from its words by shifts.
    @inlinable
    public subscript(offset: Int) -> UInt8 {
        precondition(offset >= 0 && offset < count, "ByteString index out of range")
        switch representation {
        case .small(let a, let b, let c, let d, _):
            let word = offset < 8 ? a : offset < 16 ? b : UInt64(c) | UInt64(d) &<< 32
            return UInt8(truncatingIfNeeded: word &>> UInt64((offset & 7) &* 8))
        case .large(let storage):
            return storage.withUnsafeMutablePointers { _, elements in elements[offset] }
        }
    }

    /// Bytes `range` (clamped by the caller) as a new string.
    @inlinable
    public func slice(_ range: Range<Int>) -> ByteString {
        withUnsafeBytes { ByteString(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// `self` followed by `other`.
    @inlinable
    public func appending(_ other: ByteString) -> ByteString {
        let total = count + other.count
        if total <= ByteString.inlineCapacity {
            if total == 0 { return ByteString() }
            return withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { dst in
                withUnsafeBytes { mine in
                    other.withUnsafeBytes { theirs in
                        if !mine.isEmpty { dst.baseAddress!.copyMemory(from: mine.baseAddress!, byteCount: mine.count) }
                        if !theirs.isEmpty {
                            (dst.baseAddress! + mine.count).copyMemory(from: theirs.baseAddress!, byteCount: theirs.count)
                        }
                    }
                }
                return ByteString(inlineFrom: UnsafeRawPointer(dst.baseAddress!), count: total)
            }
        }
        let storage = ByteStorage.make(count: total) { dst in
            withUnsafeBytes { mine in
                other.withUnsafeBytes { theirs in
                    if !mine.isEmpty { dst.copyMemory(from: mine.baseAddress!, byteCount: mine.count) }
                    if !theirs.isEmpty { (dst + mine.count).copyMemory(from: theirs.baseAddress!, byteCount: theirs.count) }
                }
            }
        }
        return ByteString(representation: .large(storage))
    }

    /// Heap bytes owned beyond the 24 inline bytes (for memory accounting).
    @inlinable
    package var heapBytes: Int {
        switch representation {
        case .small: return 0
        case .large(let storage): return ByteStorage.allocationSize(for: storage.header)
        }
    }
}

/// The tail-allocated buffer behind a large ``ByteString`` (one `malloc`): the header is
/// the byte count.
///
/// # Thread safety
/// The buffer is written in `make`, before it is published, and afterwards only by
/// ``ByteString/withUniqueMutableBytes(minimumCount:_:)`` while the writer holds its only
/// reference (so no other thread can be reading it); that is what makes sharing it safe
/// (hence `@unchecked Sendable`, since `ManagedBuffer` itself is not `Sendable`).
@frozen @usableFromInline
package struct ByteStorage: @unchecked Sendable {
    @usableFromInline let buffer: ManagedBuffer<Int, UInt8>

    @inlinable
    init(buffer: ManagedBuffer<Int, UInt8>) { self.buffer = buffer }

    @inlinable
    var header: Int { buffer.header }

    @inlinable
    func withUnsafeMutablePointers<R>(
        _ body: (UnsafeMutablePointer<Int>, UnsafeMutablePointer<UInt8>) throws -> R
    ) rethrows -> R {
        try buffer.withUnsafeMutablePointers(body)
    }

    @inlinable
    static func make(count: Int, fill: (UnsafeMutableRawPointer) -> Void) -> ByteStorage {
        let buffer = ManagedBuffer<Int, UInt8>.create(minimumCapacity: count) { _ in count }
        buffer.withUnsafeMutablePointerToElements { fill(UnsafeMutableRawPointer($0)) }
        return ByteStorage(buffer: buffer)
    }

    @inlinable
    static func make(copying bytes: UnsafeRawBufferPointer) -> ByteStorage {
        make(count: bytes.count) { $0.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
    }

    /// Object header (16) + count (8) + bytes, rounded up as malloc does (16).
    @inlinable
    static func allocationSize(for count: Int) -> Int { (24 + count + 15) & ~15 }
}

extension ByteString {
    /// The heap buffer of a string longer than ``inlineCapacity``, for containers that keep
    /// their own compact form of short strings and share the buffer of long ones.
    @usableFromInline package var sharedStorage: ByteStorage? {
        if case .large(let storage) = representation { return storage }
        return nil
    }

    /// A string over a buffer taken from ``sharedStorage``.
    @usableFromInline package init(sharedStorage: ByteStorage) {
        representation = .large(sharedStorage)
    }
}

extension ByteString {
    /// A heap buffer holding a copy of `bytes`, whatever their length.
    @usableFromInline package static func makeStorage(copying bytes: UnsafeRawBufferPointer) -> ByteStorage {
        ByteStorage.make(copying: bytes)
    }
}

extension ByteString {
    /// The bytes with ASCII `A`-`Z` folded to lower case (command and option names).
    /// Allocates nothing for strings that fit inline.
    @inlinable
    package func asciiLowercased() -> ByteString {
        if case .small(let a, let b, let c, let d, let n) = representation {
            // SWAR: fold eight bytes at a time. A byte gets 0x20 added iff it is in A-Z.
            @inline(__always) func fold64(_ w: UInt64) -> UInt64 {
                let low7 = w & 0x7f7f_7f7f_7f7f_7f7f
                let atLeastA = low7 &+ 0x3f3f_3f3f_3f3f_3f3f   // high bit set iff byte >= 'A'
                let aboveZ = low7 &+ 0x2525_2525_2525_2525     // high bit set iff byte > 'Z'
                let upper = atLeastA & ~aboveZ & ~w & 0x8080_8080_8080_8080
                return w | (upper >> 2)
            }
            let cd = fold64(UInt64(c) | UInt64(d) << 32)
            return ByteString(representation: .small(
                a: fold64(a), b: fold64(b), c: UInt32(truncatingIfNeeded: cd), d: UInt16(truncatingIfNeeded: cd >> 32), count: n))
        }
        return withUnsafeBytes { src in
            @inline(__always) func fold(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }
            return ByteString(src.map(fold))
        }
    }
}
