/// One page of a cursor iteration (SCAN, SSCAN, HSCAN, ZSCAN): the elements visited and
/// the cursor to pass to the next call; 0 when the iteration is done.
///
/// ```swift
/// var cursor: UInt64 = 0
/// repeat {
///     let page = try store.hscan("user:1", cursor: cursor, count: 100)
///     for entry in page.elements { print(entry.field, entry.value) }
///     cursor = page.cursor
/// } while cursor != 0
/// ```
///
/// `Element` is `ByteString` for SCAN (keys) and SSCAN (members), `HashEntry` for HSCAN
/// and `SortedSetEntry` for ZSCAN.
///
/// # Thread safety
/// A value type: safe to share when `Element` is.
public struct ScanResult<Element> {
    /// The cursor for the next call; 0 when the iteration is done.
    public var cursor: UInt64
    /// What this call visited that matched the pattern (possibly nothing, even when
    /// ``cursor`` is not 0).
    public var elements: [Element]

    /// True when ``cursor`` is 0: no further call is needed.
    public var isComplete: Bool { cursor == 0 }

    /// A page with `cursor` for the next call and the `elements` visited.
    public init(cursor: UInt64, elements: [Element]) {
        self.cursor = cursor
        self.elements = elements
    }

    /// A page from a collection's cursor walk.
    init(_ page: (UInt64, [Element])) {
        self.init(cursor: page.0, elements: page.1)
    }
}

extension ScanResult: Sendable where Element: Sendable {}
extension ScanResult: Equatable where Element: Equatable {}
extension ScanResult: Hashable where Element: Hashable {}
