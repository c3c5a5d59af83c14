import LuaStoreCore
import TestSupport

/// Key commands over every type: TYPE, COPY, RENAME, DEL, EXPIRE, SCAN's TYPE filter, with
/// reads of each type to check what COPY and RENAME produced.
extension CommandGenerator {
    mutating func mixedTypeCommand() -> DifferentialStep {
        switch rng.below(24) {
        case 0: return command([name("SET"), key(), value()])
        case 1: return command([name("DEL"), key()])
        case 2, 3: return command([name("RPUSH"), key()] + elements())
        case 4, 5: return command([name("SADD"), key()] + members())
        case 6, 7: return command([name("ZADD"), key()] + scoreMemberPairs())
        case 8, 9: return command([name("HSET"), key()] + fieldValuePairs())
        case 10: return command([name("TYPE"), key()])
        case 11: return command([name("COPY"), key(), key()] + copyOptions())
        case 12: return command([name("RENAME"), key(), key()])
        case 13: return command([name("RENAMENX"), key(), key()])
        case 14: return command([name("DEL")] + keys(1...2))
        case 15: return command([name("EXPIRE"), key(), relativeSeconds()] + expireCondition())
        case 16: return command([name("TTL"), key()], .time(tolerance: 2))
        case 17: return scan()
        case 18: return command([name("GET"), key()])
        case 19: return command([name("LRANGE"), key(), "0", "-1"])
        case 20: return command([name("SMEMBERS"), key()], .unordered)
        case 21: return command([name("ZRANGE"), key(), "0", "-1", "WITHSCORES"])
        case 22: return inOrderWhileListpack([name("HGETALL"), key()], otherwise: .unorderedPairs)
        default: return command([name("EXISTS")] + keys(1...3))
        }
    }
}
