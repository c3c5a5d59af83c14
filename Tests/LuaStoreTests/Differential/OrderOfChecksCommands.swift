import LuaStore
import LuaStoreCore
import Testing
import TestSupport

/// The order of checks: every command LuaStore implements, run on keys of every type
/// (strings, integers, lists, intsets, string sets, sorted sets, hashes, missing keys) with
/// arguments that are often bad (not integers, not floats, out of range, unknown options,
/// wrong counts). When a command has several reasons to fail, Redis reports the first one
/// its code checks (arity, then the arguments it parses before looking the key up, then
/// the key's type, then what it parses after): the error must be the same.
///
/// A template is the command's syntax in a small notation: `k` a key, `v` a value, `i` an
/// integer, `e` an expiration, `f` a score, `x` a lex bound, `c` a cursor, `t` a timeout,
/// `[A|B C]` an optional choice, `{A|B}` a required one. Expirations are never near: the
/// reference runs a batch ahead of LuaStore, so a key must not expire between the two. Each generated argument is replaced by a bad one a
/// quarter of the time, and the arity is sometimes broken.
extension CommandGenerator {
    static let orderTemplates: [String] = [
        // strings
        "GET k", "SET k v [NX|XX|GET|EX e|PX e|EXAT e|PXAT e|KEEPTTL|NX GET|XX EX e]", "SETNX k v", "SETEX k e v",
        "PSETEX k e v", "GETSET k v", "GETDEL k", "GETEX k [EX e|PX e|EXAT e|PXAT e|PERSIST]", "MGET k k",
        "MSET k v k v", "MSETNX k v k v", "INCR k", "DECR k", "INCRBY k i", "DECRBY k i", "INCRBYFLOAT k f",
        "APPEND k v", "STRLEN k", "GETRANGE k i i", "SUBSTR k i i", "SETRANGE k i v",
        // keys
        "DEL k k", "UNLINK k", "EXISTS k k", "TOUCH k", "TYPE k", "EXPIRE k e [NX|XX|GT|LT]", "PEXPIRE k e [NX|XX|GT|LT]",
        "EXPIREAT k e [NX|XX|GT|LT]", "PEXPIREAT k e [NX|XX|GT|LT]", "TTL k", "PTTL k", "EXPIRETIME k",
        "PEXPIRETIME k", "PERSIST k", "RENAME k k", "RENAMENX k k", "COPY k k [REPLACE|DB 0|DB 0 REPLACE]",
        "OBJECT {ENCODING|REFCOUNT|FREQ|HELP} k",
        // lists
        "LPUSH k v v", "RPUSH k v", "LPUSHX k v", "RPUSHX k v", "LPOP k [i]", "RPOP k [i]", "LLEN k",
        "LRANGE k i i", "LINDEX k i", "LSET k i v", "LINSERT k {BEFORE|AFTER} v v", "LREM k i v", "LTRIM k i i",
        "LPOS k v [RANK i|COUNT i|MAXLEN i|RANK i COUNT i MAXLEN i]", "LMOVE k k {LEFT|RIGHT} {LEFT|RIGHT}",
        "RPOPLPUSH k k", "LMPOP 2 k k {LEFT|RIGHT} [COUNT i]", "BLPOP k k t", "BRPOP k t", "BRPOPLPUSH k k t",
        "BLMOVE k k {LEFT|RIGHT} {LEFT|RIGHT} t", "BLMPOP t 2 k k {LEFT|RIGHT} [COUNT i]",
        // sets
        "SADD k v v", "SREM k v", "SMEMBERS k", "SISMEMBER k v", "SMISMEMBER k v v", "SCARD k", "SPOP k [i]",
        "SRANDMEMBER k [i]", "SMOVE k k v", "SINTER k k", "SUNION k k", "SDIFF k k", "SINTERSTORE k k k",
        "SUNIONSTORE k k k", "SDIFFSTORE k k k", "SINTERCARD 2 k k [LIMIT i]", "SSCAN k c [MATCH *|COUNT i]",
        // sorted sets
        "ZADD k [NX|XX|GT|LT|CH|INCR|NX CH|GT CH] f v", "ZADD k f v f v", "ZINCRBY k f v", "ZSCORE k v",
        "ZMSCORE k v v", "ZCARD k", "ZCOUNT k f f", "ZLEXCOUNT k x x", "ZRANK k v", "ZREVRANK k v", "ZREM k v",
        "ZRANDMEMBER k [i|i WITHSCORES]", "ZSCAN k c [MATCH *|COUNT i]",
        "ZRANGE k i i [BYSCORE|BYLEX|REV|WITHSCORES|BYSCORE LIMIT i i|BYLEX REV LIMIT i i]",
        "ZRANGESTORE k k i i [BYSCORE|BYLEX|REV|BYSCORE LIMIT i i]", "ZREVRANGE k i i [WITHSCORES]",
        "ZRANGEBYSCORE k f f [WITHSCORES|LIMIT i i]", "ZREVRANGEBYSCORE k f f [WITHSCORES|LIMIT i i]",
        "ZRANGEBYLEX k x x [LIMIT i i]", "ZREVRANGEBYLEX k x x [LIMIT i i]", "ZREMRANGEBYRANK k i i",
        "ZREMRANGEBYSCORE k f f", "ZREMRANGEBYLEX k x x", "ZPOPMIN k [i]", "ZPOPMAX k [i]",
        "ZMPOP 2 k k {MIN|MAX} [COUNT i]", "BZPOPMIN k k t", "BZPOPMAX k t",
        "ZUNION 2 k k [WEIGHTS f f|AGGREGATE SUM|AGGREGATE MAX|WITHSCORES]",
        "ZINTER 2 k k [WEIGHTS f f|AGGREGATE MIN|WITHSCORES]", "ZDIFF 2 k k [WITHSCORES]",
        "ZUNIONSTORE k 2 k k [WEIGHTS f f|AGGREGATE MAX]", "ZINTERSTORE k 2 k k [WEIGHTS f f|AGGREGATE SUM]",
        "ZDIFFSTORE k 2 k k", "ZINTERCARD 2 k k [LIMIT i]",
        // hashes
        "HSET k v v", "HMSET k v v", "HSETNX k v v", "HGET k v", "HMGET k v v", "HGETALL k", "HKEYS k", "HVALS k",
        "HDEL k v", "HEXISTS k v", "HLEN k", "HSTRLEN k v", "HINCRBY k v i", "HINCRBYFLOAT k v f",
        "HRANDFIELD k [i|i WITHVALUES]", "HSCAN k c [MATCH *|COUNT i]",
        // bitmaps and HyperLogLog
        "SETBIT k i i", "GETBIT k i", "BITCOUNT k [i i|i i BIT|i i BYTE|i]", "BITPOS k i [i|i i|i i BIT]",
        "BITOP {AND|OR|XOR|NOT} k k [k]", "BITFIELD k [GET u8 i|SET i8 i i|INCRBY u4 i i|OVERFLOW SAT INCRBY i8 i i]",
        "BITFIELD_RO k [GET i8 i]", "PFADD k [v v]", "PFCOUNT k [k]", "PFMERGE k [k k]",
    ]

