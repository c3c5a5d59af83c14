import LuaStore
import Testing
@testable import luastore
import TestSupport

/// The whole of `luastore cli` (a fresh ``LuaStore`` behind ``CLISession``) against
/// `redis-cli` talking to a fresh redis-server, on commands the store implements: what a
/// user sees must be identical, reply texts included.
@Suite(.serialized, .enabled(if: RedisServer.toolsAvailable, "needs redis-server and redis-cli"))
struct StoreCLIDifferentialTests {
    static let lines: [String] = [
        "PING",
        #"PING "hello world""#,
        #"ECHO "bytes \x00\xff\r\n end""#,
        #"SET bin "\x00\xff\x7f\x80 \"q\" \\ \n\r\t\a\b""#,
        "GET bin",
        "STRLEN bin",
        "GET missing",
        "SET n 41",
        "INCR n",
        "INCRBY n -50",
        "INCRBYFLOAT n 0.25",
        "INCR bin",
        "SET big 9223372036854775807",
        "INCR big",
        "APPEND s hello",
        "APPEND s ' world'",
        "GETRANGE s 0 4",
        "SETRANGE s 6 W",
        "GET s",
        "MSET a 1 b 2 c 3",
        "MGET a nothing b c",
        "EXISTS a b nothing",
        "DEL a nothing",
        "TYPE b",
        "TYPE nothing",
        "EXPIRE b 100",
        "TTL b",
        "TTL nothing",
        "PERSIST b",
        "TTL b",
        "SET x y NX",
        "SET x z XX GET",
        "GETDEL x",
        "KEYS nomatch*",
        "RENAME nothing other",
        "SET",
        "GET a b",
        "NOSUCHCOMMAND arg1 arg2",
        "3 INCR counter",
        "ECHO \"open",
        "",
        "DBSIZE",
        // A script's RESP3 values reach a RESP2 client (redis-cli) as Redis writes them.
        #"EVAL "return {double=3.25}" 0"#,
        #"EVAL "return {double=0.1}" 0"#,
        #"EVAL "return {double=1/0}" 0"#,
        #"EVAL "return {big_number='123456789012345678901234567890'}" 0"#,
        #"EVAL "return {verbatim_string={format='txt', string='hello'}}" 0"#,
        #"EVAL "return {map={a={set={b=true}}}}" 0"#,
        #"EVAL "redis.setresp(3); return {true, false, nil}" 0"#,
        #"EVAL "redis.setresp(3); return false" 0"#,
        #"EVAL "return false" 0"#,
        "ZADD z 1.5 a 2 b",
        "HSET h f v",
        #"EVAL "redis.setresp(3); return redis.call('zscore', KEYS[1], 'a')" 1 z"#,
        #"EVAL "redis.setresp(3); return redis.call('zrange', KEYS[1], 0, -1, 'WITHSCORES')" 1 z"#,
        #"EVAL "redis.setresp(3); return redis.call('hgetall', KEYS[1])" 1 h"#,
        #"EVAL "redis.setresp(3); local r = redis.call('zscore', KEYS[1], 'a'); return tostring(r.double)" 1 z"#,
        "OBJECT ENCODING z",
        "OBJECT REFCOUNT n",
        "OBJECT FREQ z",
        "OBJECT nope",
        "COMMAND INFO get zadd eval",
        "COMMAND GETKEYSANDFLAGS set k v GET",
        "COMMAND GETKEYS get",
        "FLUSHALL",
        "DBSIZE",
        "quit",
    ]

    /// RESP3 replies, as `luastore cli -3` and `redis-cli -3` print them.
    static let resp3Lines: [String] = [
        "ZADD z 1.5 a 2 b 0.1 c",
        "ZSCORE z a",
        "ZSCORE z nope",
        "ZMSCORE z a nope",
        "ZINCRBY z 1 a",
        "ZRANGE z 0 -1 WITHSCORES",
        "ZRANGE z 0 -1",
        "ZPOPMIN z",
        "ZPOPMAX z 1",
        "HSET h f v g w",
        "HGETALL h",
        "HGETALL nothing",
        "SADD s x",
        "SMEMBERS s",
        "SMEMBERS nothing",
        "GET nothing",
        "BLPOP nothing 0.01",
        "LPOP nothing 2",
        #"EVAL "return {double=3.25}" 0"#,
        #"EVAL "return {map={a={set={b=true}}}}" 0"#,
        #"EVAL "redis.setresp(3); return {true, false}" 0"#,
        // No big number: redis-cli 7.0 cannot print one (see ReplyFormatter).
        #"EVAL "return {verbatim_string={format='txt', string='hello'}}" 0"#,
        #"EVAL "redis.setresp(3); return redis.call('zrange', KEYS[1], 0, -1, 'WITHSCORES')" 1 z"#,
        "COMMAND INFO get",
        "COMMAND GETKEYSANDFLAGS set k v",
        "OBJECT ENCODING h",
        // One session for the whole input: a transaction spans lines.
        "MULTI",
        "INCR n",
        "LPUSH n x",
        "GET n",
        "EXEC",
        "WATCH n",
        "SET n 1",
        "MULTI",
        "GET n",
        "EXEC",
        "MULTI",
        "NOSUCH",
        "EXEC",
    ]

    @Test(arguments: [([String](), ReplyFormatter.Mode.raw), (["--no-raw"], .human)])
    func sameOutputAsRedisCLI(flags: [String], mode: ReplyFormatter.Mode) throws {
        try compare(Self.lines, flags: flags, executor: LuaStore().session(), mode: mode)
    }

    @Test(arguments: [(["-3"], ReplyFormatter.Mode.raw), (["-3", "--no-raw"], .human)])
    func sameRESP3OutputAsRedisCLI(flags: [String], mode: ReplyFormatter.Mode) throws {
        // As `luastore cli -3`: one session that said HELLO 3, as redis-cli -3 does.
        let session = LuaStore().session()
        session.execute(["HELLO", "3"])
        try compare(Self.resp3Lines, flags: flags, executor: session, mode: mode)
    }

    private func compare(_ lines: [String], flags: [String], executor: some CallerExecutor, mode: ReplyFormatter.Mode) throws {
        let fixture = try RedisServer(arguments: ["--enable-debug-command", "yes"])
        defer { fixture.stop() }
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        let expected = try fixture.redisCLI(flags, input: input)

        let session = CLISession(executor: executor, mode: mode)
        var output = BufferOutput()
        for line in lines {
            if session.handle(line: Array(line.utf8), output: &output) == .quit { break }
        }

        let ours = output.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let theirs = expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, (mine, redis)) in zip(ours, theirs).enumerated() where !mine.elementsEqual(redis) {
            Issue.record("\(flags) output line \(index + 1): luastore \(show(Array(mine))) vs redis-cli \(show(Array(redis)))")
        }
        let identical = output.bytes == expected
        #expect(identical, "\(flags): \(output.bytes.count) bytes vs redis-cli's \(expected.count)")
    }
}
