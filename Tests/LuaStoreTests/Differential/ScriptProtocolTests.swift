import LuaStore
import Testing

/// RESP2 and RESP3 in scripts, against redis-server: every conversion rule of Redis 7's
/// script_lua.c in both directions, for a script in either protocol (`redis.setresp`)
/// answering a caller in either protocol (`HELLO 2` / `HELLO 3`).
///
/// - Lua to reply (`luaReplyToRedisReply`): `{double=}`, `{big_number=}`,
///   `{verbatim_string=}`, `{map=}`, `{set=}`, booleans and nil, `{ok=}`, `{err=}`, nested,
///   as the script returns them.
/// - Reply to Lua (`redisProtocolToLuaType_*`): what `redis.call` hands the script for the
///   replies of ZSCORE (double), HGETALL (map), SMEMBERS (set), a missing key (null),
///   ZRANGE ... WITHSCORES (nested pairs in RESP3), seen from inside the script.
///
/// Replies the commands LuaStore has cannot produce (booleans, big numbers, verbatim
/// strings: Redis 7.0 makes them only with `DEBUG PROTOCOL`, which scripts may not call)
/// are covered against Redis's source by LuaStoreScriptingTests/ConversionTests.
@Suite("Script protocols vs redis-server")
struct ScriptProtocolTests {
    /// Scripts returning RESP3 tables: `%s` is `redis.setresp(2)` or `redis.setresp(3)`.
    static let luaToReply: [String] = [
        "return {double=3.25}", "return {double=0.1}", "return {double=3}", "return {double=-0.0}",
        "return {double=1e300}", "return {double=1/0}", "return {double=-1/0}", "return {double=-2.5e-7}",
        "return {big_number='123456789012345678901234567890'}", "return {big_number='12\\r\\n3'}",
        "return {verbatim_string={format='txt', string='hello'}}", "return {verbatim_string={format='mkd', string='a\\nb'}}",
        "return {verbatim_string={format='txt'}}",
        "return {map={a=1}}", "return {map={}}", "return {map={k={double=1.5}}}", "return {map={[1]='one'}}",
        "return {set={x=true}}", "return {set={}}", "return {set={[7]=true}}",
        "return true", "return false", "return nil", "return {true, false, 1}", "return {1, nil, 2}",
        "return {1, {double=1.5}, {map={k={set={x=true}}}}, true, false}",
        "return {ok='fine'}", "return {err='ERR custom'}", "return {double='x'}", "return {map='x'}",
        "return {ok='x', double=1}", "return {double=1, map={a=1}}", "return {map={a=1}, set={b=true}}",
    ]

    /// Scripts that look at what `redis.call` returns; KEYS are z, h, s (a sorted set,
    /// a hash, a set, each with one element) and a missing key.
    static let replyToLua: [String] = [
        "return redis.call('zscore', KEYS[1], 'a')",
        "local r = redis.call('zscore', KEYS[1], 'a'); return {type(r), type(r) == 'table' and tostring(r.double) or r}",
        "return redis.call('zscore', KEYS[1], 'nope')",
        "return type(redis.call('zscore', KEYS[1], 'nope'))",
        "return redis.call('zmscore', KEYS[1], 'a', 'nope')",
        "return redis.call('zincrby', KEYS[1], 0, 'a')",
        "return redis.call('hgetall', KEYS[2])",
        "local r = redis.call('hgetall', KEYS[2]); return {type(r), r.map and r.map.f or r[2]}",
        "return redis.call('smembers', KEYS[3])",
        "local r = redis.call('smembers', KEYS[3]); return {type(r), r.set and tostring(r.set.m) or r[1]}",
        "return redis.call('smembers', KEYS[4])",
        "return redis.call('get', KEYS[4])",
        "return type(redis.call('get', KEYS[4]))",
        "return type(redis.call('lpop', KEYS[4], 2))",
        "return redis.call('zrange', KEYS[1], 0, -1, 'WITHSCORES')",
        "local r = redis.call('zrange', KEYS[1], 0, -1, 'WITHSCORES'); return {#r, type(r[1]), type(r[2])}",
        "return redis.call('zrandmember', KEYS[1], 1, 'WITHSCORES')",
        "return redis.call('hrandfield', KEYS[2], 1, 'WITHVALUES')",
        "return redis.call('zpopmin', KEYS[1], 1)",
        "return redis.call('ping')",
        "return redis.pcall('incr', KEYS[2])",
        "return redis.call('object', 'encoding', KEYS[1])",
        // Under RESP3 its sets and maps become Lua tables, whose iteration order is Lua's:
        // only their sizes are compared.
        "local r = redis.call('command', 'info', 'get')[1]; return {#r, r[1], r[2]}",
    ]

    static func scripts() -> [(source: String, keys: [ByteString])] {
        var all: [(String, [ByteString])] = []
        for resp in ["redis.setresp(2); ", "redis.setresp(3); ", ""] {
            for body in luaToReply { all.append((resp + body, [])) }
            for body in replyToLua { all.append((resp + body, ["z", "h", "s", "missing"])) }
        }
        return all
    }

    @Test(arguments: [RESPVersion.resp2, .resp3])
    func sameRepliesAsRedis(caller: RESPVersion) throws {
        var commands: [[ByteString]] = [["ZADD", "z", "1.5", "a"], ["HSET", "h", "f", "v"], ["SADD", "s", "m"]]
        for (source, keys) in Self.scripts() {
            // ZPOPMIN empties z: each script sees the same data.
            commands.append(["ZADD", "z", "1.5", "a"])
            commands.append(["EVAL", ByteString(source), ByteString(String(keys.count))] + keys)
        }
        try IntrospectionTests.compare(commands, protocolVersion: caller) { argv, reference, subject in
            reference == subject ? nil : "replies differ (caller \(caller))"
        }
    }

    /// FUNCTION LIST's maps and sets, and FCALL's replies, in both protocols.
    @Test(arguments: [RESPVersion.resp2, .resp3])
    func functions(caller: RESPVersion) throws {
        // One function per library, one library at a time: Redis lists both from hash
        // tables, in an order that changes with each server's hash seed.
        let first: ByteString = """
            #!lua name=first
            redis.register_function{function_name='ro', callback=function() return {map={a=true}} end, flags={'no-writes'}, description='d'}
            """
        let second: ByteString = """
            #!lua name=second
            redis.register_function('dbl', function(keys, args) return {double=tonumber(args[1])} end)
            """
        try IntrospectionTests.compare([
            ["FUNCTION", "FLUSH"], ["FUNCTION", "LOAD", first], ["FUNCTION", "LIST"], ["FUNCTION", "LIST", "WITHCODE"],
            ["FCALL_RO", "ro", "0"], ["FUNCTION", "FLUSH"], ["FUNCTION", "LOAD", second], ["FUNCTION", "LIST"],
            ["FCALL", "dbl", "0", "2.5"], ["FUNCTION", "FLUSH"],
        ], protocolVersion: caller)
    }

    /// `0/0` is NaN, which no two replies compare equal on: RESP2 callers get its text.
    @Test func notANumber() {
        let store = LuaStore()
        #expect(store.execute(["EVAL", "return {double=0/0}", "0"]) == .bulk("-nan"))
        guard case .double(let d) = store.execute(["EVAL", "return {double=0/0}", "0"], protocol: .resp3) else {
            Issue.record("not a double")
            return
        }
        #expect(d.isNaN)
    }
}
