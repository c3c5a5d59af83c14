/// A Swift type a ``Reply`` converts to, for typed script results:
/// `try store.eval(limiter, keys: ["hits:\(user)"], args: [10], as: Int.self)`.
///
/// The conversions follow what a script's value becomes in Redis: a Lua number is an
/// integer reply, a string a bulk reply, a table an array (or a map, a set, a double after
/// `redis.setresp(3)`), `true` the integer 1 and `false` (or `nil`) the null reply.
///
/// | type | accepts |
/// |---|---|
/// | `Int`, `Int64` | an integer; a bulk or status string holding a decimal integer (`string2ll`) |
/// | `Double` | a double, an integer; a bulk or status string holding a float (`"2.5"`, `"inf"`) |
/// | `Bool` | an integer (0 is false, any other true), a RESP3 boolean, null (false) |
/// | `String` | a bulk string of valid UTF-8, a status, a verbatim string's text |
/// | ``ByteString`` | a bulk string, a status |
/// | `Optional` | null (`nil`), else what the wrapped type accepts |
/// | `Array` | an array or a set, element by element |
/// | `Dictionary` | a RESP3 map, or a RESP2 array of alternating keys and values (as `HGETALL` in a RESP2 script) |
/// | ``Reply`` | anything, unchanged |
///
/// Anything else throws ``StoreError/unexpectedReply(expected:got:)``, naming the type
/// asked for and the reply (or element) that did not fit. An error reply, at the top or
/// inside an array, throws that error (``StoreError/custom(_:)``) as an untyped call does.
///
/// Conform your own types by converting from the reply's parts:
///
/// ```swift
/// struct Hit: ReplyDecodable {
///     var count: Int, ttl: Int
///     init(reply: Reply) throws(StoreError) {
///         let parts = try [Int](reply: reply)
///         guard parts.count == 2 else { throw .unexpectedReply(expected: "Hit", got: reply) }
///         (count, ttl) = (parts[0], parts[1])
///     }
/// }
/// ```
public protocol ReplyDecodable {
    /// The value `reply` stands for.
    /// - Throws: ``StoreError/unexpectedReply(expected:got:)`` when the reply does not
    ///   fit; the error itself for an error reply.
    init(reply: Reply) throws(StoreError)
}

extension Reply {
    /// The error this reply carries, or a mismatch naming `expected`.
    func mismatch(expected: String) -> StoreError {
        if case .error(let line) = self { return .custom(line) }
        return .unexpectedReply(expected: expected, got: self)
    }

    /// The text of a bulk or status reply as raw bytes.
    var scalarText: ByteString? {
        switch self {
        case .bulk(let bytes): return bytes
        case .status(let text): return ByteString(text)
        default: return nil
        }
    }

    /// A short description for error messages: the kind, and the value or the element
    /// count (strings cut at 40 bytes).
    public var summary: String {
        func quoted(_ text: String) -> String {
            text.utf8.count <= 40 ? "\"\(text)\"" : "\"\(String(decoding: text.utf8.prefix(40), as: UTF8.self))...\""
        }
        switch self {
        case .status(let text): return "status \(quoted(text))"
        case .error(let line): return "error \(quoted(line))"
        case .integer(let value): return "integer \(value)"
        case .bulk(let bytes): return "bulk string \(quoted(bytes.escaped))"
        case .null, .nullArray: return "null"
        case .array(let items): return "array of \(items.count)"
        case .map(let entries): return "map of \(entries.count)"
        case .set(let items): return "set of \(items.count)"
        case .double(let value): return "double \(Reply.formatDouble(value))"
        case .boolean(let value): return "boolean \(value)"
        case .bigNumber(let text): return "big number \(text)"
        case .verbatim(_, let text): return "verbatim string \(quoted(text))"
        }
    }
}

extension Reply: ReplyDecodable {
    /// The reply itself.
    public init(reply: Reply) throws(StoreError) {
        if case .error(let line) = reply { throw .custom(line) }
        self = reply
    }
}

