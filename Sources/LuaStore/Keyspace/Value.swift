import LuaStoreCore

/// What a key holds. 24 bytes: strings of up to 22 bytes (inline in ``ByteString``) and
/// integer strings live in the entry itself, so a typical cache value costs no allocation.
///
/// Collections are reference types mutated in place under the owning shard's mutex.
enum Value {
    /// A free slot of the key table (never visible to commands).
    case empty
    case string(ByteString)
    /// A string whose bytes are the canonical decimal form of the integer (as Redis's
    /// OBJ_ENCODING_INT): `INCR` works on it without parsing.
    case integer(Int64)
    case list(ListValue)
    case set(SetValue)
    case sortedSet(SortedSetValue)
    case hash(HashValue)
    case stream(StreamValue)

    /// The encoding for string bytes: integer when canonical, bytes otherwise.
    @inline(__always)
    static func fromBytes(_ bytes: ByteString) -> Value {
        if bytes.mayBeInteger, let v = bytes.int64Value { return .integer(v) }
        return .string(bytes.copied)
    }

    /// The Redis type name (`TYPE`).
    var typeName: String {
        switch self {
        case .empty: return "none"
        case .string, .integer: return "string"
        case .list: return "list"
        case .set: return "set"
        case .sortedSet: return "zset"
        case .hash: return "hash"
        case .stream: return "stream"
        }
    }

    var isString: Bool {
        switch self {
        case .string, .integer: return true
        default: return false
        }
    }

    /// The string bytes, or nil for another type.
    @inline(__always)
    var stringBytes: ByteString? {
        switch self {
        case .string(let s): return s
        case .integer(let v): return ByteString(v)
        default: return nil
        }
    }

    /// Calls `body` with the bytes of a string value.
    @inline(__always)
    func withStringBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
        switch self {
        case .string(let s): return s.withUnsafeBytes(body)
        case .integer(let v): return ByteString(v).withUnsafeBytes(body)
        default: return nil
        }
    }

    /// Byte length of a string value (STRLEN).
    var stringCount: Int? {
        switch self {
        case .string(let s): return s.count
        case .integer(let v): return ByteString(v).count
        default: return nil
        }
    }

    /// An independent copy (COPY): collections are duplicated, strings are immutable.
    func copied() -> Value {
        switch self {
        case .list(let l): return .list(l.copy())
        case .set(let s): return .set(s.copy())
        case .sortedSet(let z): return .sortedSet(z.copy())
        case .hash(let h): return .hash(h.copy())
        case .stream(let x): return .stream(x.copy())
        default: return self
        }
    }

    /// Heap bytes this value owns beyond its 24 inline bytes (memory accounting).
    var heapBytes: Int {
        switch self {
        case .string(let s): return s.heapBytes
        case .list(let l): return l.memoryFootprint
        case .set(let s): return s.memoryFootprint
        case .sortedSet(let z): return z.memoryFootprint
        case .hash(let h): return h.memoryFootprint
        case .stream(let x): return x.memoryFootprint
        default: return 0
        }
    }
}
