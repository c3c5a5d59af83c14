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
            return "ERR unknown command '\(shownName)', with args beginning with: " + String(decoding: shown, as: UTF8.self)
        case .unknownSubcommand(let command, let sub):
            return "ERR unknown subcommand '\(sub.prefix(128))'. Try \(command.uppercased()) HELP."
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
        case .custom(let line): return line
        }
    }

    /// The reply a client sees for this error.
    @inlinable
    public var reply: Reply { .error(message) }
}

extension StoreError: CustomStringConvertible {
    public var description: String { message }
}
