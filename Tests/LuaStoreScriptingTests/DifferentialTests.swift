import LuaStoreCore
import Testing
import TestSupport
@testable import LuaStoreScripting

/// Runs the same scripts on a real redis-server (a throwaway one from the shared launcher,
/// so this always runs) and on the engine, and compares the replies as redis-cli prints
/// them. Only scripts whose behaviour is the same on Lua 5.1 and 5.4 are listed.
@Suite struct DifferentialTests {
    static let scripts = [
        "return 1", "return 3.99", "return -3.99", "return 'ciao'", "return true", "return false", "return nil",
        "return {1,2,3,'ciao',{1,2}}", "return {1,nil,3}", "return {ok='FINE'}", "return {err='My Error'}",
        "return {ok='x', err='y'}", "return redis.error_reply('boom')", "return redis.error_reply('MY boom')",
        "return redis.status_reply('FINE')", "return x", "x = 1", "string.x = 1", "cjson.x = 1",
        "return redis.call('incr', 'fs')", "return redis.pcall('incr', 'fs')", "return redis.call('nosuch')",
        "return redis.call()", "return redis.call(1, {})", "error('hi')", "error({err='tbl'})",
        "return 'a' .. {}", "return redis.sha1hex('abc')", "return redis.sha1hex(1)", "return redis.sha1hex()",
        "redis.log(redis.LOG_WARNING)", "redis.log(99, 'x')", "redis.setresp(4)", "redis.setresp()",
        "return redis.set_repl(99)", "return redis.set_repl()", "return redis.replicate_commands()",
        "return bit.tohex(65535)", "return bit.band(0xff, 0x0f)", "return bit.lshift(1, 31)",
        "return bit.arshift(-256, 4)", "return bit.rol(0x12345678, 12)", "return bit.tohex(-1, -4)",
        "return struct.size('>iH')", "return {struct.unpack('>I2', struct.pack('>I2', 258))}",
        "return cjson.encode({a={1,2}})", "return cjson.decode('[1,2,{\"a\":3}]')[3].a",
        "return cmsgpack.pack({1,2,3})", "return {cmsgpack.unpack(cmsgpack.pack({1,'x',{true}}, 5))}",
        "redis.call('set', 'fk', 10/3) return redis.call('get', 'fk')",
        "redis.call('set', 'fk', 2^53) return redis.call('get', 'fk')",
        "return type(redis.call('get', 'nokey'))", "return redis.call('ping')",
        "return {KEYS[1], ARGV[1]}", "return table.getn({1,2,3})", "return math.pow(2, 10)",
        "return unpack({1,2})", "return loadstring('return 1')()", "return #KEYS",
        "#!lua flags=no-writes,bogus\nreturn 1", "#!lua name=x\nreturn 1", "#!luax\nreturn 1",
        "return redis.setresp(3)", "redis.setresp(3); return true", "redis.setresp(3); return {double=1.5}",
    ]

    /// redis-cli's rendering of a reply (the same as `redis-cli` prints without a tty).
    static func render(_ reply: Reply) -> String {
        switch reply {
        case .status(let s): return s
        case .error(let e): return e
        case .integer(let i): return String(i)
        case .bulk(let b): return b.string
        case .null, .nullArray: return ""
        case .array(let items), .set(let items): return items.map(render).joined(separator: "\n")
        case .map(let entries): return entries.map { render($0.key) + "\n" + render($0.value) }.joined(separator: "\n")
        case .double(let d): return RedisAPI.formatDouble(d)
        case .boolean(let b): return b ? "1" : ""
        case .bigNumber(let s): return s
        case .verbatim(_, let t): return t
        }
    }

    /// Both with and without auto-async: the statement calls of these scripts are queued
    /// in the second run, and answer the same.
    @Test(arguments: [false, true])
    func sameRepliesAsRedis(autoAsync: Bool) throws {
        let server = try RedisServer()
        defer { server.stop() }
        let client = try server.connect()
        let engine = ScriptEngine(configuration: .init(autoAsync: autoAsync))
        for script in Self.scripts {
            _ = try client.call("FLUSHALL")
            _ = try client.call("SET", "fs", "foo")
            var expected = Self.render(try client.call("EVAL", script, "1", "k1", "a1"))
            while expected.hasSuffix("\n") { expected.removeLast() }
            let host = FakeHost()
            host.data["fs"] = .string("foo")
            let reply = engine.eval(ByteString(script), keys: ["k1"], args: ["a1"], host: host)
            var actual = Self.render(reply)
            while actual.hasSuffix("\n") { actual.removeLast() }
            #expect(actual == expected, "\(script)")
        }
    }
}
