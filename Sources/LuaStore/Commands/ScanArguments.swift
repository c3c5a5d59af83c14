import LuaStoreCore

/// The arguments SSCAN, HSCAN and ZSCAN share (Redis's `parseScanCursorOrReply` and the
/// option loop of `scanGenericCommand`), and their reply shape.
///
/// Redis parses the cursor, then looks the key up (a missing key answers an empty page,
/// another type WRONGTYPE), and only then parses the options. So ``options(_:)`` returns
/// its error for the handler to throw once the key is known to exist.
enum ScanArguments {
    struct Options {
        /// MATCH, nil when absent or exactly `*` (which Redis treats as no filter, so the
        /// empty member, which `stringmatchlen` would not match, is returned too).
        var pattern: ByteString?
        /// COUNT, a hint: default 10, at least 1.
        var count = 10
    }

    /// `parseScanCursorOrReply`: `strtoul` rules (optional sign, a negative number wraps,
    /// the empty string is 0), else ERR invalid cursor.
    static func cursor(_ argument: ByteString) throws(StoreError) -> UInt64 {
        let bytes = argument.bytes
        if bytes.isEmpty { return 0 }
        var i = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative || bytes[0] == UInt8(ascii: "+") { i = 1 }
        guard i < bytes.count else { throw .invalidCursor }
        var value: UInt64 = 0
        for b in bytes[i...] {
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { throw .invalidCursor }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(b - UInt8(ascii: "0")))
            guard !o1 && !o2 else { throw .invalidCursor }
            value = sum
        }
        return negative ? 0 &- value : value
    }

    /// MATCH and COUNT after `key cursor` (COUNT a `long` >= 1, else ERR syntax error).
    /// The first error is returned, not thrown (see the type's discussion).
    static func options(_ argv: [ByteString]) -> (options: Options, error: StoreError?) {
        var options = Options()
        var j = 3
        while j < argv.count {
            guard j + 1 < argv.count else { return (options, .syntax) }
            if argv[j].isOption("COUNT") {
                guard let n = argv[j + 1].int64Value else { return (options, .notInteger) }
                if n < 1 { return (options, .syntax) }
                options.count = Int(n)
            } else if argv[j].isOption("MATCH") {
                options.pattern = argv[j + 1]
            } else {
                return (options, .syntax)
            }
            j += 2
        }
        options.pattern = effectivePattern(options.pattern)
        return (options, nil)
    }

    /// `pattern`, or nil when it is exactly `*`.
    static func effectivePattern(_ pattern: ByteString?) -> ByteString? {
        guard let pattern, !(pattern.count == 1 && pattern[0] == UInt8(ascii: "*")) else { return nil }
        return pattern
    }

    /// `[cursor, [elements...]]`, the cursor as a decimal bulk string.
    static func reply(cursor: UInt64, _ elements: Reply) -> Reply {
        .array([.bulk(ByteString(String(cursor))), elements])
    }

    /// The reply for a missing key: cursor 0, no elements.
    static let emptyPage = Reply.array([.bulk("0"), .array([])])

    /// The SSCAN/HSCAN/ZSCAN handler in Redis's order: the cursor, then `fetch` (the page
    /// from `cursor` with COUNT and MATCH, nil for a missing key: an empty page even when
    /// the options are bad), then the options' error, then the reply of `elements`.
    static func handle<Page>(
        _ argv: [ByteString],
        fetch: (_ cursor: UInt64, _ options: Options) throws(StoreError) -> (cursor: UInt64, page: Page)?,
        elements: (Page) -> Reply
    ) throws(StoreError) -> Reply {
        let cursor = try ScanArguments.cursor(argv[2])
        let (options, optionError) = ScanArguments.options(argv)
        guard let result = try fetch(cursor, options) else { return emptyPage }
        if let optionError { throw optionError }
        return reply(cursor: result.cursor, elements(result.page))
    }
}
