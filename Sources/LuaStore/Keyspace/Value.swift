import LuaStoreCore

/// What a key holds. 24 bytes: strings of up to 22 bytes and integer strings live inline
/// in the entry, so a typical cache value costs no allocation at all.
///
/// Collections are reference types mutated in place under the owning shard's mutex.
enum Value {
    /// A free slot of the key table (never visible to commands).
    case empty
    /// A string of at most ``Value/shortCapacity`` bytes, packed little-endian.
    case shortString(UInt64, UInt64, UInt32, UInt16, count: UInt8)
    /// A longer string.
    case string(ByteString)
    /// A string whose bytes are the canonical decimal form of the integer (as Redis's
    /// OBJ_ENCODING_INT): `INCR` works on it without parsing.
    case integer(Int64)

    static let shortCapacity = 22

    /// The encoding for string bytes: integer when canonical, inline when short.
    @inline(__always)
    static func fromBytes(_ bytes: ByteString) -> Value {
        bytes.withUnsafeBytes { raw in
            if raw.count <= 20, raw.count > 0, let v = ByteString.parseInt64(raw) { return .integer(v) }
            if raw.count <= shortCapacity {
                var packed: (UInt64, UInt64, UInt32, UInt16) = (0, 0, 0, 0)
                if raw.count > 0 {
                    withUnsafeMutableBytes(of: &packed) { $0.baseAddress!.copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
                }
                return .shortString(packed.0, packed.1, packed.2, packed.3, count: UInt8(raw.count))
            }
            return .string(bytes)
        }
    }

    /// The Redis type name (`TYPE`).
    var typeName: String {
        switch self {
        case .empty: return "none"
        case .shortString, .string, .integer: return "string"
        }
    }

    var isString: Bool {
        switch self {
        case .shortString, .string, .integer: return true
        default: return false
        }
    }

    /// The string bytes, or nil for another type.
    var stringBytes: ByteString? {
        switch self {
        case .shortString(let a, let b, let c, let d, let n):
            var packed = (a, b, c, d)
            return withUnsafeBytes(of: &packed) { ByteString(UnsafeRawBufferPointer(rebasing: $0[0..<Int(n)])) }
        case .string(let s): return s
        case .integer(let v): return ByteString(v)
        default: return nil
        }
    }

    /// Calls `body` with the bytes of a string value without materialising a heap copy.
    @inline(__always)
    func withStringBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
        switch self {
        case .shortString(let a, let b, let c, let d, let n):
            var packed = (a, b, c, d)
            return withUnsafeBytes(of: &packed) { body(UnsafeRawBufferPointer(rebasing: $0[0..<Int(n)])) }
        case .string(let s): return s.withUnsafeBytes(body)
        case .integer(let v):
            var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
            let n = withUnsafeMutableBytes(of: &buffer) { ByteString.formatDecimal(v, into: $0) }
            return withUnsafeBytes(of: &buffer) { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        default: return nil
        }
    }

    /// Byte length of a string value (STRLEN).
    var stringCount: Int? {
        switch self {
        case .shortString(_, _, _, _, let n): return Int(n)
        case .string(let s): return s.count
        case .integer(let v):
            var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
            return withUnsafeMutableBytes(of: &buffer) { ByteString.formatDecimal(v, into: $0) }
        default: return nil
        }
    }

    /// An independent copy (COPY): collections are duplicated, strings are immutable.
    func copied() -> Value {
        self
    }

    /// Heap bytes this value owns beyond its 24 inline bytes (memory accounting).
    var heapBytes: Int {
        switch self {
        case .string(let s): return s.heapBytes
        default: return 0
        }
    }
}