    /// Keys of every type (made by ``orderKeyMaker(_:)``) and one that is never made.
    static let orderKeys: [ByteString] = ["o:str", "o:int", "o:list", "o:intset", "o:set", "o:zset", "o:hash", "o:none"]

    static let badArguments: [ByteString] = [
        "abc", "", "-1", "0", "1.5", "nan", "inf", "-inf", "+inf", "(1", "[a", "-", "+", "99999999999999999999",
        "9223372036854775807", "-9223372036854775808", "2147483648", "-2147483649", "1e400", "BOGUS", "LIMIT",
        "COUNT", "WITHSCORES", "NX", "LEFT", "MIN", "REPLACE", "DB", "0x10", " 1",
    ]

    /// Commands whose successful replies are random or unordered: only errors are compared
    /// exactly, other replies by kind.
    static let orderRandomCommands: Set<String> = [
        "SPOP", "SRANDMEMBER", "ZRANDMEMBER", "HRANDFIELD", "SMEMBERS", "SINTER", "SUNION", "SDIFF",
        "SSCAN", "HSCAN", "ZSCAN", "HGETALL", "HKEYS", "HVALS", "OBJECT",
    ]

    mutating func orderOfChecksCommand() -> DifferentialStep {
        switch rng.below(20) {
        case 0, 1, 2, 3: return .command(DifferentialCommand(argv: orderKeyMaker(pick(Self.orderKeys.dropLast()))))
        case 4: return .command(DifferentialCommand(argv: ["DEL", pick(Self.orderKeys)]))
        default: break
        }
        let template = pick(Self.orderTemplates)
        var argv = expandTemplate(template)
        let command = argv[0].string
        for i in 1..<argv.count where chance(25) {
            argv[i] = pick(Self.badArguments)
        }
        // A huge negative count asks Redis for that many random picks (it would exhaust
        // the machine's memory); LuaStore refuses past 2^24 (see Compatibility.md).
        if ["SRANDMEMBER", "ZRANDMEMBER", "HRANDFIELD"].contains(command), argv.count > 2,
           let n = argv[2].int64Value, n < -1000, n != Int64.min {
            argv[2] = "-5"
        }
        argv = mutateArity(argv)
        var step = DifferentialCommand(argv: argv)
        step.referenceInTransaction = ["BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX"]
            .contains(command)
        if ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"].contains(command) {
            step.judgement = .time(tolerance: command.hasPrefix("P") ? 2_000 : 2)
        }
        if Self.orderRandomCommands.contains(command) {
            step.contentIsRandom = true
            step.judgement = .valid { _, reference, subject in
                switch (reference, subject) {
                case (.error, _), (_, .error): return reference == subject ? nil : "errors differ"
                case (.array, .array), (.bulk, .bulk), (.null, .null), (.nullArray, .nullArray), (.integer, .integer):
                    return nil
                default: return "replies differ in kind"
                }
            }
        }
        if command == "SPOP", argv.count >= 2 {
            // Which members SPOP takes is random: afterwards the subject is given the
            // reference's set.
            let key = argv[1]
            step.followUps = [["TYPE", key], ["SMEMBERS", key]]
            step.resynchronise = { replies, _, _ in
                guard replies.count == 2, case .status(let type) = replies[0] else { return [] }
                if type == "none" { return [["DEL", key]] }
                guard type == "set", case .array(let members) = replies[1] else { return [] }
                return [["DEL", key], ["SADD", key] + members.compactMap(\.byteStringValue)]
            }
        }
        return .command(step)
    }

    /// The command that gives `key` its type (an empty key of a collection type cannot
    /// exist, so each gets a few elements).
    func orderKeyMaker(_ key: ByteString) -> [ByteString] {
        switch key {
        case "o:str": return ["SET", key, "abc"]
        case "o:int": return ["SET", key, "10"]
        case "o:list": return ["RPUSH", key, "a", "b", "c", "1"]
        case "o:intset": return ["SADD", key, "1", "2", "3"]
        case "o:set": return ["SADD", key, "a", "b", "c"]
        case "o:zset": return ["ZADD", key, "1", "a", "2", "b", "3", "c"]
        default: return ["HSET", key, "a", "1", "b", "x", "f", "1.5"]
        }
    }

    /// One argv from a template (see the extension's discussion).
    mutating func expandTemplate(_ template: String) -> [ByteString] {
        var out: [ByteString] = []
        var words = template.split(separator: " ").map(String.init)[...]
        while let word = words.popFirst() {
            if word.hasPrefix("[") || word.hasPrefix("{") {
                // Gather the whole group, which may span several words.
                var group = word
                let close: Character = word.hasPrefix("[") ? "]" : "}"
                while group.last != close, let next = words.popFirst() { group += " " + next }
                let optional = close == "]"
                if optional && !chance(50) { continue }
                let choices = group.dropFirst().dropLast().split(separator: "|").map(String.init)
                let choice = pick(choices)
                for token in choice.split(separator: " ") { out.append(orderArgument(String(token))) }
            } else {
                out.append(orderArgument(word))
            }
        }
        return out
    }

    mutating func orderArgument(_ token: String) -> ByteString {
        switch token {
        case "k": return pick(Self.orderKeys)
        case "v": return pick(["a", "b", "x", "1", "2", "f", "g"])
        case "i": return pick(["0", "1", "2", "-1", "3", "5", "100", "-100"])
        // Relative: now or a day and more away; absolute: 1970-1973, in the past.
        case "e": return pick(["-1", "0", "86400000", "100000000"])
        case "f": return pick(["1", "1.5", "-2", "0", "inf", "-inf", "(1", "3"])
        case "x": return pick(["-", "+", "[a", "(b", "[c"])
        case "c": return pick(["0", "0", "1"])
        case "t": return pick(["0", "0.01", "1"])
        default: return ByteString(token)
        }
    }
}

