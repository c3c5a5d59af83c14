import Foundation
import LuaStore
import Testing
@testable import luastore
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `luastore cli` against `redis-cli` 7.0, byte for byte.
///
/// Both read the same input file and both talk to the same real redis-server (flushed
/// before each side), so any difference comes from line reading, splitting, the repeat and
/// `:`/`quit` handling, or reply formatting, which is what these tests are about. The
/// store's own replies are compared with redis-server's by the store's differential suite.
@Suite(.serialized, .enabled(if: RedisServer.toolsAvailable, "needs redis-server and redis-cli"))
struct RedisCLIDifferentialTests {
    /// Lines covering every RESP2 reply kind, nesting and index widths, binary data and
    /// redis-cli's quoting rules.
    static let resp2Lines: [String] = [
        "PING",
        #"PING "hello world""#,
        "ECHO plain",
        #"ECHO "tab\there" 'single \'quoted\' \n stays'"#,
        #"SET bin "\x00\xff\x7f\x80 \"quoted\" back\\slash\n\r\t\a\b""#,
        "GET bin",
        "STRLEN bin",
        "GET missing",
        "SET n 41",
        "INCR n",
        "INCRBYFLOAT n 0.5",
        "INCR bin",
        "FOO bar baz",
        "GET",
        "RPUSH list a b c d e f g h i j k l",
        "LRANGE list 0 -1",
        "LRANGE nothing 0 -1",
        "GET list",
        "HSET hash field value other 'two words'",
        "HGETALL hash",
        "SADD set only",
        "SMEMBERS set",
        "ZADD zset 1 one 2.5 two",
        "ZRANGE zset 0 -1 WITHSCORES",
        #"EVAL "return {1,{2,{3,{}}},'x',{},{false}}" 0"#,
        #"EVAL "local t = {} for i = 1, 105 do t[i] = {i, {tostring(i)}} end return t" 0"#,
        #"EVAL "return {1, false, 'a', redis.status_reply('FINE')}" 0"#,
        #"EVAL "return redis.status_reply('ALL GOOD')" 0"#,
        #"EVAL "return redis.error_reply('MYERR custom failure')" 0"#,
        #"EVAL "return redis.call('LRANGE', KEYS[1], 0, -1)" 1 list"#,
        "LATENCY DOCTOR",
        "",
        "   ",
        "\t PING \t",
        "PING\r",
        "   ECHO    spaced    ",
        #"ECHO """#,
        #"ECHO '' "" x"#,
        #"ECHO ab"cd""#,
        #"ECHO "\x4" "\xZZ" "\x41\x61" "\q""#,
        #"ECHO "unterminated"#,
        #"ECHO 'unterminated"#,
        #"ECHO "closed"trailing"#,
        #"ECHO 'closed'trailing"#,
        #"ECHO "trailing backslash\""#,
        "ECHO \u{0B}vertical\u{0B}tab",
        "ECHO caf\u{E9} \u{1F600}",
        "3 INCR counter",
        " 2 ECHO twice",
        "+2 ECHO plus",
        "0 PING",
        "-1 PING",
        "99999999999999999999 PING",
        #""" PING"#,
        #"" 2" ECHO quoted-count"#,
        "2x PING",
        "5",
        ":set hints",
        ":set nohints",
        ":set colors",
        ":unknown",
        "restart",
        "clear",
        "CLEAR now",
        "Quit",
        "PING",
    ]

    /// RESP3 kinds, as `redis-cli -3` prints them. Left out: `DEBUG PROTOCOL bignum`, which
    /// redis-cli 7.0 cannot print (see ``ReplyFormatter``), and `attrib`, which its hiredis
    /// cannot parse (it stops reading); ``Reply`` has no attribute kind either.
    static let resp3Lines: [String] = [
        "DEBUG PROTOCOL string",
        "DEBUG PROTOCOL integer",
        "DEBUG PROTOCOL double",
        "DEBUG PROTOCOL null",
        "DEBUG PROTOCOL array",
        "DEBUG PROTOCOL set",
        "DEBUG PROTOCOL map",
        "DEBUG PROTOCOL verbatim",
        "DEBUG PROTOCOL true",
        "DEBUG PROTOCOL false",
        "ZADD z 1.5 a 10 b",
        "ZSCORE z a",
        "ZINCRBY z 0.1 a",
        "ZADD z inf c -inf d",
        "ZSCORE z c",
        "ZSCORE z d",
        "ZRANGE z 0 -1 WITHSCORES",
        "HSET h f1 v1 f2 v2",
        "HGETALL h",
        "HGETALL nohash",
        "SMEMBERS noset",
        "SADD s x",
        "SMEMBERS s",
        "XADD st 1-1 a 1 b 2",
        "XADD st 2-1 c 3",
        "XINFO STREAM st",
        "XINFO STREAM st FULL",
        #"EVAL "redis.setresp(3); return redis.call('HGETALL', KEYS[1])" 1 h"#,
        #"EVAL "return {double=3.5}" 0"#,
        "GET missing",
    ]

    @Test func resp2Raw() throws { try compareLines(Self.resp2Lines, cliFlags: [], mode: .raw) }
    @Test func resp2Human() throws { try compareLines(Self.resp2Lines, cliFlags: ["--no-raw"], mode: .human) }
    @Test func resp3Raw() throws { try compareLines(Self.resp3Lines, cliFlags: ["-3"], mode: .raw, resp3: true) }
    @Test func resp3Human() throws { try compareLines(Self.resp3Lines, cliFlags: ["-3", "--no-raw"], mode: .human, resp3: true) }

