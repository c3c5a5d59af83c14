/// One reply of a command, as redis-server would send it.
///
/// RESP2 kinds (`status`, `error`, `integer`, `bulk`, `null`, `nullArray`, `array`) are what
/// commands produce for RESP2 callers; RESP3 callers (and scripts after `redis.setresp(3)`)
/// also get the RESP3 kinds where Redis 7 sends them. In RESP3 `null` and `nullArray` are
/// both RESP3's one null (`_`). ``downgradedToRESP2()`` turns RESP3 kinds into what a
/// RESP2 client receives.
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

/// The protocol a caller speaks (`HELLO 2` / `HELLO 3`): which reply shapes it receives.
public enum RESPVersion: Int, Sendable {
    case resp2 = 2
    case resp3 = 3
}

extension Reply {
    /// What a RESP2 client receives for this reply, as Redis's `addReply*` functions write
    /// RESP3 kinds to a RESP2 client: a map becomes a flat array of keys and values, a set
    /// an array, a double a bulk string (`%.17g`; `inf` and `-inf`), a boolean the integer 1
    /// or 0, a big number and a verbatim string bulk strings (the verbatim text without its
    /// format). Nested replies are converted too; a reply with no RESP3 kind is returned
    /// as it is.
    public func downgradedToRESP2() -> Reply {
        switch self {
        case .status, .error, .integer, .bulk, .null, .nullArray: return self
        case .array(let items):
            // Most arrays hold no RESP3 kind: look before copying.
            guard let first = items.firstIndex(where: \.hasRESP3Kind) else { return self }
            var out = items
            for i in first..<out.count { out[i] = out[i].downgradedToRESP2() }
            return .array(out)
        case .map(let entries):
            var out: [Reply] = []
            out.reserveCapacity(entries.count * 2)
            for entry in entries {
                out.append(entry.key.downgradedToRESP2())
                out.append(entry.value.downgradedToRESP2())
            }
            return .array(out)
        case .set(let items): return .array(items.map { $0.downgradedToRESP2() })
        case .double(let d): return .bulk(ByteString(Reply.formatDouble(d)))
        case .boolean(let b): return .integer(b ? 1 : 0)
        case .bigNumber(let text): return .bulk(ByteString(text))
        case .verbatim(_, let text): return .bulk(ByteString(text))
        }
    }

    /// Whether this reply is, or holds, a RESP3 kind.
    var hasRESP3Kind: Bool {
        switch self {
        case .status, .error, .integer, .bulk, .null, .nullArray: return false
        case .array(let items): return items.contains(where: \.hasRESP3Kind)
        default: return true
        }
    }

    /// `addReplyDouble`'s text: `inf` / `-inf`, else `%.17g` (NaN keeps its sign, `-nan`).
    public static func formatDouble(_ d: Double) -> String {
        if d == .infinity { return "inf" }
        if d == -.infinity { return "-inf" }
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        return Score.format(d).string
    }
}
