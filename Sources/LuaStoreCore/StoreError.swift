/// The one error type of LuaStore. Each case's ``message`` is the error line redis-server 7
/// sends for the same failure, byte for byte, so `Reply.error(error.message)` is what a
/// Redis client would see.
///
/// # Thread safety
/// A value type: safe to share.
public enum StoreError: Error, Sendable, Hashable {
    case wrongType
    case notInteger
    case notFloat
    case syntax
    case overflow
    case wrongArity(command: String)
    case unknownCommand(name: String, args: [ByteString])
    case unknownSubcommand(command: String, subcommand: String)
    /// A known subcommand with an argument count its handler refuses
    /// (`addReplySubcommandSyntaxError`).
    case subcommandSyntax(command: String, subcommand: String)
    case noSuchKey
    case indexOutOfRange
    case invalidExpireTime(command: String)
    case notFloatIncrNaNOrInf
    case bitOffset
    case stringTooLong
    case minMaxNotFloat
    case minMaxNotValidString
    case timeoutNotFloat
    case timeoutNegative
    case noScript
    case busyKey
    case outOfMemory
    /// `getRangeLongFromObjectOrReply` without a message: an integer outside `min...max`.
    case valueOutOfRange(min: Int64, max: Int64)
    /// `value is out of range`, without bounds (HRANDFIELD/ZRANDMEMBER counts with
    /// WITHVALUES/WITHSCORES).
    case valueOutOfRangeUnbounded
    /// SELECT / COPY ... DB: a database index that does not exist.
    case dbIndexOutOfRange
    /// COPY / RENAME-style commands given the same key twice.
    case sameObject
    /// ZADD/ZINCRBY flags.
    case zaddNXAndXX
    case zaddGTLTAndNX
    case zaddIncrSinglePair
    /// OBJECT FREQ without an LFU `maxmemory-policy`.
    case lfuNotSelected
    /// OBJECT IDLETIME under an LFU `maxmemory-policy`.
    case lfuSelected
    /// CONFIG SET of a parameter LuaStore does not have (`name` as given).
    case unknownConfigOption(String)
    /// CONFIG SET (or ``LuaStore/updateSettings(_:)``) with a value the parameter refuses.
    case configSetFailed(parameter: String, reason: String)
    /// CONFIG REWRITE: an in-process store has no configuration file.
    case noConfigFile
    /// COMMAND GETKEYS / GETKEYSANDFLAGS.
    case getKeysInvalidCommand
    case getKeysInvalidArgumentCount
    case getKeysInvalidArguments
    case getKeysNoKeyArguments

    // MARK: Strings
    /// DECRBY with `LLONG_MIN` (its negation does not fit).
    case decrementOverflow
    /// SETRANGE with a negative offset.
    case offsetOutOfRange

    // MARK: Bitmaps
    /// SETBIT with a bit value other than 0 or 1.
    case bitNotZeroOrOne
    /// BITPOS with a bit argument other than 0 or 1.
    case bitposBitNotZeroOrOne
    /// BITOP NOT with more than one source key.
    case bitopNotSingleSource
    /// BITFIELD type that is not `i1`...`i64` or `u1`...`u63`.
    case bitfieldInvalidType
    /// BITFIELD OVERFLOW other than WRAP, SAT or FAIL.
    case bitfieldInvalidOverflow
    /// BITFIELD_RO given SET or INCRBY.
    case bitfieldReadOnly

    // MARK: HyperLogLog
    /// A string that is not a HyperLogLog given to PFADD, PFCOUNT or PFMERGE.
    case notHyperLogLog
    /// A HyperLogLog whose sparse form does not decode to 16384 registers.
    case corruptHyperLogLog
    /// PFDEBUG of a missing key.
    case hyperLogLogKeyMissing
    /// PFDEBUG DECODE of a dense HyperLogLog.
    case hyperLogLogNotSparse
    /// PFDEBUG with a subcommand it does not have (named as given).
    case pfdebugUnknownSubcommand(String)
    /// PFSELFTEST found the implementation wrong (what it found).
    case hyperLogLogSelfTestFailed(String)

    // MARK: LCS and SORT
    /// LCS on a key that holds another type than a string.
    case lcsNotStrings
    /// LCS given both LEN and IDX.
    case lcsLenAndIdx
    /// LCS whose table of (len1+1)*(len2+1) 32-bit cells would pass proto-max-bulk-len.
    case lcsTooLarge
    /// SORT by a value (the element or a BY key) that does not parse as a double.
    case sortScoreNotDouble

