import LuaStoreCore
import Testing
@testable import LuaStoreScripting

@Suite struct LuaToReplyTests {
    let engine = sharedEngine

    @Test func scalars() {
        #expect(engine.eval("return 1") == .integer(1))
        #expect(engine.eval("return 3.99") == .integer(3))
        #expect(engine.eval("return -3.99") == .integer(-3))
        #expect(engine.eval("return 'ciao'") == .bulk("ciao"))
        #expect(engine.eval("return true") == .integer(1))
        #expect(engine.eval("return false") == .null)
        #expect(engine.eval("return nil") == .null)
        #expect(engine.eval("return") == .null)
    }

    @Test func tables() {
        #expect(engine.eval("return {1,2,3,'ciao',{1,2}}") == .array([
            .integer(1), .integer(2), .integer(3), .bulk("ciao"), .array([.integer(1), .integer(2)]),
        ]))
        // The array part stops at the first nil.
        #expect(engine.eval("return {1,nil,3}") == .array([.integer(1)]))
        #expect(engine.eval("local t = {}; t[1]=1; t[2]=2; t[4]=4; t.x = 5; return t") == .array([.integer(1), .integer(2)]))
        #expect(engine.eval("return {ok='FINE'}") == .status("FINE"))
        #expect(engine.eval("return {err='My Error'}") == .error("My Error"))
        // err wins over ok, ok over map.
        #expect(engine.eval("return {ok='x', err='y'}") == .error("y"))
        #expect(engine.eval("return {map={a=1}, ok='x'}") == .status("x"))
        #expect(engine.eval("return {ok='a\\r\\nb'}") == .status("a  b"))
    }

    @Test func resp3Shapes() {
        #expect(engine.eval("return {map={a=1}}") == .map([.init(key: .bulk("a"), value: .integer(1))]))
        #expect(engine.eval("return {set={a=true}}") == .set([.bulk("a")]))
        #expect(engine.eval("return {double=1.5}") == .double(1.5))
        #expect(engine.eval("return {big_number='123'}") == .bigNumber("123"))
        #expect(engine.eval("return {verbatim_string={format='txt', string='hi'}}") == .verbatim(format: "txt", text: "hi"))
        #expect(engine.eval("redis.setresp(3); return true") == .boolean(true))
        #expect(engine.eval("redis.setresp(3); return false") == .boolean(false))
        #expect(engine.eval("redis.setresp(3); return nil") == .null)
    }

    @Test func redisHelpers() {
        #expect(engine.eval("return redis.error_reply('boom')") == .error("ERR boom"))
        #expect(engine.eval("return redis.error_reply('-boom')") == .error("ERR boom"))
        #expect(engine.eval("return redis.error_reply('MY boom')") == .error("MY boom"))
        #expect(engine.eval("return redis.status_reply('FINE')") == .status("FINE"))
        #expect(engine.eval("return redis.status_reply()") == .error("ERR wrong number or type of arguments"))
        #expect(engine.eval("return redis.error_reply(1)") == .error("ERR wrong number or type of arguments"))
    }
}

@Suite struct ReplyToLuaTests {
    let engine = sharedEngine

    @Test func resp2() {
        let host = FakeHost()
        host.data["s"] = .string("foo")
        #expect(engine.eval("return type(redis.call('get','nokey'))", host: host) == .bulk("boolean"))
        #expect(engine.eval("return redis.call('get','s')", host: host) == .bulk("foo"))
        #expect(engine.eval("return math.type(redis.call('incr','n'))", host: host) == .bulk("integer"))
        #expect(engine.eval("return redis.call('ping').ok", host: host) == .bulk("PONG"))
        #expect(engine.eval("return redis.call('ping')", host: host) == .status("PONG"))
        #expect(engine.eval("return redis.pcall('incr','s').err", host: host) == .bulk("ERR value is not an integer or out of range"))
        host.data["h"] = .hash([("a", "1"), ("b", "2")])
        // RESP3 kinds are downgraded in RESP2 mode: map -> flat array, double -> bulk, ...
        #expect(engine.eval("return redis.call('hgetall','h')", host: host) == .array([.bulk("a"), .bulk("1"), .bulk("b"), .bulk("2")]))
        #expect(engine.eval("return redis.call('zscore','z','m')", host: host) == .bulk("1.5"))
        #expect(engine.eval("return redis.call('smembers','s')", host: host) == .array([.bulk("x")]))
        #expect(engine.eval("return redis.call('true')", host: host) == .integer(1))
        #expect(engine.eval("return redis.call('big')", host: host) == .bulk("123456789012345678901234567890"))
        #expect(engine.eval("return redis.call('verb')", host: host) == .bulk("hi"))
    }

