import Testing
@testable import LuaStore

/// The sorted-set family as argv and expected reply; every expected reply (error texts
/// included) was recorded from redis-server 7.0.15.
@Suite struct SortedSetFamilyTests {
    let store = LuaStore()

    @Test func zaddOptions() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c"], .integer(3))
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "4", "d"], .integer(1))
        expect(store, ["ZADD", "z", "CH", "5", "a", "2", "b", "6", "e"], .integer(2))
        expect(store, ["ZADD", "z", "NX", "9", "a", "7", "f"], .integer(1))
        expect(store, ["ZSCORE", "z", "a"], .bulk("5"))
        expect(store, ["ZADD", "z", "XX", "8", "a", "8", "g"], .integer(0))
        expect(store, ["ZSCORE", "z", "g"], .null)
        expect(store, ["ZADD", "z", "GT", "CH", "1", "a", "10", "b"], .integer(1))
        expect(store, ["ZADD", "z", "LT", "CH", "100", "a", "0", "c"], .integer(1))
        expect(store, ["ZADD", "z", "XX", "GT", "CH", "20", "b"], .integer(1))
        expect(store, ["ZADD", "z", "ch", "nx", "1", "h"], .integer(1))
        expect(store, ["ZRANGE", "z", "0", "-1", "WITHSCORES"], .bulks("c", "0", "h", "1", "d", "4", "e", "6", "f", "7", "a", "8", "b", "20"))
        expect(store, ["ZADD", "nx", "XX", "1", "a"], .integer(0))
        expect(store, ["EXISTS", "nx"], .integer(0))
        expect(store, ["ZADD", "z", "1.5"], .err("ERR wrong number of arguments for 'zadd' command"))
        expect(store, ["ZADD", "z", "1", "a", "2"], .err("ERR syntax error"))
        expect(store, ["ZADD", "z", "NX", "XX", "1", "a"], .err("ERR XX and NX options at the same time are not compatible"))
        expect(store, ["ZADD", "z", "NX", "GT", "1", "a"], .err("ERR GT, LT, and/or NX options at the same time are not compatible"))
        expect(store, ["ZADD", "z", "GT", "LT", "1", "a"], .err("ERR GT, LT, and/or NX options at the same time are not compatible"))
        expect(store, ["ZADD", "z", "LT", "NX", "1", "a"], .err("ERR GT, LT, and/or NX options at the same time are not compatible"))
        expect(store, ["ZADD", "z", "INCR", "1", "a", "2", "b"], .err("ERR INCR option supports a single increment-element pair"))
        expect(store, ["ZADD", "z", "abc", "a"], .err("ERR value is not a valid float"))
        expect(store, ["ZADD", "z", "nan", "a"], .err("ERR value is not a valid float"))
        expect(store, ["ZADD", "z", "1", "a", "x", "b"], .err("ERR value is not a valid float"))
        expect(store, ["ZADD", "z", "", "a"], .err("ERR value is not a valid float"))
        expect(store, ["ZADD", "z", "BOGUS", "1", "a"], .err("ERR syntax error"))
        expect(store, ["ZCARD", "z"], .integer(7))
    }

    @Test func zaddIncrAndZincrby() {
        expect(store, ["ZADD", "z", "INCR", "5", "a"], .bulk("5"))
        expect(store, ["ZADD", "z", "INCR", "1.5", "a"], .bulk("6.5"))
        expect(store, ["ZADD", "z", "INCR", "NX", "1", "a"], .null)
        expect(store, ["ZADD", "z", "INCR", "XX", "1", "missing"], .null)
        expect(store, ["ZADD", "z", "INCR", "GT", "-1", "a"], .null)
        expect(store, ["ZADD", "z", "INCR", "LT", "-1", "a"], .bulk("5.5"))
        expect(store, ["ZINCRBY", "z", "0.1", "f"], .bulk("0.10000000000000001"))
        expect(store, ["ZINCRBY", "z", "0.2", "f"], .bulk("0.30000000000000004"))
        expect(store, ["ZINCRBY", "z", "-inf", "f"], .bulk("-inf"))
        expect(store, ["ZADD", "z", "+inf", "i"], .integer(1))
        expect(store, ["ZINCRBY", "z", "-inf", "i"], .err("ERR resulting score is not a number (NaN)"))
        expect(store, ["ZADD", "z", "INCR", "-inf", "i"], .err("ERR resulting score is not a number (NaN)"))
        expect(store, ["ZINCRBY", "z", "abc", "f"], .err("ERR value is not a valid float"))
        expect(store, ["ZINCRBY", "z", "1e3", "g"], .bulk("1000"))
        expect(store, ["ZINCRBY", "z", "1"], .err("ERR wrong number of arguments for 'zincrby' command"))
        expect(store, ["ZSCORE", "z", "i"], .bulk("inf"))
        // ZINCRBY goes through ZADD's parser: an option word where the increment goes
        // leaves one argument for the pairs, a syntax error even on another type.
        for option in ["NX", "xx", "GT", "LT", "CH", "INCR"] {
            expect(store, ["ZINCRBY", "z", option, "f"], .err("ERR syntax error"))
        }
        run(store, "SET", "s", "x")
        expect(store, ["ZINCRBY", "s", "NX", "f"], .err("ERR syntax error"))
        expect(store, ["ZINCRBY", "s", "abc", "f"], .err("ERR value is not a valid float"))
        expect(store, ["ZINCRBY", "s", "1", "f"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    @Test func scoresAsRedisWritesThem() {
        expect(store, ["ZADD", "z", "1.5", "a", "0.1", "b", "1e300", "c", "1234567890123456789", "d", "-1e-300", "e", "1E3", "f", "0x10", "g", "-0", "h", "inf", "i", "-inf", "j", "5e-324", "k"], .integer(11))
        expect(store, ["ZRANGE", "z", "0", "-1", "WITHSCORES"], .bulks("j", "-inf", "e", "-1e-300", "h", "0", "k", "4.9406564584124654e-324", "b", "0.10000000000000001", "a", "1.5", "g", "16", "f", "1000", "d", "1.2345678901234568e+18", "c", "1.0000000000000001e+300", "i", "inf"))
        expect(store, ["ZMSCORE", "z", "a", "nope", "k"], .bulks("1.5", nil, "4.9406564584124654e-324"))
        expect(store, ["ZMSCORE", "missing", "a", "b"], .bulks(nil, nil))
        expect(store, ["ZSCORE", "missing", "a"], .null)
        expect(store, ["ZSCORE", "z", "h"], .bulk("0"))
    }

    @Test func counts() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], .integer(5))
        expect(store, ["ZCOUNT", "z", "-inf", "+inf"], .integer(5))
        expect(store, ["ZCOUNT", "z", "(1", "3"], .integer(2))
        expect(store, ["ZCOUNT", "z", "(1", "(3"], .integer(1))
        expect(store, ["ZCOUNT", "z", "3", "1"], .integer(0))
        expect(store, ["ZCOUNT", "z", "(3", "3"], .integer(0))
        expect(store, ["ZCOUNT", "z", "a", "1"], .err("ERR min or max is not a float"))
        expect(store, ["ZCOUNT", "z", "((1", "2"], .err("ERR min or max is not a float"))
        expect(store, ["ZCOUNT", "missing", "0", "1"], .integer(0))
        expect(store, ["ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"], .integer(4))
        expect(store, ["ZLEXCOUNT", "l", "-", "+"], .integer(4))
        expect(store, ["ZLEXCOUNT", "l", "[b", "(d"], .integer(2))
        expect(store, ["ZLEXCOUNT", "l", "(b", "+"], .integer(2))
        expect(store, ["ZLEXCOUNT", "l", "+", "-"], .integer(0))
        expect(store, ["ZLEXCOUNT", "l", "a", "+"], .err("ERR min or max not valid string range item"))
        expect(store, ["ZLEXCOUNT", "l", "[b"], .err("ERR wrong number of arguments for 'zlexcount' command"))
        expect(store, ["ZLEXCOUNT", "missing", "-", "+"], .integer(0))
    }

    @Test func ranks() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c"], .integer(3))
        expect(store, ["ZRANK", "z", "a"], .integer(0))
        expect(store, ["ZREVRANK", "z", "a"], .integer(2))
        expect(store, ["ZRANK", "z", "nope"], .null)
        expect(store, ["ZRANK", "missing", "a"], .null)
        expect(store, ["ZRANK", "z", "a", "WITHSCORE"], .err("ERR wrong number of arguments for 'zrank' command"))
        expect(store, ["ZREVRANK", "z", "c", "WITHSCORE"], .err("ERR wrong number of arguments for 'zrevrank' command"))
    }

    @Test func zrange() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], .integer(5))
        expect(store, ["ZRANGE", "z", "0", "-1"], .bulks("a", "b", "c", "d", "e"))
        expect(store, ["ZRANGE", "z", "1", "2", "WITHSCORES"], .bulks("b", "2", "c", "3"))
        expect(store, ["ZRANGE", "z", "-2", "-1", "withscores"], .bulks("d", "4", "e", "5"))
        expect(store, ["ZRANGE", "z", "0", "0", "REV", "WITHSCORES"], .bulks("e", "5"))
        expect(store, ["ZRANGE", "z", "3", "1"], .array([]))
        expect(store, ["ZRANGE", "z", "10", "20"], .array([]))
        expect(store, ["ZRANGE", "z", "0", "1", "LIMIT", "0", "-1"], .bulks("a", "b"))
        expect(store, ["ZRANGE", "z", "0", "1", "LIMIT", "0", "1"], .err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"))
        expect(store, ["ZRANGE", "z", "(1", "4", "BYSCORE"], .bulks("b", "c", "d"))
        expect(store, ["ZRANGE", "z", "(1", "4", "BYSCORE", "LIMIT", "1", "2", "WITHSCORES"], .bulks("c", "3", "d", "4"))
        expect(store, ["ZRANGE", "z", "4", "(1", "BYSCORE", "REV"], .bulks("d", "c", "b"))
        expect(store, ["ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2"], .bulks("d", "c"))
        expect(store, ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"], .array([]))
        expect(store, ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "0"], .array([]))
        expect(store, ["ZRANGE", "z", "-", "+", "BYLEX"], .bulks("a", "b", "c", "d", "e"))
        expect(store, ["ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"], .err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"))
        expect(store, ["ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX"], .err("ERR syntax error"))
        expect(store, ["ZRANGE", "z", "0", "-1", "REV", "REV"], .err("ERR syntax error"))
        expect(store, ["ZRANGE", "z", "0", "-1", "LIMIT", "1"], .err("ERR syntax error"))
        expect(store, ["ZRANGE", "z", "0", "-1", "BYSCORE", "LIMIT", "a", "1"], .err("ERR value is not an integer or out of range"))
        expect(store, ["ZRANGE", "z", "a", "b"], .err("ERR value is not an integer or out of range"))
        expect(store, ["ZRANGE", "z", "a", "b", "BYSCORE"], .err("ERR min or max is not a float"))
        expect(store, ["ZRANGE", "z", "a", "b", "BYLEX"], .err("ERR min or max not valid string range item"))
        expect(store, ["ZRANGE", "z", "0", "-1", "BOGUS"], .err("ERR syntax error"))
        expect(store, ["ZRANGE", "missing", "0", "-1"], .array([]))
        expect(store, ["ZRANGE", "missing", "a", "b", "BYSCORE"], .err("ERR min or max is not a float"))
    }

    @Test func olderRangeCommands() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], .integer(4))
        expect(store, ["ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES", "LIMIT", "0", "2"], .bulks("a", "1", "b", "2"))
        expect(store, ["ZRANGEBYSCORE", "z", "(1", "+inf", "LIMIT", "1", "1", "WITHSCORES"], .bulks("c", "3"))
        expect(store, ["ZRANGEBYSCORE", "z", "-inf", "+inf", "BYSCORE"], .err("ERR syntax error"))
        expect(store, ["ZRANGEBYSCORE", "z", "-inf", "+inf", "REV"], .err("ERR syntax error"))
        expect(store, ["ZREVRANGEBYSCORE", "z", "+inf", "-inf", "WITHSCORES"], .bulks("d", "4", "c", "3", "b", "2", "a", "1"))
        expect(store, ["ZREVRANGEBYSCORE", "z", "3", "(1"], .bulks("c", "b"))
        expect(store, ["ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", "1", "2"], .bulks("c", "b"))
        expect(store, ["ZREVRANGE", "z", "0", "1", "WITHSCORES"], .bulks("d", "4", "c", "3"))
        expect(store, ["ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"], .err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"))
        expect(store, ["ZREVRANGE", "z", "0", "1", "BYSCORE"], .err("ERR syntax error"))
        expect(store, ["ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"], .integer(4))
        expect(store, ["ZRANGEBYLEX", "l", "[b", "+"], .bulks("b", "c", "d"))
        expect(store, ["ZRANGEBYLEX", "l", "-", "+", "LIMIT", "1", "2"], .bulks("b", "c"))
        expect(store, ["ZRANGEBYLEX", "l", "-", "+", "WITHSCORES"], .err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"))
        expect(store, ["ZRANGEBYLEX", "l", "b", "+"], .err("ERR min or max not valid string range item"))
        expect(store, ["ZREVRANGEBYLEX", "l", "+", "(b"], .bulks("d", "c"))
        expect(store, ["ZREVRANGEBYLEX", "l", "(c", "-", "LIMIT", "0", "1"], .bulks("b"))
    }

    @Test func lexRangesOnMixedScores() {
        expect(store, ["ZADD", "m", "1", "b", "2", "a", "3", "d", "4", "c"], .integer(4))
        expect(store, ["ZRANGEBYLEX", "m", "[a", "[c"], .bulks("b", "a"))
        expect(store, ["ZRANGEBYLEX", "m", "[b", "[d"], .bulks("b", "a", "d", "c"))
        expect(store, ["ZREVRANGEBYLEX", "m", "[d", "[a"], .bulks("c", "d", "a", "b"))
        expect(store, ["ZLEXCOUNT", "m", "[a", "[c"], .integer(2))
        expect(store, ["ZRANGE", "m", "-", "[b", "BYLEX", "LIMIT", "1", "5"], .bulks("a"))
        expect(store, ["ZREMRANGEBYLEX", "m", "[a", "[b"], .integer(2))
        expect(store, ["ZRANGE", "m", "0", "-1"], .bulks("d", "c"))
    }

    @Test func zrangestore() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c"], .integer(3))
        expect(store, ["SET", "dst", "x"], .ok)
        expect(store, ["ZRANGESTORE", "dst", "z", "0", "1"], .integer(2))
        expect(store, ["ZRANGE", "dst", "0", "-1", "WITHSCORES"], .bulks("a", "1", "b", "2"))
        expect(store, ["ZRANGESTORE", "dst", "z", "(1", "+inf", "BYSCORE", "LIMIT", "0", "1"], .integer(1))
        expect(store, ["ZRANGE", "dst", "0", "-1", "WITHSCORES"], .bulks("b", "2"))
        expect(store, ["ZRANGESTORE", "dst", "z", "+", "-", "BYLEX", "REV"], .integer(3))
        expect(store, ["ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES"], .err("ERR syntax error"))
        expect(store, ["ZRANGESTORE", "dst", "z", "5", "10"], .integer(0))
        expect(store, ["EXISTS", "dst"], .integer(0))
        expect(store, ["ZRANGESTORE", "dst", "missing", "0", "-1"], .integer(0))
        expect(store, ["SET", "str", "x"], .ok)
        expect(store, ["ZRANGESTORE", "dst", "str", "0", "-1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    @Test func removals() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], .integer(5))
        expect(store, ["ZREM", "z", "a", "nope"], .integer(1))
        expect(store, ["ZREM", "missing", "a"], .integer(0))
        expect(store, ["ZREMRANGEBYRANK", "z", "0", "0"], .integer(1))
        expect(store, ["ZREMRANGEBYRANK", "z", "5", "9"], .integer(0))
        expect(store, ["ZREMRANGEBYRANK", "z", "a", "1"], .err("ERR value is not an integer or out of range"))
        expect(store, ["ZREMRANGEBYSCORE", "z", "(3", "4"], .integer(1))
        expect(store, ["ZREMRANGEBYSCORE", "z", "a", "b"], .err("ERR min or max is not a float"))
        expect(store, ["ZREMRANGEBYLEX", "z", "a", "b"], .err("ERR min or max not valid string range item"))
        expect(store, ["ZRANGE", "z", "0", "-1"], .bulks("c", "e"))
        expect(store, ["ZREMRANGEBYSCORE", "z", "-inf", "+inf"], .integer(2))
        expect(store, ["EXISTS", "z"], .integer(0))
        expect(store, ["ZREMRANGEBYRANK", "missing", "0", "-1"], .integer(0))
    }

    @Test func pops() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], .integer(4))
        expect(store, ["ZPOPMIN", "z"], .bulks("a", "1"))
        expect(store, ["ZPOPMAX", "z", "2"], .bulks("d", "4", "c", "3"))
        expect(store, ["ZPOPMIN", "z", "0"], .array([]))
        expect(store, ["ZPOPMIN", "z", "-1"], .err("ERR value is out of range, must be positive"))
        expect(store, ["ZPOPMIN", "z", "abc"], .err("ERR value is out of range, must be positive"))
        expect(store, ["ZPOPMIN", "z", "1", "2"], .err("ERR syntax error"))
        expect(store, ["ZPOPMIN", "z", "10"], .bulks("b", "2"))
        expect(store, ["EXISTS", "z"], .integer(0))
        expect(store, ["ZPOPMIN", "missing"], .array([]))
        expect(store, ["ZPOPMAX", "missing", "3"], .array([]))
        expect(store, ["SET", "str", "x"], .ok)
        expect(store, ["ZPOPMIN", "str", "0"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    @Test func zmpop() {
        expect(store, ["ZADD", "a", "1", "x", "2", "y", "3", "z"], .integer(3))
        expect(store, ["ZMPOP", "2", "missing", "a", "MIN"], .array([.bulk("a"), .array([.bulks("x", "1")])]))
        expect(store, ["ZMPOP", "1", "a", "MAX", "COUNT", "5"], .array([.bulk("a"), .array([.bulks("z", "3"), .bulks("y", "2")])]))
        expect(store, ["EXISTS", "a"], .integer(0))
        expect(store, ["ZMPOP", "1", "a", "MIN"], .nullArray)
        expect(store, ["ZMPOP", "0", "a", "MIN"], .err("ERR numkeys should be greater than 0"))
        expect(store, ["ZMPOP", "abc", "a", "MIN"], .err("ERR numkeys should be greater than 0"))
        expect(store, ["ZMPOP", "3", "a", "MIN"], .err("ERR syntax error"))
        expect(store, ["ZMPOP", "1", "a", "BOGUS"], .err("ERR syntax error"))
        expect(store, ["ZMPOP", "1", "a", "MIN", "COUNT", "0"], .err("ERR count should be greater than 0"))
        expect(store, ["ZMPOP", "1", "a", "MIN", "COUNT", "1", "COUNT", "1"], .err("ERR syntax error"))
        expect(store, ["ZMPOP", "1", "a", "MIN", "COUNT"], .err("ERR syntax error"))
        expect(store, ["SET", "str", "x"], .ok)
        expect(store, ["ZMPOP", "2", "missing", "str", "MAX"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    @Test func blockingPopsAnswerAtOnce() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b"], .integer(2))
        expect(store, ["BZPOPMIN", "missing", "0"], .nullArray)
        expect(store, ["BZPOPMIN", "missing", "z", "0"], .bulks("z", "a", "1"))
        expect(store, ["BZPOPMAX", "missing", "z", "0.5"], .bulks("z", "b", "2"))
        expect(store, ["BZPOPMIN", "missing", "-1"], .err("ERR timeout is negative"))
        expect(store, ["BZPOPMIN", "missing", "abc"], .err("ERR timeout is not a float or out of range"))
        expect(store, ["SET", "str", "x"], .ok)
        expect(store, ["BZPOPMIN", "str", "z", "0"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    @Test func algebra() {
        expect(store, ["ZADD", "u1", "1", "a", "2", "b", "3", "c"], .integer(3))
        expect(store, ["ZADD", "u2", "10", "b", "20", "c", "30", "d"], .integer(3))
        expect(store, ["SADD", "s1", "a", "d", "e"], .integer(3))
        expect(store, ["ZUNION", "2", "u1", "u2", "WITHSCORES"], .bulks("a", "1", "b", "12", "c", "23", "d", "30"))
        expect(store, ["ZUNION", "3", "u1", "u2", "s1", "WITHSCORES"], .bulks("e", "1", "a", "2", "b", "12", "c", "23", "d", "31"))
        expect(store, ["ZUNION", "3", "u1", "u2", "s1", "WEIGHTS", "1", "2", "3", "WITHSCORES"], .bulks("e", "3", "a", "4", "b", "22", "c", "43", "d", "63"))
        expect(store, ["ZUNION", "3", "u1", "u2", "s1", "AGGREGATE", "MAX", "WITHSCORES"], .bulks("a", "1", "e", "1", "b", "10", "c", "20", "d", "30"))
        expect(store, ["ZUNION", "3", "u1", "u2", "s1", "aggregate", "min", "withscores"], .bulks("a", "1", "d", "1", "e", "1", "b", "2", "c", "3"))
        expect(store, ["ZUNION", "2", "u1", "u2", "WEIGHTS", "0", "inf", "WITHSCORES"], .bulks("a", "0", "b", "inf", "c", "inf", "d", "inf"))
        expect(store, ["ZUNION", "3", "u1", "u2", "s1", "AGGREGATE", "avg"], .err("ERR syntax error"))
        expect(store, ["ZUNION", "3", "u1", "u2", "s1", "WEIGHTS", "1", "2"], .err("ERR syntax error"))
        expect(store, ["ZUNION", "3", "u1", "u2", "s1", "WEIGHTS", "1", "2", "abc"], .err("ERR weight value is not a float"))
        expect(store, ["ZUNION", "0", "u1"], .err("ERR at least 1 input key is needed for 'zunion' command"))
        expect(store, ["ZUNION", "-1", "u1"], .err("ERR at least 1 input key is needed for 'zunion' command"))
        expect(store, ["ZUNION", "5", "u1"], .err("ERR syntax error"))
        expect(store, ["ZUNION", "abc", "u1"], .err("ERR value is not an integer or out of range"))
        expect(store, ["SET", "str", "x"], .ok)
        expect(store, ["ZUNION", "2", "u1", "str", "WEIGHTS", "abc"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZINTER", "3", "u1", "u2", "s1"], .array([]))
        expect(store, ["ZINTER", "2", "u1", "u2", "WITHSCORES"], .bulks("b", "12", "c", "23"))
        expect(store, ["ZINTER", "2", "u1", "u2", "AGGREGATE", "MIN", "WITHSCORES"], .bulks("b", "2", "c", "3"))
        expect(store, ["ZINTER", "2", "u1", "u1", "WITHSCORES"], .bulks("a", "2", "b", "4", "c", "6"))
        expect(store, ["ZINTER", "2", "u1", "missing"], .array([]))
        expect(store, ["ZDIFF", "2", "u1", "u2", "WITHSCORES"], .bulks("a", "1"))
        expect(store, ["ZDIFF", "2", "u1", "s1", "WITHSCORES"], .bulks("b", "2", "c", "3"))
        expect(store, ["ZDIFF", "2", "u1", "u2", "WEIGHTS", "1", "1"], .err("ERR syntax error"))
        expect(store, ["ZDIFF", "2", "u1", "u2", "AGGREGATE", "SUM"], .err("ERR syntax error"))
        expect(store, ["ZINTERCARD", "2", "u1", "u2"], .integer(2))
        expect(store, ["ZINTERCARD", "2", "u1", "u2", "LIMIT", "1"], .integer(1))
        expect(store, ["ZINTERCARD", "2", "u1", "u2", "LIMIT", "0"], .integer(2))
        expect(store, ["ZINTERCARD", "2", "u1", "u2", "LIMIT", "-1"], .err("ERR LIMIT can't be negative"))
        expect(store, ["ZINTERCARD", "2", "u1", "u2", "LIMIT", "abc"], .err("ERR LIMIT can't be negative"))
        expect(store, ["ZINTERCARD", "0", "u1"], .err("ERR at least 1 input key is needed for 'zintercard' command"))
        expect(store, ["ZINTERCARD", "2", "u1", "u2", "WITHSCORES"], .err("ERR syntax error"))
        expect(store, ["ZINTERCARD", "2", "u1", "str", "LIMIT", "-1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    @Test func algebraStore() {
        expect(store, ["ZADD", "u1", "1", "a", "2", "b", "3", "c"], .integer(3))
        expect(store, ["ZADD", "u2", "10", "b", "20", "c", "30", "d"], .integer(3))
        expect(store, ["ZUNIONSTORE", "out", "2", "u1", "u2"], .integer(4))
        expect(store, ["ZRANGE", "out", "0", "-1", "WITHSCORES"], .bulks("a", "1", "b", "12", "c", "23", "d", "30"))
        expect(store, ["ZINTERSTORE", "out", "2", "u1", "u2", "WEIGHTS", "2", "1", "AGGREGATE", "MAX"], .integer(2))
        expect(store, ["ZRANGE", "out", "0", "-1", "WITHSCORES"], .bulks("b", "10", "c", "20"))
        expect(store, ["ZDIFFSTORE", "out", "2", "u1", "u2"], .integer(1))
        expect(store, ["ZRANGE", "out", "0", "-1", "WITHSCORES"], .bulks("a", "1"))
        expect(store, ["ZUNIONSTORE", "out", "2", "u1", "u2", "WITHSCORES"], .err("ERR syntax error"))
        expect(store, ["ZINTERSTORE", "out", "2", "u1", "missing"], .integer(0))
        expect(store, ["EXISTS", "out"], .integer(0))
        expect(store, ["ZDIFFSTORE", "out", "0", "u1"], .err("ERR at least 1 input key is needed for 'zdiffstore' command"))
        expect(store, ["ZUNIONSTORE", "out", "0", "u1"], .err("ERR at least 1 input key is needed for 'zunionstore' command"))
        expect(store, ["ZINTERSTORE", "out", "3", "u1"], .err("ERR syntax error"))
    }

    @Test func scan() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "ab"], .integer(3))
        expect(store, ["ZSCAN", "z", "0"], .array([.bulk("0"), .bulks("a", "1", "b", "2", "ab", "3")]))
        expect(store, ["ZSCAN", "z", "0", "MATCH", "a*"], .array([.bulk("0"), .bulks("a", "1", "ab", "3")]))
        expect(store, ["ZSCAN", "z", "0", "MATCH", "a*", "COUNT", "100"], .array([.bulk("0"), .bulks("a", "1", "ab", "3")]))
        expect(store, ["ZSCAN", "z", "0", "COUNT", "0"], .err("ERR syntax error"))
        expect(store, ["ZSCAN", "z", "0", "COUNT"], .err("ERR syntax error"))
        expect(store, ["ZSCAN", "z", "0", "BOGUS", "1"], .err("ERR syntax error"))
        expect(store, ["ZSCAN", "z", "abc"], .err("ERR invalid cursor"))
        expect(store, ["ZSCAN", "missing", "0", "COUNT", "0"], .array([.bulk("0"), .array([])]))
        expect(store, ["ZSCAN", "missing", "0"], .array([.bulk("0"), .array([])]))
        expect(store, ["SET", "str", "x"], .ok)
        expect(store, ["ZSCAN", "str", "0"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    @Test func randomMemberArguments() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c"], .integer(3))
        expect(store, ["ZRANDMEMBER", "missing"], .null)
        expect(store, ["ZRANDMEMBER", "missing", "5"], .array([]))
        expect(store, ["ZRANDMEMBER", "z", "0"], .array([]))
        expect(store, ["ZRANDMEMBER", "z", "5", "WITHSCORES"], .bulks("c", "3", "b", "2", "a", "1"))
        expect(store, ["ZRANDMEMBER", "z", "1", "WITHSCORES", "BOGUS"], .err("ERR syntax error"))
        expect(store, ["ZRANDMEMBER", "z", "1", "BOGUS"], .err("ERR syntax error"))
        expect(store, ["ZRANDMEMBER", "z", "-9223372036854775808"], .err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"))
        expect(store, ["ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES"], .err("ERR value is out of range"))
        expect(store, ["ZRANDMEMBER", "z", "abc"], .err("ERR value is not an integer or out of range"))
        expect(store, ["SET", "str", "x"], .ok)
        expect(store, ["ZRANDMEMBER", "str"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZRANDMEMBER", "str", "1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    @Test func wrongTypeAndArity() {
        expect(store, ["SET", "str", "x"], .ok)
        expect(store, ["ZADD", "str", "1", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZINCRBY", "str", "1", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZSCORE", "str", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZMSCORE", "str", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZCARD", "str"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZCOUNT", "str", "0", "1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZLEXCOUNT", "str", "-", "+"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZRANK", "str", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZRANGE", "str", "0", "-1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZREM", "str", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZREMRANGEBYSCORE", "str", "0", "1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["ZADD", "z"], .err("ERR wrong number of arguments for 'zadd' command"))
        expect(store, ["ZRANGE", "z", "0"], .err("ERR wrong number of arguments for 'zrange' command"))
        expect(store, ["ZRANK", "z"], .err("ERR wrong number of arguments for 'zrank' command"))
        expect(store, ["ZINCRBY", "z", "1"], .err("ERR wrong number of arguments for 'zincrby' command"))
        expect(store, ["ZMPOP", "1"], .err("ERR wrong number of arguments for 'zmpop' command"))
        expect(store, ["BZPOPMIN", "z"], .err("ERR wrong number of arguments for 'bzpopmin' command"))
        expect(store, ["ZUNIONSTORE", "out", "1"], .err("ERR wrong number of arguments for 'zunionstore' command"))
    }

    @Test func largeSetsLeaveTheCompactEncoding() {
        let members = (0..<300).flatMap { [String($0 % 7), "m\($0)"] }
        expect(store, ["ZADD", "big"] + members, .integer(300))
        expect(store, ["ZCARD", "big"], .integer(300))
        expect(store, ["ZRANK", "big", "m0"], .integer(0))
        expect(store, ["ZREVRANK", "big", "m0"], .integer(299))
        expect(store, ["ZCOUNT", "big", "(5", "+inf"], .integer(42))
        expect(store, ["ZRANGE", "big", "6", "+inf", "BYSCORE", "LIMIT", "0", "2"], .bulks("m104", "m111"))
        expect(store, ["ZREMRANGEBYSCORE", "big", "0", "5"], .integer(258))
        expect(store, ["ZPOPMAX", "big", "1"], .bulks("m97", "6"))
        expect(store, ["ZREMRANGEBYRANK", "big", "0", "-1"], .integer(41))
        expect(store, ["EXISTS", "big"], .integer(0))
    }

    @Test func randomMembersComeFromTheSet() {
        expect(store, ["ZADD", "z", "1", "a", "2", "b", "3", "c"], .integer(3))
        let one = store.execute(["ZRANDMEMBER", "z"])
        #expect([Reply.bulk("a"), .bulk("b"), .bulk("c")].contains(one))
        guard case .array(let distinct) = store.execute(["ZRANDMEMBER", "z", "2"]) else { Issue.record("not an array"); return }
        #expect(distinct.count == 2 && Set(distinct.map(\.stringValue)).count == 2)
        guard case .array(let repeated) = store.execute(["ZRANDMEMBER", "z", "-7", "WITHSCORES"]) else { Issue.record("not an array"); return }
        #expect(repeated.count == 14)
        for i in Swift.stride(from: 0, to: 14, by: 2) {
            let pair = (repeated[i].stringValue ?? "", repeated[i + 1].stringValue ?? "")
            #expect(["a": "1", "b": "2", "c": "3"][pair.0] == pair.1)
        }
    }

    @Test func typedAPI() throws {
        #expect(try store.zadd("t", [(1, "a"), (2, "b"), (3, "c")]) == 3)
        #expect(try store.zadd("t", [(5, "a"), (9, "d")], condition: .ifPresent, changed: true) == 1)
        #expect(try store.zadd("t", [(0, "a")], comparison: .greaterThan) == 0)
        #expect(try store.zaddIncr("t", 1, "b", comparison: .lessThan) == nil)
        #expect(try store.zincrby("t", 0.5, "b") == 2.5)
        #expect(try store.zscore("t", "a") == 5)
        #expect(try store.zmscore("t", ["a", "zz"]) == [5, nil])
        #expect(try store.zcard("t") == 3)
        #expect(try store.zcount("t", ScoreRange(min: 2, max: 5, minExclusive: true)) == 3)
        #expect(try store.zrank("t", "c") == 1)
        #expect(try store.zrevrank("t", "c") == 1)
        #expect(try store.zrange("t", 0, -1).map(\.member) == ["b", "c", "a"])
        #expect(try store.zrevrange("t", 0, 0) == [SortedSetEntry(member: "a", score: 5)])
        #expect(try store.zrangebyscore("t", ScoreRange(min: 0, max: .infinity), reverse: true, offset: 1, count: 1).map(\.member) == ["c"])
        #expect(try store.zrangestore("copy", "t", .score(ScoreRange(min: 3, max: 5))) == 2)
        #expect(try store.zunion(["t", "copy"], weights: [1, 2]).map(\.score) == [2.5, 9, 15])
        #expect(try store.zinter(["t", "copy"], aggregate: .max).map(\.member) == ["c", "a"])
        #expect(try store.zdiff(["t", "copy"]).map(\.member) == ["b"])
        #expect(try store.zintercard(["t", "copy"], limit: 1) == 1)
        #expect(try store.zunionstore("u", ["t", "copy"]) == 3)
        #expect(try store.zscan("t", match: "[ab]").count == 2)
        #expect(try store.zpopmin("t") == [SortedSetEntry(member: "b", score: 2.5)])
        #expect(try store.zpopmax("t", count: 5).map(\.member) == ["a", "c"])
        #expect(try store.exists("t") == 0)
        let popped = try store.zmpop(["t", "u"], max: false, count: 2)
        #expect(popped?.key == "u" && popped?.entries.count == 2)
        #expect(try store.zremrange("u", .rank(start: 0, stop: -1)) == 1)
        #expect(throws: StoreError.zaddGTLTAndNX) {
            try store.zadd("t", [(1, "a")], condition: .ifAbsent, comparison: .lessThan)
        }
        #expect(throws: StoreError.notFloat) { try store.zadd("t", [(.nan, "a")]) }
        try store.set("s", "x")
        #expect(throws: StoreError.wrongType) { try store.zscore("s", "a") }
    }

    @Test func typedSingleMemberZadd() throws {
        #expect(try store.zadd("one", score: 3, member: "a") == 1)
        #expect(try store.zadd("one", score: 3, member: "a") == 0)
        #expect(try store.zadd("one", score: 4, member: "a", changed: true) == 1)
        #expect(try store.zadd("one", score: 1, member: "b", condition: .ifPresent) == 0)
        #expect(try store.zadd("one", score: 2, member: "a", comparison: .greaterThan, changed: true) == 0)
        #expect(try store.zscore("one", "a") == 4)
        #expect(try store.zcard("one") == 1)
        #expect(throws: StoreError.notFloat) { try store.zadd("one", score: .nan, member: "a") }
        #expect(throws: StoreError.zaddGTLTAndNX) {
            try store.zadd("one", score: 1, member: "a", condition: .ifAbsent, comparison: .lessThan)
        }
        try store.set("s", "x")
        #expect(throws: StoreError.wrongType) { try store.zadd("s", score: 1, member: "a") }
    }

    /// The plain one-member ZADD (its own fast path) on a set past the compact encoding:
    /// adds, and moves existing members to their new rank.
    @Test func typedPlainZaddMovesMembers() throws {
        for i in 0..<300 { #expect(try store.zadd("big", score: Double(i + 1), member: ByteString("m\(i)")) == 1) }
        #expect(try store.zadd("big", score: 1000, member: "m0") == 0)
        #expect(try store.zrank("big", "m0") == 299)
        #expect(try store.zscore("big", "m0") == 1000)
        #expect(try store.zadd("big", score: -5, member: "m299") == 0)
        #expect(try store.zrank("big", "m299") == 0)
        #expect(try store.zcard("big") == 300)
    }
}