    // MARK: Streams
    /// An ID argument that is not `ms-seq`, `ms` (or `-`/`+` where allowed).
    case streamInvalidID
    /// XADD with the ID 0-0.
    case streamIDNotGreaterThanZero
    /// XADD with an ID at or below the stream's last ID.
    case streamIDTooSmall
    /// XADD to a stream whose last ID is the greatest possible.
    case streamExhausted
    /// A negative MAXLEN.
    case streamMaxlenNegative
    /// A negative LIMIT.
    case streamLimitNegative
    /// Two trim strategies in one command.
    case streamMaxlenAndMinid
    /// LIMIT with an exact trim.
    case streamLimitWithoutApproximation
    /// An exclusive start past the greatest ID.
    case streamInvalidStartInterval
    /// An exclusive end before 0-0.
    case streamInvalidEndInterval
    /// XSETID below the last live entry.
    case streamSetIDBelowTop
    /// XSETID below its own MAXDELETEDID.
    case streamSetIDBelowMaxDeleted
    /// XSETID's ENTRIESADDED below the stream's length.
    case streamEntriesAddedBelowLength
    /// A negative ENTRIESADDED.
    case streamEntriesAddedNegative
    /// XREAD whose STREAMS list has no ID for some key.
    case streamXreadUnbalanced
    /// XREAD given the `>` ID.
    case streamXreadGreaterThanID
    /// A BLOCK timeout that is not an integer.
    case streamTimeoutNotInteger

    /// LIMIT without MAXLEN or MINID.
    case streamLimitWithoutStrategy

    /// XGROUP on a missing key (without CREATE ... MKSTREAM).
    case streamGroupKeyRequired
    /// XGROUP CREATE of a group that exists.
    case busyGroup
    /// ENTRIESREAD below -1.
    case streamEntriesReadInvalid
    /// XREADGROUP given the `$` ID.
    case xreadgroupDollarID
    /// XREADGROUP without GROUP.
    case xreadgroupMissingGroup
    /// XREAD given NOACK.
    case xreadNoAck
    /// XCLAIM's min-idle-time not an integer.
    case xclaimInvalidMinIdle
    /// XCLAIM's IDLE not an integer.
    case xclaimInvalidIdle
    /// XCLAIM's TIME not an integer.
    case xclaimInvalidTime
    /// XCLAIM's RETRYCOUNT not an integer.
    case xclaimInvalidRetryCount
    /// XAUTOCLAIM's min-idle-time not an integer.
    case xautoclaimInvalidMinIdle
    /// XAUTOCLAIM's COUNT below 1 or not an integer.
    case xautoclaimCountNotPositive
    /// XGROUP SETID, CREATECONSUMER, DELCONSUMER of a missing group.
    case noGroupForKey(group: String, key: String)
    /// XREADGROUP on a missing key or group.
    case noGroupInRead(key: String, group: String)
    /// XPENDING, XCLAIM, XAUTOCLAIM on a missing key or group.
    case noGroup(key: String, group: String)
    /// An XCLAIM option it does not know.
    case xclaimUnrecognizedOption(String)

    /// XREAD given GROUP.
    case xreadGroupOption

    // MARK: Geo
    /// A position outside longitudes ±180 or latitudes ±85.05112878.
    case geoInvalidPair(longitude: Double, latitude: Double)
    /// A distance unit other than M, KM, FT or MI.
    case geoUnsupportedUnit
    /// A search centred on a member the sorted set does not hold.
    case geoMemberNotFound
    /// A search's radius, width or height (the associated word) that is not a number.
    case geoNeedNumeric(String)
    /// A negative search radius.
    case geoRadiusNegative
    /// A negative search box width or height.
    case geoBoxNegative
    /// A search's COUNT of zero or less.
    case geoCountNotPositive
    /// A search's ANY without COUNT.
    case geoAnyWithoutCount
    /// STORE or GEOSEARCHSTORE with WITHDIST, WITHHASH or WITHCOORD; the associated text
    /// names the form (`GEOSEARCHSTORE`, `STORE option in GEORADIUS`).
    case geoStoreWithReplyOptions(String)
    /// GEOSEARCH without FROMMEMBER or FROMLONLAT; the command name as given.
    case geoSearchWithoutCenter(command: String)
    /// GEOSEARCH without BYRADIUS or BYBOX; the command name as given.
    case geoSearchWithoutShape(command: String)