    @Test func resp3() {
        let host = FakeHost()
        host.data["h"] = .hash([("a", "1")])
        #expect(engine.eval("redis.setresp(3); return type(redis.call('hgetall','h').map)", host: host) == .bulk("table"))
        #expect(engine.eval("redis.setresp(3); return redis.call('hgetall','h')", host: host)
                == .map([.init(key: .bulk("a"), value: .bulk("1"))]))
        #expect(engine.eval("redis.setresp(3); return redis.call('zscore','z','m').double", host: host) == .integer(1))
        #expect(engine.eval("redis.setresp(3); return redis.call('zscore','z','m')", host: host) == .double(1.5))
        #expect(engine.eval("redis.setresp(3); return tostring(redis.call('smembers','st').set.x)", host: host) == .bulk("true"))
        #expect(engine.eval("redis.setresp(3); return type(redis.call('get','nokey'))", host: host) == .bulk("nil"))
        #expect(engine.eval("redis.setresp(3); return redis.call('true')", host: host) == .boolean(true))
        #expect(engine.eval("redis.setresp(3); return redis.call('big').big_number", host: host) == .bulk("123456789012345678901234567890"))
        #expect(engine.eval("redis.setresp(3); local v = redis.call('verb').verbatim_string; return v.format .. v.string", host: host) == .bulk("txthi"))
        #expect(engine.eval("redis.setresp(4)") == .error("ERR RESP version must be 2 or 3. script: \(sha("redis.setresp(4)")), on @user_script:1."))
        #expect(engine.eval("redis.setresp()") == .error("ERR redis.setresp() requires one argument. script: \(sha("redis.setresp()")), on @user_script:1."))
    }

    @Test func argumentsReachTheHostAsBytes() {
        let host = FakeHost()
        _ = engine.eval("redis.call('set', 'k', 1.5); redis.call('set', 'i', 42); redis.call('set', 'f', 10/3); redis.call('set', 'z', 'a\\0b'); redis.call('set', 'n', -0.0); redis.call('set', 'p', 2^53); redis.call('set', 'c', 5.0); redis.call('set', 'e', 1e100); redis.call('set', 't', 0.1)", host: host)
        // Floats are formatted with %.17g, as Redis 7 does.
        #expect(host.log.map { $0[2] } == ["1.5", "42", "3.3333333333333335", "a\0b", "-0", "9007199254740992", "5", "1e+100", "0.10000000000000001"])
    }
}

/// A host that answers every call with one reply and records the protocol it was asked for.
final class OneReplyHost: ScriptHost, @unchecked Sendable {  // used by one run at a time
    var reply: Reply
    var protocols: [RESPVersion] = []
    init(_ reply: Reply) { self.reply = reply }
    func call(_ argv: [ByteString]) -> Reply { call(argv, protocolVersion: .resp2) }
    func call(_ argv: [ByteString], protocolVersion: RESPVersion) -> Reply {
        protocols.append(protocolVersion)
        return reply
    }
}

/// Every Reply -> Lua rule of Redis 7's `redisProtocolToLuaType_*` (script in RESP2 or
/// RESP3), each checked from inside the script; the expected values follow script_lua.c.
@Suite struct ReplyToLuaTableTests {
    let engine = sharedEngine

    /// (reply, script body inspecting `r`, expected result) for a RESP2 script.
    static let resp2: [(Reply, String, Reply)] = [
        (.status("OK"), "return r.ok", .bulk("OK")),
        (.integer(5), "return math.type(r) .. r", .bulk("integer5")),
        (.bulk("b"), "return r", .bulk("b")),
        (.null, "return type(r) .. tostring(r)", .bulk("booleanfalse")),
        (.nullArray, "return type(r) .. tostring(r)", .bulk("booleanfalse")),
        (.array([.integer(1), .bulk("x"), .null]), "return {#r, r[1], r[2], tostring(r[3])}", .array([.integer(3), .integer(1), .bulk("x"), .bulk("false")])),
        (.map([.init(key: .bulk("k"), value: .integer(1))]), "return {#r, r[1], r[2]}", .array([.integer(2), .bulk("k"), .integer(1)])),
        (.set([.bulk("x")]), "return {#r, r[1]}", .array([.integer(1), .bulk("x")])),
        (.double(1.5), "return type(r) .. r", .bulk("string1.5")),
        (.double(0.1), "return r", .bulk("0.10000000000000001")),
        (.double(-.infinity), "return r", .bulk("-inf")),
        (.boolean(true), "return math.type(r) .. r", .bulk("integer1")),
        (.boolean(false), "return r", .integer(0)),
        (.bigNumber("123456789012345678901234567890"), "return type(r) .. r", .bulk("string123456789012345678901234567890")),
        (.verbatim(format: "txt", text: "hi"), "return r", .bulk("hi")),
    ]

