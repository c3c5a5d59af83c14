import Foundation
import Testing
@testable import LuaStoreCore

/// Every ``StoreError`` case's error line, as redis-server 7 sends it: a text changed by
/// mistake fails here rather than as a differential mismatch somewhere else.
@Suite struct StoreErrorTests {
    static let table: [(StoreError, String)] = [
        (.wrongType, "WRONGTYPE Operation against a key holding the wrong kind of value"),
        (.notInteger, "ERR value is not an integer or out of range"),
        (.notFloat, "ERR value is not a valid float"),
        (.syntax, "ERR syntax error"),
        (.overflow, "ERR increment or decrement would overflow"),
        (.wrongArity(command: "get"), "ERR wrong number of arguments for 'get' command"),
        (.unknownCommand(name: "foo", args: ["a", "b"]), "ERR unknown command 'foo', with args beginning with: 'a' 'b' "),
        (.unknownSubcommand(command: "object", subcommand: "x"), "ERR unknown subcommand 'x'. Try OBJECT HELP."),
        (.subcommandSyntax(command: "pubsub", subcommand: "channels"), "ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP."),
        (.noSuchKey, "ERR no such key"),
        (.indexOutOfRange, "ERR index out of range"),
        (.invalidExpireTime(command: "set"), "ERR invalid expire time in 'set' command"),
        (.notFloatIncrNaNOrInf, "ERR increment would produce NaN or Infinity"),
        (.bitOffset, "ERR bit offset is not an integer or out of range"),
        (.stringTooLong, "ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
        (.minMaxNotFloat, "ERR min or max is not a float"),
        (.minMaxNotValidString, "ERR min or max not valid string range item"),
        (.timeoutNotFloat, "ERR timeout is not a float or out of range"),
        (.timeoutNegative, "ERR timeout is negative"),
        (.noScript, "NOSCRIPT No matching script. Please use EVAL."),
        (.busyKey, "BUSYKEY Target key name already exists."),
        (.outOfMemory, "OOM command not allowed when used memory > 'maxmemory'."),
        (.valueOutOfRange(min: -5, max: 9), "ERR value is out of range, value must between -5 and 9"),
        (.valueOutOfRangeUnbounded, "ERR value is out of range"),
        (.dbIndexOutOfRange, "ERR DB index is out of range"),
        (.sameObject, "ERR source and destination objects are the same"),
        (.zaddNXAndXX, "ERR XX and NX options at the same time are not compatible"),
        (.zaddGTLTAndNX, "ERR GT, LT, and/or NX options at the same time are not compatible"),
        (.zaddIncrSinglePair, "ERR INCR option supports a single increment-element pair"),
        (.lfuNotSelected, "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."),
        (.lfuSelected, "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."),
        (.unknownConfigOption("Foo"), "ERR Unknown option or number of arguments for CONFIG SET - 'Foo'"),
        (.configSetFailed(parameter: "maxmemory", reason: "argument must be a memory value"),
         "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"),
        (.noConfigFile, "ERR The server is running without a config file"),
        (.getKeysInvalidCommand, "ERR Invalid command specified"),
        (.getKeysInvalidArgumentCount, "ERR Invalid number of arguments specified for command"),
        (.getKeysInvalidArguments, "ERR Invalid arguments specified for command"),
        (.getKeysNoKeyArguments, "ERR The command has no key arguments"),
        // Strings
        (.decrementOverflow, "ERR decrement would overflow"),
        (.offsetOutOfRange, "ERR offset is out of range"),
        // Bitmaps
        (.bitNotZeroOrOne, "ERR bit is not an integer or out of range"),
        (.bitposBitNotZeroOrOne, "ERR The bit argument must be 1 or 0."),
        (.bitopNotSingleSource, "ERR BITOP NOT must be called with a single source key."),
        (.bitfieldInvalidType, "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."),
        (.bitfieldInvalidOverflow, "ERR Invalid OVERFLOW type specified"),
        (.bitfieldReadOnly, "ERR BITFIELD_RO only supports the GET subcommand"),
        // HyperLogLog
        (.notHyperLogLog, "WRONGTYPE Key is not a valid HyperLogLog string value."),
        (.corruptHyperLogLog, "INVALIDOBJ Corrupted HLL object detected"),
        (.hyperLogLogKeyMissing, "ERR The specified key does not exist"),
        (.hyperLogLogNotSparse, "ERR HLL encoding is not sparse"),
        (.pfdebugUnknownSubcommand("Foo"), "ERR Unknown PFDEBUG subcommand 'Foo'"),
        (.hyperLogLogSelfTestFailed("Register error"), "TESTFAILED Register error"),
        (.lcsNotStrings, "ERR The specified keys must contain string values"),
        (.lcsLenAndIdx, "ERR If you want both the length and indexes, please just use IDX."),
        (.lcsTooLarge, "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"),
        (.sortScoreNotDouble, "ERR One or more scores can't be converted into double"),
        // Streams
        (.streamInvalidID, "ERR Invalid stream ID specified as stream command argument"),
        (.streamIDNotGreaterThanZero, "ERR The ID specified in XADD must be greater than 0-0"),
        (.streamIDTooSmall, "ERR The ID specified in XADD is equal or smaller than the target stream top item"),
        (.streamExhausted, "ERR The stream has exhausted the last possible ID, unable to add more items"),
        (.streamMaxlenNegative, "ERR The MAXLEN argument must be >= 0."),
        (.streamLimitNegative, "ERR The LIMIT argument must be >= 0."),
        (.streamMaxlenAndMinid, "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"),
        (.streamLimitWithoutApproximation, "ERR syntax error, LIMIT cannot be used without the special ~ option"),
        (.streamInvalidStartInterval, "ERR invalid start ID for the interval"),
        (.streamInvalidEndInterval, "ERR invalid end ID for the interval"),
        (.streamSetIDBelowTop, "ERR The ID specified in XSETID is smaller than the target stream top item"),
        (.streamSetIDBelowMaxDeleted, "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"),
        (.streamEntriesAddedBelowLength, "ERR The entries_added specified in XSETID is smaller than the target stream length"),
        (.streamEntriesAddedNegative, "ERR entries_added must be positive"),
        (.streamXreadUnbalanced, "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."),
        (.streamXreadGreaterThanID, "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."),
        (.streamTimeoutNotInteger, "ERR timeout is not an integer or out of range"),
        (.streamLimitWithoutStrategy, "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"),
        (.streamGroupKeyRequired, "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."),
        (.busyGroup, "BUSYGROUP Consumer Group name already exists"),
        (.streamEntriesReadInvalid, "ERR value for ENTRIESREAD must be positive or -1"),
        (.xreadgroupDollarID, "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."),
        (.xreadgroupMissingGroup, "ERR Missing GROUP option for XREADGROUP"),
        (.xreadNoAck, "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."),
        (.xclaimInvalidMinIdle, "ERR Invalid min-idle-time argument for XCLAIM"),
        (.xclaimInvalidIdle, "ERR Invalid IDLE option argument for XCLAIM"),
        (.xclaimInvalidTime, "ERR Invalid TIME option argument for XCLAIM"),
        (.xclaimInvalidRetryCount, "ERR Invalid RETRYCOUNT option argument for XCLAIM"),
        (.xautoclaimInvalidMinIdle, "ERR Invalid min-idle-time argument for XAUTOCLAIM"),
        (.xautoclaimCountNotPositive, "ERR COUNT must be > 0"),
        (.noGroupForKey(group: "g", key: "k"), "NOGROUP No such consumer group 'g' for key name 'k'"),
        (.noGroupInRead(key: "k", group: "g"), "NOGROUP No such key 'k' or consumer group 'g' in XREADGROUP with GROUP option"),
        (.noGroup(key: "k", group: "g"), "NOGROUP No such key 'k' or consumer group 'g'"),
        (.xclaimUnrecognizedOption("foo"), "ERR Unrecognized XCLAIM option 'foo'"),
        (.xreadGroupOption, "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."),
        (.geoInvalidPair(longitude: 200, latitude: -85.5), "ERR invalid longitude,latitude pair 200.000000,-85.500000"),
        (.geoUnsupportedUnit, "ERR unsupported unit provided. please use M, KM, FT, MI"),
        (.geoMemberNotFound, "ERR could not decode requested zset member"),
        (.geoNeedNumeric("radius"), "ERR need numeric radius"),
        (.geoRadiusNegative, "ERR radius cannot be negative"),
        (.geoBoxNegative, "ERR height or width cannot be negative"),
        (.geoCountNotPositive, "ERR COUNT must be > 0"),
        (.geoAnyWithoutCount, "ERR the ANY argument requires COUNT argument"),
        (.geoStoreWithReplyOptions("GEOSEARCHSTORE"), "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"),
        (.geoSearchWithoutCenter(command: "geosearch"), "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch"),
        (.geoSearchWithoutShape(command: "GEOSEARCH"), "ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH"),
        // Hashes
        (.hashValueNotInteger, "ERR hash value is not an integer"),
        (.hashValueNotFloat, "ERR hash value is not a float"),
        (.incrementNaNOrInfinity, "ERR value is NaN or Infinity"),
        // Lists, counts and numkeys
        (.valueMustBePositive, "ERR value is out of range, must be positive"),
        (.countNegative, "ERR COUNT can't be negative"),
        (.maxlenNegative, "ERR MAXLEN can't be negative"),
        (.rankZero, "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"),
        (.numkeysNotPositive, "ERR numkeys should be greater than 0"),
        (.countNotPositive, "ERR count should be greater than 0"),
        (.limitNegative, "ERR LIMIT can't be negative"),
        (.numkeysGreaterThanArgs, "ERR Number of keys can't be greater than number of args"),
        // Sorted sets
        (.weightNotFloat, "ERR weight value is not a float"),
        (.atLeastOneInputKey(command: "zunionstore"), "ERR at least 1 input key is needed for 'zunionstore' command"),
        (.scoreNaN, "ERR resulting score is not a number (NaN)"),
        (.limitNeedsByScoreOrByLex, "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
        (.withScoresWithByLex, "ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
        // Keys and SCAN
        (.invalidCursor, "ERR invalid cursor"),
        (.unsupportedOption("FOO"), "ERR Unsupported option FOO"),
        (.expireNXAndXXGTOrLT, "ERR NX and XX, GT or LT options at the same time are not compatible"),
        (.expireGTAndLT, "ERR GT and LT options at the same time are not compatible"),
        // Transactions
        (.readOnlyTransaction, "ERR Write commands are not allowed in a read-only transaction"),
        (.undeclaredKey(holder: "transaction", key: "k"), "ERR transaction tried accessing undeclared key, key: k"),
        // Scripts and functions
        (.numkeysNegative, "ERR Number of keys can't be negative"),
        (.badNumberOfKeys, "ERR Bad number of keys provided"),
        (.writeFlagWithReadOnlyCommand, "ERR Can not execute a script with write flag using *_ro command."),
        (.functionNotFound, "ERR Function not found"),
        (.invalidShebang, "ERR Invalid script shebang"),
        (.invalidShebangEngine, "ERR Invalid engine in script shebang"),
        (.unexpectedShebangEngine("#!luax"), "ERR Unexpected engine in script shebang: #!luax"),
        (.unknownShebangOption("name=x"), "ERR Unknown lua shebang option: name=x"),
        (.unexpectedShebangFlag("bogus"), "ERR Unexpected flag in script shebang: bogus"),
        (.missingLibraryMetadata, "ERR Missing library metadata"),
        (.invalidLibraryMetadata, "ERR Invalid library metadata"),
        (.engineNotFound("js"), "ERR Engine 'js' not found"),
        (.invalidMetadataValue("x=1"), "ERR Invalid metadata value given: x=1"),
        (.libraryNameNotGiven, "ERR Library name was not given"),
        (.invalidLibraryName, "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"),
        (.libraryAlreadyExists("mylib"), "ERR Library 'mylib' already exists"),
        (.functionAlreadyExists("f1"), "ERR Function f1 already exists"),
        (.noFunctionsRegistered, "ERR No functions registered"),
        (.libraryNotFound, "ERR Library not found"),
        (.functionCompileFailed("user_function:2: unexpected symbol\nnear 'x'"), "ERR Error compiling function: user_function:2: unexpected symbol near 'x'"),
        (.functionRegistrationFailed("not enough memory"), "ERR Error registering functions: not enough memory"),
        (.functionRegistrationFailed("ERR a\r\nb"), "ERR Error registering functions: ERR a  b"),
        // Typed replies (LuaStore's own text)
        (.unexpectedReply(expected: "Int", got: .bulk("abc")), #"ERR unexpected reply: expected Int, got bulk string "abc""#),
        // Async view (LuaStore's own text)
        (.multiNested, "ERR MULTI calls can not be nested"),
        (.execWithoutMulti, "ERR EXEC without MULTI"),
        (.discardWithoutMulti, "ERR DISCARD without MULTI"),
        (.watchInsideMulti, "ERR WATCH inside MULTI is not allowed"),
        (.execAbort, "EXECABORT Transaction discarded because of previous errors."),
        (.execAbortBecause("wrong number of arguments for 'exec' command"), "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"),
        (.noProtocol, "NOPROTO unsupported protocol version"),
        (.protocolVersionNotInteger, "ERR Protocol version is not an integer or out of range"),
        (.helloSyntax(option: "SETNAME"), "ERR Syntax error in HELLO option 'SETNAME'"),
        (.wrongPass, "WRONGPASS invalid username-password pair or user is disabled."),
        (.invalidClientName, "ERR Client names cannot contain spaces, newlines or special characters."),
        (.needsSession(command: "MULTI"), "ERR MULTI needs a session: use store.session(), whose execute keeps a caller's transaction, watched keys and protocol"),
        (.keyHeld, "ERR key held by a running script or transaction"),
        // Pass-through
        (.custom("MYERR anything"), "MYERR anything"),
    ]

    @Test func messages() {
        for (error, text) in Self.table {
            #expect(error.message == text)
            #expect(error.description == text)
            #expect(error.reply == .error(text))
        }
    }

    /// The table names every case of the enum (read from its source), so a new case cannot
    /// go without its text. A case with a payload is known by its Mirror label; the cases
    /// without one are single values, so as many distinct ones as declared cover them all.
    @Test func tableCoversEveryCase() throws {
        let source = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/LuaStoreCore/StoreError.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        let body = text.components(separatedBy: "public var message")[0]
        var withPayload: Set<String> = [], withoutPayload: Set<String> = []
        for line in body.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("case ") else { continue }
            let declaration = trimmed.dropFirst(5)
            let name = String(declaration.prefix { $0.isLetter || $0.isNumber })
            if declaration.dropFirst(name.count).hasPrefix("(") { withPayload.insert(name) } else { withoutPayload.insert(name) }
        }
        #expect(withPayload.count + withoutPayload.count > 40)
        var labels: Set<String> = [], units: Set<StoreError> = []
        for (error, _) in Self.table {
            if let label = Mirror(reflecting: error).children.first?.label { labels.insert(label) } else { units.insert(error) }
        }
        #expect(labels == withPayload)
        #expect(units.count == withoutPayload.count)
    }
}