    // MARK: Hashes
    /// HINCRBY on a field whose value is not an integer.
    case hashValueNotInteger
    /// HINCRBYFLOAT on a field whose value is not a float.
    case hashValueNotFloat
    /// HINCRBYFLOAT with a NaN or infinite increment.
    case incrementNaNOrInfinity

    // MARK: Lists, counts and numkeys
    /// `getPositiveLongFromObjectOrReply` (LPOP/RPOP/SPOP/ZPOP counts).
    case valueMustBePositive
    /// LPOS COUNT.
    case countNegative
    /// LPOS MAXLEN.
    case maxlenNegative
    /// LPOS RANK 0.
    case rankZero
    /// LMPOP/ZMPOP/SINTERCARD/ZINTERCARD numkeys below 1.
    case numkeysNotPositive
    /// LMPOP/ZMPOP COUNT below 1.
    case countNotPositive
    /// SINTERCARD/ZINTERCARD LIMIT.
    case limitNegative
    /// numkeys past the arguments (SINTERCARD, ZINTERCARD, EVAL, FCALL).
    case numkeysGreaterThanArgs

    // MARK: Sorted sets
    /// ZUNION/ZINTER/ZDIFF[STORE] WEIGHTS.
    case weightNotFloat
    /// ZUNION/ZINTER/ZDIFF[STORE] with numkeys 0.
    case atLeastOneInputKey(command: String)
    /// ZINCRBY / ZADD INCR whose sum is NaN (`inf` + `-inf`).
    case scoreNaN
    /// ZRANGE/ZRANGESTORE LIMIT without BYSCORE or BYLEX.
    case limitNeedsByScoreOrByLex
    /// ZRANGE BYLEX WITHSCORES.
    case withScoresWithByLex

    // MARK: Keys and SCAN
    /// SCAN/SSCAN/HSCAN/ZSCAN cursor that is not an unsigned 64-bit number.
    case invalidCursor
    /// EXPIRE-family option that is not NX/XX/GT/LT.
    case unsupportedOption(String)
    /// EXPIRE-family NX with XX, GT or LT.
    case expireNXAndXXGTOrLT
    /// EXPIRE-family GT with LT.
    case expireGTAndLT

    // MARK: Transactions
    /// A write in a read-only transaction.
    case readOnlyTransaction
    /// A transaction or script touching a key it did not declare; `holder` names it.
    case undeclaredKey(holder: String, key: String)

    // MARK: Scripts and functions
    /// EVAL/FCALL numkeys below 0.
    case numkeysNegative
    /// FCALL numkeys that is not an integer.
    case badNumberOfKeys
    /// EVAL_RO / FCALL_RO of a script or function without `no-writes`.
    case writeFlagWithReadOnlyCommand
    case functionNotFound
    case invalidShebang
    case invalidShebangEngine
    case unexpectedShebangEngine(String)
    case unknownShebangOption(String)
    case unexpectedShebangFlag(String)
    case missingLibraryMetadata
    case invalidLibraryMetadata
    case engineNotFound(String)
    case invalidMetadataValue(String)
    case libraryNameNotGiven
    case invalidLibraryName
    case libraryAlreadyExists(String)
    case functionAlreadyExists(String)
    case noFunctionsRegistered
    case libraryNotFound
    /// FUNCTION LOAD whose code fails to compile; the Lua message, line breaks mapped to spaces.
    case functionCompileFailed(String)
    /// FUNCTION LOAD whose code fails while registering (the Lua error line, or
    /// `not enough memory`), line breaks mapped to spaces.
    case functionRegistrationFailed(String)

    // MARK: Typed replies
    /// A reply that a typed call (``ReplyDecodable``: `eval(_:keys:args:as:)`, ...) could
    /// not convert: `expected` names the Swift type asked for, `got` is the reply that came
    /// back (or the part of it that did not fit). LuaStore's own error, not one of Redis's:
    /// no command replies with it; its text starts with `ERR` so that it reads like the
    /// others.
    case unexpectedReply(expected: String, got: Reply)