    /// Raw bytes typed on a line: invalid UTF-8 passes through, and the line ends at a NUL
    /// as it does for redis-cli (linenoise returns a C string).
    @Test func binaryInputLines() throws {
        let lines: [[UInt8]] = [
            Array("ECHO ".utf8) + [0xff, 0xfe, 0x80] + Array(" end".utf8),
            Array("ECHO before".utf8) + [0] + Array(" after".utf8),
            Array("ECHO \"quoted ".utf8) + [0xc3, 0x28] + Array("\"".utf8),
            Array("PING".utf8),
        ]
        for (flags, mode) in [([String](), ReplyFormatter.Mode.raw), (["--no-raw"], .human)] {
            try compareInput(lines.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")], cliFlags: flags, mode: mode)
        }
    }

    /// A last line without a newline still runs.
    @Test func lastLineWithoutNewline() throws {
        try compareInput(Array("ECHO one\nECHO two".utf8), cliFlags: ["--no-raw"], mode: .human)
    }

    /// `luastore cli CMD ARG...` against `redis-cli CMD ARG...`: no splitting, arguments taken
    /// as they are.
    @Test func commandFromArguments() throws {
        let fixture = try RedisServer(arguments: ["--enable-debug-command", "yes"])
        defer { fixture.stop() }
        let commands: [[String]] = [
            ["PING"],
            ["ECHO", "two words", #"back\slash "quote""#],
            ["RPUSH", "l", "a", "", "c"],
            ["LRANGE", "l", "0", "-1"],
            ["GET", "nothing"],
            ["NOSUCHCOMMAND", "x"],
            ["3", "PING"],
            ["quit"],
        ]
        for (flags, mode) in [([String](), ReplyFormatter.Mode.raw), (["--no-raw"], .human)] {
            // Each side replays the whole sequence on an emptied server.
            let connection = try RESPConnection(port: fixture.port)
            _ = connection.execute([ByteString("FLUSHALL")])
            var expected: [UInt8] = []
            for command in commands { expected += try fixture.redisCLI(flags + command) }
            _ = connection.execute([ByteString("FLUSHALL")])
            var output = BufferOutput()
            let session = CLISession(executor: connection, mode: mode)
            for command in commands { session.run(command.map { Array($0.utf8) }, output: &output) }
            #expect(output.bytes == expected, "\(flags): \(show(output.bytes)) != \(show(expected))")
        }
    }

    /// `--eval FILE keys , args` builds the same EVAL as redis-cli's (the script echoes its
    /// KEYS and ARGV back).
    @Test func evalFile() throws {
        let fixture = try RedisServer(arguments: ["--enable-debug-command", "yes"])
        defer { fixture.stop() }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("luastore-eval-\(getpid()).lua")
        try Data("return {KEYS, ARGV, #KEYS}\n".utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        let wordLists: [[String]] = [[], ["k1"], ["k1", "k2", ",", "a1", "a2"], [",", "a1"], ["k1", ",", "a", ",", "b"], ["k1,", "a1"]]
        for (flags, mode) in [([String](), ReplyFormatter.Mode.raw), (["--no-raw"], .human)] {
            for words in wordLists {
                let expected = try fixture.redisCLI(flags + ["--eval", script.path] + words)
                var output = BufferOutput()
                let session = CLISession(executor: try RESPConnection(port: fixture.port), mode: mode)
                let source = try #require(readWholeFile(atPath: script.path))
                session.run(EvalArguments.argv(script: source, words: words), output: &output)
                #expect(output.bytes == expected, "\(words) \(flags): \(show(output.bytes)) != \(show(expected))")
            }
        }
    }

    // MARK: - Helpers

    private func compareLines(_ lines: [String], cliFlags: [String], mode: ReplyFormatter.Mode, resp3: Bool = false) throws {
        try compareInput(Array((lines.joined(separator: "\n") + "\n").utf8), cliFlags: cliFlags, mode: mode, resp3: resp3)
    }

    /// Feeds `input` to redis-cli and to a ``CLISession`` (through ``LineReader`` on the same
    /// bytes), each after a FLUSHALL, and compares what they print line by line, then whole.
    private func compareInput(_ input: [UInt8], cliFlags: [String], mode: ReplyFormatter.Mode, resp3: Bool = false) throws {
        let fixture = try RedisServer(arguments: ["--enable-debug-command", "yes"])
        defer { fixture.stop() }
        let connection = try RESPConnection(port: fixture.port, resp3: resp3)
        _ = connection.execute([ByteString("FLUSHALL")])
        let expected = try fixture.redisCLI(cliFlags, input: input)
        _ = connection.execute([ByteString("FLUSHALL")])

        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        // The input is small (well under a pipe buffer), so writing it all first cannot block.
        _ = input.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        defer { close(fds[0]) }
        var reader = LineReader(descriptor: fds[0])
        let session = CLISession(executor: connection, mode: mode)
        var output = BufferOutput()
        while let line = reader.next(), session.handle(line: line, output: &output) == .proceed {}

        let ours = output.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let theirs = expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, (mine, redis)) in zip(ours, theirs).enumerated() where !mine.elementsEqual(redis) {
            Issue.record("\(cliFlags) output line \(index + 1): luastore \(show(Array(mine))) vs redis-cli \(show(Array(redis)))")
            break
        }
        let identical = output.bytes == expected  // a Bool, so a failure does not dump both byte arrays
        #expect(identical, "\(cliFlags): \(output.bytes.count) bytes vs redis-cli's \(expected.count)")
    }
}

/// Bytes in redis-cli's quoted form, for readable failure messages.
func show(_ bytes: [UInt8]) -> String { "\"" + ByteString(bytes).escaped + "\"" }
