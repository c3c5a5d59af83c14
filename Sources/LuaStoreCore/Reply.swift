/// One reply of a command, as redis-server would send it.
///
/// RESP2 kinds (`status`, `error`, `integer`, `bulk`, `null`, `nullArray`, `array`) are what
/// commands produce; the RESP3 kinds exist for scripts that call `redis.setresp(3)`.
///
/// # Thread safety
/// A value type of `Sendable` parts: safe to share.
public enum Reply: Sendable, Hashable {
    /// `+OK`: a simple status line.
    case status(String)
    /// `-ERR ...`: the full error line, prefix included (`WRONGTYPE ...`, `ERR ...`).
    case error(String)
    /// `:42`
    case integer(Int64)
    /// `$3\r\nfoo`: binary-safe.
    case bulk(ByteString)
    /// `$-1`: the null bulk string (GET on a missing key).
    case null
    /// `*-1`: the null array (BLPOP timing out, EXEC aborted).
    case nullArray
    /// `*n`
    case array([Reply])
    // RESP3
    /// `%n`: a map of key/value pairs, in order.
    case map([MapEntry])
    /// `~n`
    case set([Reply])
    /// `,1.5`
    case double(Double)
    /// `#t` / `#f`
    case boolean(Bool)
    /// `(123...`: an integer beyond 64 bits, as decimal text.
    case bigNumber(String)
    /// `=15\r\ntxt:...`: text with a 3-letter format.
    case verbatim(format: String, text: String)

    /// One key/value pair of a ``Reply/map(_:)``.
    public struct MapEntry: Sendable, Hashable {
        public var key: Reply
        public var value: Reply
        public init(key: Reply, value: Reply) {
            self.key = key
            self.value = value
        }
    }

    /// `+OK`
    public static let ok = Reply.status("OK")

    /// A bulk reply from text.
    @inlinable
    public static func bulk(_ text: String) -> Reply { .bulk(ByteString(text)) }
}

extension Reply {
    /// The error line if this is an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }

    /// The integer if this is an integer reply.
    public var integerValue: Int64? {
        if case .integer(let v) = self { return v }
        return nil
    }

    /// The bytes of a bulk reply, or the text of a status reply.
    public var byteStringValue: ByteString? {
        switch self {
        case .bulk(let b): return b
        case .status(let s): return ByteString(s)
        default: return nil
        }
    }

    /// The text of a bulk or status reply (UTF-8, repaired).
    public var stringValue: String? { byteStringValue?.string }

    /// The elements of an array or set reply.
    public var arrayValue: [Reply]? {
        switch self {
        case .array(let a), .set(let a): return a
        default: return nil
        }
    }

    /// True for `null` and `nullArray`.
    public var isNull: Bool {
        switch self {
        case .null, .nullArray: return true
        default: return false
        }
    }
}