    // MARK: Transactions and sessions
    case multiNested
    case execWithoutMulti
    case discardWithoutMulti
    case watchInsideMulti
    /// EXEC after a command failed to queue (unknown command, wrong arity).
    case execAbort
    /// EXEC itself refused (its arity): the transaction is discarded with that reason,
    /// given without its `ERR ` prefix.
    case execAbortBecause(String)
    /// HELLO with a protocol version other than 2 or 3.
    case noProtocol
    case protocolVersionNotInteger
    case helloSyntax(option: String)
    case wrongPass
    case invalidClientName
    /// MULTI, EXEC, DISCARD, WATCH, UNWATCH or HELLO through the store's `execute`, which
    /// keeps no per-caller state: they need a session (`store.session()`). LuaStore's own
    /// error, not one of Redis's.
    case needsSession(command: String)

    // MARK: Async view
    /// A key the call needs is held by a running script or transaction. Never reaches a
    /// caller: only a call made through the async view (`store.async`) tries without
    /// waiting, and the view catches it, suspends until the holder releases, and tries
    /// again. LuaStore's own error, not one of Redis's.
    case keyHeld

    // MARK: Pass-through
    /// An error line produced elsewhere and passed on verbatim (prefix included, e.g.
    /// `ERR ...`): the error reply a script returns, thrown by the typed scripting API.
    /// Not for errors LuaStore itself detects: those have their own case.
    case custom(String)

