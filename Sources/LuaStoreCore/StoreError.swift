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
    /// COMMAND GETKEYS / GETKEYSANDFLAGS.
    case getKeysInvalidCommand
    case getKeysInvalidArgumentCount
    case getKeysInvalidArguments
    case getKeysNoKeyArguments
    /// Any other error line, verbatim (prefix included, e.g. `ERR ...`).
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
        case .getKeysInvalidCommand: return "ERR Invalid command specified"
        case .getKeysInvalidArgumentCount: return "ERR Invalid number of arguments specified for command"
        case .getKeysInvalidArguments: return "ERR Invalid arguments specified for command"
        case .getKeysNoKeyArguments: return "ERR The command has no key arguments"
        case .custom(let line): return line
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
