#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ByteString: Equatable {
    /// Two inline strings compare as five words in place; anything else takes an outlined
    /// path, so the common case inlines at every call site (it was a call per comparison).
    @inlinable @inline(__always)
    public static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        if case .small(let a1, let b1, let c1, let d1, let n1) = lhs.representation,
           case .small(let a2, let b2, let c2, let d2, let n2) = rhs.representation {
            return a1 == a2 && b1 == b2 && c1 == c2 && d1 == d2 && n1 == n2
        }
        return equalsOutOfLine(lhs, rhs)
    }

    @usableFromInline @inline(never)
    static func equalsOutOfLine(_ lhs: ByteString, _ rhs: ByteString) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { l in
            rhs.withUnsafeBytes { r in l.isEmpty || memcmp(l.baseAddress!, r.baseAddress!, l.count) == 0 }
        }
    }

    /// Equality with a byte buffer, without building a `ByteString`.
    @inlinable
    package func equals(_ other: UnsafeRawBufferPointer) -> Bool {
        withUnsafeBytes { l in
            l.count == other.count && (l.isEmpty || memcmp(l.baseAddress!, other.baseAddress!, l.count) == 0)
        }
    }
}

extension ByteString: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storeHash)
    }

    /// Dictionaries and sets of byte strings (key locks, declared script keys) sit on the
    /// command path; a full SipHash round per lookup cost more than the lookup itself. The
    /// store hash is already a strong 64-bit mix, so it is only folded with the per-process
    /// seed here.
    @inlinable
    public func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: ByteString.mix(storeHash ^ UInt64(UInt(bitPattern: seed)), 0x9e37_79b9_7f4a_7c15))
    }

    /// A fast, deterministic 64-bit hash of the bytes: the keyspace picks a shard from its
    /// high bits and a bucket from its low bits. Deterministic so that SCAN order and tests
    /// are reproducible; Swift's `Hasher` (seeded per process) still guards `Set` and
    /// `Dictionary` against collision attacks through `hash(into:)`.
    @inlinable @inline(__always)
    public var storeHash: UInt64 {
        // Inline strings hash straight from their packed words: the same value the byte
        // loop computes (8-byte little-endian chunks, the last one zero-padded), without
        // materialising a buffer. Keys are hashed on every command.
        if case .small(let a, let b, let c, let d, let n) = representation {
            let p0: UInt64 = 0xa076_1d64_78bd_642f
            let p1: UInt64 = 0xe703_7ed1_a0b4_28db
            var seed: UInt64 = p0 ^ UInt64(n)
            if n > 0 { seed = ByteString.mix(a ^ p1, seed ^ p0) }
            if n > 8 { seed = ByteString.mix(b ^ p1, seed ^ p0) }
            if n > 16 { seed = ByteString.mix((UInt64(c) | UInt64(d) << 32) ^ p1, seed ^ p0) }
            return ByteString.mix(seed ^ p1, UInt64(n) ^ p0)
        }
        return storeHashOutOfLine()
    }

    /// ``storeHash`` of a heap string: outlined, so the inline case stays small where it
    /// is inlined.
    @usableFromInline @inline(never)
    func storeHashOutOfLine() -> UInt64 {
        withUnsafeBytes { ByteString.hash($0) }
    }

    @inlinable @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }

    /// The packed words of a string stored inline (bytes 0-7, 8-15, 16-21 little-endian,
    /// zero-padded) and its length; nil for a heap string. Lets containers with their own
    /// compact key form compare without building buffers.
    @inlinable
    package var inlineWords: (UInt64, UInt64, UInt64, count: Int)? {
        if case .small(let a, let b, let c, let d, let n) = representation {
            return (a, b, UInt64(c) | UInt64(d) << 32, Int(n))
        }
        return nil
    }

    /// The hash behind ``storeHash`` over any buffer.
    @inlinable
    package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        // A wyhash-style mix: 8 bytes at a time, folded with 128-bit multiplies.
        let p0: UInt64 = 0xa076_1d64_78bd_642f
        let p1: UInt64 = 0xe703_7ed1_a0b4_28db
        var seed: UInt64 = p0 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        @inline(__always) func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let r = a.multipliedFullWidth(by: b)
            return r.high ^ r.low
        }
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            seed = mix(w ^ p1, seed ^ p0)
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            seed = mix(w ^ p1, seed ^ p0)
        }
        return mix(seed ^ p1, UInt64(n) ^ p0)
    }
}

extension ByteString: Comparable {
    /// Lexicographic byte order (memcmp, shorter first on a tie), as Redis sorts members.
    @inlinable
    public static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.compare(rhs) < 0
    }

    /// memcmp-style three-way comparison.
    ///
    /// Two inline strings compare as their packed words read big-endian (bytes past the
    /// count are zero, so a proper prefix compares equal on the words and the shorter one
    /// sorts first, as memcmp then length would have it), without leaving registers.
    @inlinable
    package func compare(_ other: ByteString) -> Int {
        if case .small(let a1, let b1, let c1, let d1, let n1) = representation,
           case .small(let a2, let b2, let c2, let d2, let n2) = other.representation {
            if a1 != a2 { return a1.byteSwapped < a2.byteSwapped ? -1 : 1 }
            if b1 != b2 { return b1.byteSwapped < b2.byteSwapped ? -1 : 1 }
            let r1 = UInt64(c1) | UInt64(d1) << 32, r2 = UInt64(c2) | UInt64(d2) << 32
            if r1 != r2 { return r1.byteSwapped < r2.byteSwapped ? -1 : 1 }
            return n1 == n2 ? 0 : (n1 < n2 ? -1 : 1)
        }
        return withUnsafeBytes { l in other.withUnsafeBytes { r in ByteString.compare(l, r) } }
    }

    @inlinable
    package static func compare(_ l: UnsafeRawBufferPointer, _ r: UnsafeRawBufferPointer) -> Int {
        let n = Swift.min(l.count, r.count)
        if n > 0 {
            let c = memcmp(l.baseAddress!, r.baseAddress!, n)
            if c != 0 { return Int(c) }
        }
        return l.count == r.count ? 0 : (l.count < r.count ? -1 : 1)
    }
}

extension ByteString: ExpressibleByStringLiteral {
    @inlinable
    public init(stringLiteral value: String) { self.init(value) }
}

extension ByteString: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { string }
    public var debugDescription: String { "\"" + escaped + "\"" }

    /// The bytes in redis-cli's quoted form without the quotes (`\n`, `\x00`, `\"`).
    public var escaped: String {
        var out = ""
        withUnsafeBytes { bytes in
            for b in bytes {
                switch b {
                case UInt8(ascii: "\\"): out += "\\\\"
                case UInt8(ascii: "\""): out += "\\\""
                case UInt8(ascii: "\n"): out += "\\n"
                case UInt8(ascii: "\r"): out += "\\r"
                case UInt8(ascii: "\t"): out += "\\t"
                case 0x07: out += "\\a"
                case 0x08: out += "\\b"
                case 0x20...0x7e: out.unicodeScalars.append(Unicode.Scalar(b))
                default:
                    let hex = Array("0123456789abcdef")
                    out += "\\x" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
                }
            }
        }
        return out
    }
}