    /// The error line without the leading `-`.
    public var message: String {
        switch self {
        case .wrongType: return "WRONGTYPE Operation against a key holding the wrong kind of value"
        case .notInteger: return "ERR value is not an integer or out of range"
        case .notFloat: return "ERR value is not a valid float"
        case .syntax: return "ERR syntax error"
        case .overflow: return "ERR increment or decrement would overflow"
        case .wrongArity(let command): return "ERR wrong number of arguments for '\(command)' command"
        case .unknownCommand(let name, let args):
            // As server.c prints them with %.128s / %.*s: C strings (cut at NUL), the name
            // at most 128 bytes, all the quoted arguments together at most 128 bytes.
            var shown: [UInt8] = []
            for arg in args {
                if shown.count >= 128 { break }
                let text = arg.bytes.prefix { $0 != 0 }.prefix(128 - shown.count)
                shown += [UInt8(ascii: "'")] + text + [UInt8(ascii: "'"), UInt8(ascii: " ")]
            }
            let shownName = String(decoding: name.utf8.prefix { $0 != 0 }.prefix(128), as: UTF8.self)
            return StoreError.mappingLineBreaks(
                "ERR unknown command '\(shownName)', with args beginning with: " + String(decoding: shown, as: UTF8.self))
        case .unknownSubcommand(let command, let sub):
            // `%.128s` of C strings, and the whole line's CR and LF mapped to spaces, as
            // `commandCheckExistence` does.
            let shown = String(decoding: sub.utf8.prefix { $0 != 0 }.prefix(128), as: UTF8.self)
            let name = String(decoding: command.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
            return StoreError.mappingLineBreaks("ERR unknown subcommand '\(shown)'. Try \(name) HELP.")
        case .subcommandSyntax(let command, let sub):
            let shown = String(decoding: sub.utf8.prefix { $0 != 0 }.prefix(128), as: UTF8.self)
            let name = String(decoding: command.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
            return StoreError.mappingLineBreaks("ERR unknown subcommand or wrong number of arguments for '\(shown)'. Try \(name) HELP.")
        case .noSuchKey: return "ERR no such key"
        case .indexOutOfRange: return "ERR index out of range"
        case .invalidExpireTime(let command): return "ERR invalid expire time in '\(command)' command"
        case .notFloatIncrNaNOrInf: return "ERR increment would produce NaN or Infinity"
        case .bitOffset: return "ERR bit offset is not an integer or out of range"
        case .stringTooLong: return "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
        case .minMaxNotFloat: return "ERR min or max is not a float"
        case .minMaxNotValidString: return "ERR min or max not valid string range item"
        case .timeoutNotFloat: return "ERR timeout is not a float or out of range"
        case .timeoutNegative: return "ERR timeout is negative"
        case .noScript: return "NOSCRIPT No matching script. Please use EVAL."
        case .busyKey: return "BUSYKEY Target key name already exists."
        case .outOfMemory: return "OOM command not allowed when used memory > 'maxmemory'."
        case .valueOutOfRange(let min, let max): return "ERR value is out of range, value must between \(min) and \(max)"
        case .valueOutOfRangeUnbounded: return "ERR value is out of range"
        case .dbIndexOutOfRange: return "ERR DB index is out of range"
        case .sameObject: return "ERR source and destination objects are the same"
        case .zaddNXAndXX: return "ERR XX and NX options at the same time are not compatible"
        case .zaddGTLTAndNX: return "ERR GT, LT, and/or NX options at the same time are not compatible"
        case .zaddIncrSinglePair: return "ERR INCR option supports a single increment-element pair"
        case .lfuNotSelected:
            return "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
        case .lfuSelected:
            return "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
        case .unknownConfigOption(let name): return "ERR Unknown option or number of arguments for CONFIG SET - '\(name)'"
        case .configSetFailed(let parameter, let reason):
            return "ERR CONFIG SET failed (possibly related to argument '\(parameter)') - \(reason)"
        case .noConfigFile: return "ERR The server is running without a config file"
        case .getKeysInvalidCommand: return "ERR Invalid command specified"
        case .getKeysInvalidArgumentCount: return "ERR Invalid number of arguments specified for command"
        case .getKeysInvalidArguments: return "ERR Invalid arguments specified for command"
        case .getKeysNoKeyArguments: return "ERR The command has no key arguments"
        case .decrementOverflow: return "ERR decrement would overflow"
        case .offsetOutOfRange: return "ERR offset is out of range"
        case .bitNotZeroOrOne: return "ERR bit is not an integer or out of range"
        case .bitposBitNotZeroOrOne: return "ERR The bit argument must be 1 or 0."
        case .bitopNotSingleSource: return "ERR BITOP NOT must be called with a single source key."
        case .bitfieldInvalidType:
            return "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
        case .bitfieldInvalidOverflow: return "ERR Invalid OVERFLOW type specified"
        case .bitfieldReadOnly: return "ERR BITFIELD_RO only supports the GET subcommand"
        case .notHyperLogLog: return "WRONGTYPE Key is not a valid HyperLogLog string value."
        case .corruptHyperLogLog: return "INVALIDOBJ Corrupted HLL object detected"
        case .hyperLogLogKeyMissing: return "ERR The specified key does not exist"
        case .hyperLogLogNotSparse: return "ERR HLL encoding is not sparse"
        case .pfdebugUnknownSubcommand(let name): return "ERR Unknown PFDEBUG subcommand '\(name)'"
        case .hyperLogLogSelfTestFailed(let detail): return "TESTFAILED \(detail)"
        case .lcsNotStrings: return "ERR The specified keys must contain string values"
        case .lcsLenAndIdx: return "ERR If you want both the length and indexes, please just use IDX."
        case .lcsTooLarge: return "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
        case .sortScoreNotDouble: return "ERR One or more scores can't be converted into double"
        case .geoInvalidPair(let longitude, let latitude):
            return "ERR invalid longitude,latitude pair \(CFormat.double(longitude, "%f")),\(CFormat.double(latitude, "%f"))"
        case .geoUnsupportedUnit: return "ERR unsupported unit provided. please use M, KM, FT, MI"
        case .geoMemberNotFound: return "ERR could not decode requested zset member"
        case .geoNeedNumeric(let what): return "ERR need numeric \(what)"
        case .geoRadiusNegative: return "ERR radius cannot be negative"
        case .geoBoxNegative: return "ERR height or width cannot be negative"
        case .geoCountNotPositive: return "ERR COUNT must be > 0"
        case .geoAnyWithoutCount: return "ERR the ANY argument requires COUNT argument"
        case .geoStoreWithReplyOptions(let form): return "ERR \(form) is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        case .geoSearchWithoutCenter(let command): return "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for \(command)"
        case .geoSearchWithoutShape(let command): return "ERR exactly one of BYRADIUS and BYBOX can be specified for \(command)"
        case .hashValueNotInteger: return "ERR hash value is not an integer"
        case .hashValueNotFloat: return "ERR hash value is not a float"
        case .incrementNaNOrInfinity: return "ERR value is NaN or Infinity"
        case .valueMustBePositive: return "ERR value is out of range, must be positive"
        case .countNegative: return "ERR COUNT can't be negative"
        case .maxlenNegative: return "ERR MAXLEN can't be negative"
        case .rankZero:
            return "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
        case .numkeysNotPositive: return "ERR numkeys should be greater than 0"
        case .countNotPositive: return "ERR count should be greater than 0"
        case .limitNegative: return "ERR LIMIT can't be negative"
        case .numkeysGreaterThanArgs: return "ERR Number of keys can't be greater than number of args"
        case .weightNotFloat: return "ERR weight value is not a float"
        case .atLeastOneInputKey(let command): return "ERR at least 1 input key is needed for '\(command)' command"
        case .scoreNaN: return "ERR resulting score is not a number (NaN)"
        case .limitNeedsByScoreOrByLex:
            return "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
        case .withScoresWithByLex: return "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
        case .invalidCursor: return "ERR invalid cursor"
        case .unsupportedOption(let option): return "ERR Unsupported option \(option)"
        case .expireNXAndXXGTOrLT: return "ERR NX and XX, GT or LT options at the same time are not compatible"
        case .expireGTAndLT: return "ERR GT and LT options at the same time are not compatible"
        case .readOnlyTransaction: return "ERR Write commands are not allowed in a read-only transaction"
        case .undeclaredKey(let holder, let key): return "ERR \(holder) tried accessing undeclared key, key: \(key)"
        case .numkeysNegative: return "ERR Number of keys can't be negative"
        case .badNumberOfKeys: return "ERR Bad number of keys provided"
        case .writeFlagWithReadOnlyCommand: return "ERR Can not execute a script with write flag using *_ro command."
        case .functionNotFound: return "ERR Function not found"
        case .invalidShebang: return "ERR Invalid script shebang"
        case .invalidShebangEngine: return "ERR Invalid engine in script shebang"
        case .unexpectedShebangEngine(let engine): return "ERR Unexpected engine in script shebang: \(engine)"
        case .unknownShebangOption(let option): return "ERR Unknown lua shebang option: \(option)"
        case .unexpectedShebangFlag(let flag): return "ERR Unexpected flag in script shebang: \(flag)"
        case .missingLibraryMetadata: return "ERR Missing library metadata"
        case .invalidLibraryMetadata: return "ERR Invalid library metadata"
        case .engineNotFound(let engine): return "ERR Engine '\(engine)' not found"
        case .invalidMetadataValue(let value): return "ERR Invalid metadata value given: \(value)"
        case .libraryNameNotGiven: return "ERR Library name was not given"
        case .invalidLibraryName:
            return "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"
        case .libraryAlreadyExists(let name): return "ERR Library '\(name)' already exists"
        case .functionAlreadyExists(let name): return "ERR Function \(name) already exists"
        case .noFunctionsRegistered: return "ERR No functions registered"
        case .libraryNotFound: return "ERR Library not found"
        case .functionCompileFailed(let message):
            return StoreError.mappingLineBreaks("ERR Error compiling function: \(message)")
        case .functionRegistrationFailed(let message):
            return StoreError.mappingLineBreaks("ERR Error registering functions: \(message)")
        case .unexpectedReply(let expected, let got):
            return "ERR unexpected reply: expected \(expected), got \(got.summary)"
        case .multiNested: return "ERR MULTI calls can not be nested"
        case .execWithoutMulti: return "ERR EXEC without MULTI"
        case .discardWithoutMulti: return "ERR DISCARD without MULTI"
        case .watchInsideMulti: return "ERR WATCH inside MULTI is not allowed"
        case .execAbort: return "EXECABORT Transaction discarded because of previous errors."
        case .execAbortBecause(let reason): return "EXECABORT Transaction discarded because of: \(reason)"
        case .noProtocol: return "NOPROTO unsupported protocol version"
        case .protocolVersionNotInteger: return "ERR Protocol version is not an integer or out of range"
        case .helloSyntax(let option): return "ERR Syntax error in HELLO option '\(option)'"
        case .wrongPass: return "WRONGPASS invalid username-password pair or user is disabled."
        case .invalidClientName: return "ERR Client names cannot contain spaces, newlines or special characters."
        case .needsSession(let command):
            return "ERR \(command) needs a session: use store.session(), whose execute keeps a caller's transaction, watched keys and protocol"
        case .keyHeld: return "ERR key held by a running script or transaction"
        case .custom(let line): return line
        // The stream commands' errors (StoreError+Streams.swift; the table in
        // StoreErrorTests checks that every case has its message).
        default: return streamMessage
        }
    }

    /// `sdsmapchars(err, "\r\n", "  ", 2)`: an error line built from the caller's bytes must
    /// stay one line.
    static func mappingLineBreaks(_ line: String) -> String {
        guard line.utf8.contains(where: { $0 == 13 || $0 == 10 }) else { return line }
        return String(decoding: line.utf8.map { $0 == 13 || $0 == 10 ? 32 : $0 }, as: UTF8.self)
    }

    /// The reply a client sees for this error.
    @inlinable
    public var reply: Reply { .error(message) }
}

extension StoreError: CustomStringConvertible {
    public var description: String { message }
}