extension Int64: ReplyDecodable {
    public init(reply: Reply) throws(StoreError) {
        if case .integer(let value) = reply {
            self = value
        } else if let value = reply.scalarText?.int64Value {
            self = value
        } else {
            throw reply.mismatch(expected: "Int64")
        }
    }
}

extension Int: ReplyDecodable {
    public init(reply: Reply) throws(StoreError) {
        if case .integer(let value) = reply {
            self = Int(value)
        } else if let value = reply.scalarText?.int64Value {
            self = Int(value)
        } else {
            throw reply.mismatch(expected: "Int")
        }
    }
}

extension Double: ReplyDecodable {
    public init(reply: Reply) throws(StoreError) {
        switch reply {
        case .double(let value): self = value
        case .integer(let value): self = Double(value)
        default:
            guard let value = reply.scalarText?.doubleValue else { throw reply.mismatch(expected: "Double") }
            self = value
        }
    }
}

extension Bool: ReplyDecodable {
    /// Lua's `true` is the integer 1 and `false` the null reply, as Redis converts them.
    public init(reply: Reply) throws(StoreError) {
        switch reply {
        case .integer(let value): self = value != 0
        case .boolean(let value): self = value
        case .null, .nullArray: self = false
        default: throw reply.mismatch(expected: "Bool")
        }
    }
}

extension String: ReplyDecodable {
    /// Bytes that are not valid UTF-8 do not fit: decode ``ByteString`` for binary values.
    public init(reply: Reply) throws(StoreError) {
        switch reply {
        case .status(let text): self = text
        case .verbatim(_, let text): self = text
        case .bulk(let bytes):
            guard let text = bytes.withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
                throw .unexpectedReply(expected: "String (valid UTF-8)", got: reply)
            }
            self = text
        default: throw reply.mismatch(expected: "String")
        }
    }
}

extension ByteString: ReplyDecodable {
    public init(reply: Reply) throws(StoreError) {
        guard let bytes = reply.scalarText else { throw reply.mismatch(expected: "ByteString") }
        self = bytes
    }
}

extension Optional: ReplyDecodable where Wrapped: ReplyDecodable {
    /// `nil` for the null reply (a missing key, a Lua `false` or `nil`).
    public init(reply: Reply) throws(StoreError) {
        switch reply {
        case .null, .nullArray: self = nil
        default: self = try Wrapped(reply: reply)
        }
    }
}

extension Array: ReplyDecodable where Element: ReplyDecodable {
    public init(reply: Reply) throws(StoreError) {
        guard case .array(let items) = reply.arrayShape else { throw reply.mismatch(expected: "Array") }
        var out: [Element] = []
        out.reserveCapacity(items.count)
        for item in items { out.append(try Element(reply: item)) }
        self = out
    }
}

extension Dictionary: ReplyDecodable where Key: ReplyDecodable, Value: ReplyDecodable {
    /// A RESP3 map, or a RESP2 flat array of keys and values; a key given twice keeps its
    /// last value.
    public init(reply: Reply) throws(StoreError) {
        var out: [Key: Value] = [:]
        switch reply {
        case .map(let entries):
            out.reserveCapacity(entries.count)
            for entry in entries { out[try Key(reply: entry.key)] = try Value(reply: entry.value) }
        case .array(let items) where items.count % 2 == 0:
            out.reserveCapacity(items.count / 2)
            var index = 0
            while index < items.count {
                out[try Key(reply: items[index])] = try Value(reply: items[index + 1])
                index += 2
            }
        default: throw reply.mismatch(expected: "Dictionary")
        }
        self = out
    }
}

extension Reply {
    /// An array or a set as `.array`; anything else unchanged.
    fileprivate var arrayShape: Reply {
        if case .set(let items) = self { return .array(items) }
        return self
    }
}
