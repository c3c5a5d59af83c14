import LuaStoreCore

/// Argument parsing shared by the list commands (and BZPOPMIN/BZPOPMAX for the timeout),
/// with Redis's error for each failure.
enum ListArguments {
    /// `getListPositionFromObjectOrReply`: LEFT or RIGHT in any case, else a syntax error.
    static func end(_ argument: ByteString) throws(StoreError) -> ListEnd {
        if argument.isOption("LEFT") { return .left }
        if argument.isOption("RIGHT") { return .right }
        throw .syntax
    }

    /// `getPositiveLongFromObjectOrReply` (LPOP/RPOP/SPOP counts): a non-integer and a
    /// negative number fail with the same `error`.
    static func nonNegative(_ argument: ByteString, error: StoreError) throws(StoreError) -> Int {
        guard let v = argument.int64Value, v >= 0 else { throw error }
        return Int(v)
    }

    /// `getRangeLongFromObjectOrReply(1, LONG_MAX, msg)` (numkeys, LMPOP's COUNT).
    static func positive(_ argument: ByteString, error: StoreError) throws(StoreError) -> Int {
        guard let v = argument.int64Value, v >= 1 else { throw error }
        return Int(v)
    }

    /// `getTimeoutFromObjectOrReply` in seconds: validates a blocking command's timeout as
    /// Redis 7.0 does (`long double` seconds times 1000, truncated to `long long`; what
    /// does not fit, `inf` included, becomes negative). Returns milliseconds, 0 = forever.
    static func timeout(_ argument: ByteString) throws(StoreError) -> Int64 {
        guard let seconds = argument.withUnsafeBytes({ LongDoubleText.parse($0) }) else { throw .timeoutNotFloat }
        let ms = seconds * 1000
        guard ms < 9_223_372_036_854_775_807, ms > -9_223_372_036_854_775_807 else { throw .timeoutNegative }
        let truncated = Int64(ms)
        guard truncated >= 0 else { throw .timeoutNegative }
        return truncated
    }
}