/// The order-of-checks cases of Docs/Compatibility.md, each with a wrong type and a bad
/// argument together (and the neighbouring cases), against redis-server.
@Suite("Order of checks vs redis-server")
struct OrderOfChecksTests {
    @Test func auditedCases() throws {
        let setup: [[ByteString]] = [
            ["RPUSH", "list", "a"], ["SET", "str", "abc"], ["SET", "num", "10"], ["HSET", "hash", "f", "x", "n", "1"],
            ["ZADD", "zset", "1", "a"], ["SADD", "set", "a"],
        ]
        let cases: [[ByteString]] = [
            // INCRBYFLOAT: type, then the stored value, then the increment.
            ["INCRBYFLOAT", "list", "abc"], ["INCRBYFLOAT", "str", "abc"], ["INCRBYFLOAT", "missing", "abc"],
            ["INCRBYFLOAT", "num", "abc"], ["INCRBYFLOAT", "num", "inf"], ["INCRBYFLOAT", "list", "nan"],
            // INCRBY/DECRBY: the increment first.
            ["INCRBY", "list", "abc"], ["DECRBY", "list", "-9223372036854775808"], ["INCRBY", "str", "1"],
            // COPY: DB as a C int, then the index, then the same key; all before the lookups.
            ["COPY", "list", "b", "DB", "2147483648"], ["COPY", "list", "b", "DB", "-2147483649"],
            ["COPY", "list", "b", "DB", "x"], ["COPY", "list", "list", "DB", "2147483648"], ["COPY", "missing", "missing"],
            ["COPY", "list", "b", "BOGUS"],
            // ZINCRBY reads ZADD's options.
            ["ZINCRBY", "list", "NX", "a"], ["ZINCRBY", "zset", "incr", "a"], ["ZINCRBY", "list", "abc", "a"],
            ["ZINCRBY", "list", "1", "a"],
            // SET ... GET: options and expiration first, GET's type check before NX/XX.
            ["SET", "list", "v", "GET", "EX", "abc"], ["SET", "list", "v", "GET", "NX"], ["SET", "list", "v", "GET", "BOGUS"],
            // GETEX: syntax first, the expiration's value after the type.
            ["GETEX", "list", "EX", "abc"], ["GETEX", "list", "BOGUS"], ["GETEX", "missing", "EX", "abc"], ["GETEX", "str", "EX", "0"],
            // SETRANGE: offset first.
            ["SETRANGE", "list", "-1", "x"], ["SETRANGE", "list", "abc", "x"], ["SETRANGE", "list", "0", ""],
            ["SETRANGE", "missing", "536870912", "x"], ["SETRANGE", "list", "536870912", "x"],
            // LINDEX, LSET: the index after the lookup.
            ["LINDEX", "str", "abc"], ["LINDEX", "missing", "abc"], ["LSET", "str", "abc", "x"], ["LSET", "missing", "abc", "x"],
            // SCAN family: cursor first, options after.
            ["SSCAN", "str", "abc"], ["SSCAN", "str", "0", "COUNT", "abc"], ["SSCAN", "missing", "0", "COUNT", "abc"],
            ["HSCAN", "list", "0", "BOGUS", "x"], ["ZSCAN", "zset", "0", "COUNT", "0"],
            // Set algebra of sorted sets: numkeys, the keys' types, then the options.
            ["ZUNIONSTORE", "d", "2", "zset", "str", "WEIGHTS", "x", "y"], ["ZUNION", "x", "zset"],
            ["ZINTER", "2", "zset", "list", "AGGREGATE", "BOGUS"], ["ZINTERCARD", "2", "zset", "str", "LIMIT", "-1"],
            ["ZINTERCARD", "1", "zset", "LIMIT", "-1"], ["ZDIFF", "1", "zset", "WEIGHTS", "1"],
            ["SINTERCARD", "2", "set", "str", "LIMIT", "-1"],
            // HINCRBY/HINCRBYFLOAT: the increment first, the stored value after.
            ["HINCRBY", "list", "f", "abc"], ["HINCRBY", "hash", "f", "1"], ["HINCRBYFLOAT", "list", "f", "inf"],
            ["HINCRBYFLOAT", "hash", "f", "1"], ["HINCRBYFLOAT", "hash", "n", "abc"],
            // SMOVE: a missing source answers 0 before the destination's type.
            ["SMOVE", "missing", "str", "a"], ["SMOVE", "set", "str", "a"], ["SMOVE", "str", "set", "a"],
            // RENAME: the lookup before the same-key check.
            ["RENAME", "missing", "missing"], ["RENAME", "str", "str"], ["RENAMENX", "str", "str"],
            // OBJECT FREQ: a missing key before the policy.
            ["OBJECT", "FREQ", "missing"], ["OBJECT", "FREQ", "list"],
            // Counts, timeouts and option words before the key's type.
            ["LPOP", "str", "-1"], ["SPOP", "str", "-1"], ["SRANDMEMBER", "str", "-9223372036854775808"],
            ["ZRANDMEMBER", "str", "1", "WITHSCORE"], ["HRANDFIELD", "str", "9223372036854775807", "WITHVALUES"],
            ["ZPOPMIN", "str", "-1"], ["LMPOP", "1", "str", "MIDDLE"], ["BLMPOP", "x", "1", "str", "LEFT"],
            ["BLMPOP", "0", "1", "str", "LEFT", "COUNT", "0"], ["BLPOP", "str", "x"], ["BZPOPMIN", "str", "-1"],
            ["LMOVE", "str", "list", "UP", "LEFT"], ["BLMOVE", "str", "list", "LEFT", "LEFT", "x"],
            ["LPOS", "str", "a", "RANK", "0"], ["LPOS", "str", "a", "COUNT", "x"], ["LINSERT", "str", "NEAR", "a", "b"],
            ["LRANGE", "str", "x", "1"], ["LTRIM", "str", "0", "x"], ["LREM", "str", "x", "a"],
            ["EXPIRE", "list", "x"], ["EXPIRE", "missing", "10", "BOGUS"], ["EXPIRE", "list", "9223372036854775807"],
            ["ZADD", "str", "NX", "XX", "1", "a"], ["ZADD", "str", "x", "a"], ["ZRANGE", "str", "0", "x"],
            ["ZRANGE", "str", "(1", "2", "BYSCORE"], ["ZRANGEBYLEX", "str", "a", "b"], ["ZCOUNT", "str", "x", "1"],
            ["ZREMRANGEBYRANK", "str", "x", "1"], ["ZRANGESTORE", "d", "str", "0", "1", "LIMIT", "0", "1"],
            ["GETRANGE", "list", "x", "1"], ["SETEX", "list", "x", "v"], ["PSETEX", "list", "0", "v"],
        ]
        try IntrospectionTests.compare(setup + cases)
        try IntrospectionTests.compare(setup + cases, protocolVersion: .resp3)
    }
}
