import LuaStore
import Testing
@testable import luastore

/// The whole of `luastore cli` (a fresh ``LuaStore`` behind ``CLISession``) against
/// `redis-cli` talking to a fresh redis-server, on commands the store implements: what a
/// user sees must be identical, reply texts included.
@Suite(.serialized, .enabled(if: RedisServerFixture.isAvailable, "needs redis-server and redis-cli"))
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
        "FLUSHALL",
        "DBSIZE",
        "quit",
    ]

    @Test(arguments: [([String](), ReplyFormatter.Mode.raw), (["--no-raw"], .human)])
    func sameOutputAsRedisCLI(flags: [String], mode: ReplyFormatter.Mode) throws {
        let fixture = try RedisServerFixture()
        defer { fixture.stop() }
        let input = Array((Self.lines.joined(separator: "\n") + "\n").utf8)
        let expected = try fixture.redisCLI(flags, input: input)

        let session = CLISession(executor: LuaStore(), mode: mode)
        var output = BufferOutput()
        for line in Self.lines {
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