    /// The same for a script after `redis.setresp(3)`.
    static let resp3: [(Reply, String, Reply)] = [
        (.status("OK"), "return r.ok", .bulk("OK")),
        (.null, "return type(r)", .bulk("nil")),
        (.nullArray, "return type(r)", .bulk("nil")),
        (.map([.init(key: .bulk("k"), value: .integer(1))]), "return {type(r.map), r.map.k}", .array([.bulk("table"), .integer(1)])),
        (.set([.bulk("x")]), "return {type(r.set), tostring(r.set.x)}", .array([.bulk("table"), .bulk("true")])),
        (.double(1.5), "return {type(r.double), tostring(r.double)}", .array([.bulk("number"), .bulk("1.5")])),
        (.double(.infinity), "return tostring(r.double)", .bulk("inf")),
        (.boolean(true), "return type(r) .. tostring(r)", .bulk("booleantrue")),
        (.boolean(false), "return type(r) .. tostring(r)", .bulk("booleanfalse")),
        (.bigNumber("123456789012345678901234567890"), "return r.big_number", .bulk("123456789012345678901234567890")),
        (.verbatim(format: "txt", text: "hi"), "return r.verbatim_string.format .. ':' .. r.verbatim_string.string", .bulk("txt:hi")),
        // The array part stops at the nil; a Lua number goes back as an integer (truncated).
        (.array([.double(2.5), .null]), "return {#r, r[1].double}", .array([.integer(1), .integer(2)])),
    ]

    @Test func rulesForRESP2Scripts() {
        for (reply, body, expected) in Self.resp2 {
            let host = OneReplyHost(reply)
            let result = engine.eval(ByteString("local r = redis.call('x'); " + body), keys: [], args: [], host: host, cancellation: nil)
            #expect(result.downgradedToRESP2() == expected, "\(reply) -> \(body)")
            #expect(host.protocols == [.resp2])
        }
    }

    @Test func rulesForRESP3Scripts() {
        for (reply, body, expected) in Self.resp3 {
            let host = OneReplyHost(reply)
            let result = engine.eval(ByteString("redis.setresp(3); local r = redis.call('x'); " + body), keys: [], args: [], host: host, cancellation: nil)
            #expect(result.downgradedToRESP2() == expected, "\(reply) -> \(body)")
            #expect(host.protocols == [.resp3], "the host runs the call for the script's protocol")
        }
    }

    /// Lua -> reply (`luaReplyToRedisReply`): the engine keeps the RESP3 kinds, which the
    /// store writes for RESP2 callers with ``Reply/downgradedToRESP2()``.
    @Test func luaToReplyForBothCallers() {
        let cases: [(String, Reply, Reply)] = [
            ("return {double=3.25}", .double(3.25), .bulk("3.25")),
            ("return {double=1/0}", .double(.infinity), .bulk("inf")),
            ("return {big_number='1\\r\\n2'}", .bigNumber("1  2"), .bulk("1  2")),
            ("return {verbatim_string={format='txt', string='v'}}", .verbatim(format: "txt", text: "v"), .bulk("v")),
            ("return {map={a={set={b=true}}}}", .map([.init(key: .bulk("a"), value: .set([.bulk("b")]))]), .array([.bulk("a"), .array([.bulk("b")])])),
            ("redis.setresp(3); return {true, false}", .array([.boolean(true), .boolean(false)]), .array([.integer(1), .integer(0)])),
            ("return {true, false}", .array([.integer(1), .null]), .array([.integer(1), .null])),
            ("redis.setresp(3); return nil", .null, .null),
        ]
        for (source, resp3, resp2) in cases {
            let reply = engine.eval(source)
            #expect(reply == resp3, "\(source)")
            #expect(reply.downgradedToRESP2() == resp2, "\(source)")
        }
    }
}
