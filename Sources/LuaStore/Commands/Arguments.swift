import LuaStoreCore

/// Argument parsing shared by the families, with Redis's error for each failure.
extension ByteString {
    /// `getLongLongFromObjectOrReply`: ERR value is not an integer or out of range.
    @inline(__always)
    func integerArgument() throws(StoreError) -> Int64 {
        guard let v = int64Value else { throw .notInteger }
        return v
    }

    /// Case-insensitive comparison with an ASCII option name given in upper case.
    @inline(__always)
    func isOption(_ upper: StaticString) -> Bool {
        guard count == upper.utf8CodeUnitCount else { return false }
        return withUnsafeBytes { bytes in
            let u = upper.utf8Start
            for i in 0..<bytes.count {
                var b = bytes[i]
                if b >= 97 && b <= 122 { b -= 32 }
                if b != u[i] { return false }
            }
            return true
        }
    }
}

/// Units of a relative or absolute expiration argument.
enum ExpireUnit {
    case seconds, milliseconds, unixSeconds, unixMilliseconds

    var isRelative: Bool { self == .seconds || self == .milliseconds }
}

/// `getExpireMillisecondsOrReply` (t_string.c): the deadline in Unix ms for an EX/PX/EXAT/
/// PXAT argument, or Redis's errors (not an integer; `invalid expire time in '<cmd>'`).
func expirationDeadline(_ argument: ByteString, unit: ExpireUnit, command: String, now: Int64) throws(StoreError) -> Int64 {
    var ms = try argument.integerArgument()
    if ms <= 0 || ((unit == .seconds || unit == .unixSeconds) && ms > Int64.max / 1000) {
        throw .invalidExpireTime(command: command)
    }
    if unit == .seconds || unit == .unixSeconds { ms *= 1000 }
    if unit.isRelative {
        let (sum, overflow) = ms.addingReportingOverflow(now)
        if overflow { throw .invalidExpireTime(command: command) }
        ms = sum
    }
    if ms <= 0 { throw .invalidExpireTime(command: command) }
    return ms
}

/// The most elements a random-pick command with a negative count (SRANDMEMBER,
/// HRANDFIELD, ZRANDMEMBER: repetition allowed) may return. Redis streams such replies
/// and, for absurd counts, dies or drops the client; an in-process reply must be built in
/// memory, so LuaStore refuses past this bound instead of exhausting the host's memory.
let maxRepeatedRandomCount: Int64 = 1 << 24

/// Throws `error` for a negative count whose magnitude is past ``maxRepeatedRandomCount``.
/// The ops call it, so the command handlers, the typed API and `redis.call` share it.
/// SRANDMEMBER refuses with the bounds (``StoreError/valueOutOfRange(min:max:)``),
/// HRANDFIELD and ZRANDMEMBER with ``StoreError/valueOutOfRangeUnbounded``, their reply
/// for an out-of-range count with WITHVALUES/WITHSCORES.
func checkRepeatedRandomCount(_ count: Int, else error: StoreError) throws(StoreError) {
    if Int64(count) < -maxRepeatedRandomCount { throw error }
}
