import LuaStoreCore

/// SORT's and SORT_RO's options, as the typed API takes them and the command parses them.
///
/// # Thread safety
/// A value type: safe to share.
public struct SortOptions: Sendable, Hashable {
    /// BY: the pattern whose values order the elements (`weight_*`, `hash_*->field`). A
    /// pattern without `*` (`nosort`) keeps the source's order: a list's, a sorted set's by
    /// score. Nil sorts by the elements themselves.
    public var by: ByteString?
    /// LIMIT offset count; nil returns every element. A negative count means all the rest.
    public var limit: (offset: Int, count: Int)? {
        get { limitOffset.map { ($0, limitCount) } }
        set {
            limitOffset = newValue?.offset
            limitCount = newValue?.count ?? -1
        }
    }
    /// GET: the patterns to answer per element, in order (`#` is the element itself);
    /// empty answers the elements.
    public var get: [ByteString]
    /// DESC: highest first.
    public var descending: Bool
    /// ALPHA: compare as strings instead of as doubles.
    public var alpha: Bool

    private var limitOffset: Int?
    private var limitCount: Int = -1

    public init(by: ByteString? = nil, limit: (offset: Int, count: Int)? = nil, get: [ByteString] = [],
                descending: Bool = false, alpha: Bool = false) {
        self.by = by
        self.get = get
        self.descending = descending
        self.alpha = alpha
        self.limit = limit
    }
}
