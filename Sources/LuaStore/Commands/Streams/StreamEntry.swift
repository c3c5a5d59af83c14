import LuaStoreCore

/// One stream entry: its ID and its field/value pairs, in the order they were added.
///
/// # Thread safety
/// A value type: safe to share.
public struct StreamEntry: Sendable, Equatable, CustomStringConvertible {
    public var id: StreamID
    public var pairs: [(field: ByteString, value: ByteString)]

    public init(id: StreamID, pairs: [(field: ByteString, value: ByteString)]) {
        self.id = id
        self.pairs = pairs
    }

    public static func == (a: StreamEntry, b: StreamEntry) -> Bool {
        a.id == b.id && a.pairs.count == b.pairs.count
            && zip(a.pairs, b.pairs).allSatisfy { $0.field == $1.field && $0.value == $1.value }
    }

    public var description: String {
        "\(id) " + pairs.map { "\($0.field.string)=\($0.value.string)" }.joined(separator: " ")
    }

    /// `[id, [field, value, ...]]`, as `streamReplyWithRange` writes an entry.
    var reply: Reply {
        .array([.bulk(id.text), .array(pairs.flatMap { [Reply.bulk($0.field), Reply.bulk($0.value)] })])
    }
}

/// How XADD and XTRIM trim (`streamAddTrimArgs`).
///
/// # Thread safety
/// A value type: safe to share.
public struct StreamTrim: Sendable, Hashable {
    /// What to keep.
    public enum Strategy: Sendable, Hashable {
        /// At most this many entries (MAXLEN).
        case maxLength(Int)
        /// No entry below this ID (MINID).
        case minID(StreamID)
    }

    public var strategy: Strategy
    /// `~`: remove only whole blocks of entries, which may leave more than asked.
    public var approximate: Bool
    /// With `approximate`, at most this many entries removed (LIMIT; 0 is no limit). nil
    /// is Redis's default: 10000 when approximate, no limit when exact.
    public var limit: Int?

    public init(_ strategy: Strategy, approximate: Bool = false, limit: Int? = nil) {
        self.strategy = strategy
        self.approximate = approximate
        self.limit = limit
    }

    /// The limit the trim applies (0: none).
    var effectiveLimit: Int { limit ?? (approximate ? 100 * StreamValue.maxEntriesPerBlock : 0) }
}
