import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// Host functions called inside coroutines read their arguments from, and push their
/// results on, the coroutine's own stack. Expected replies come from redis-server 7.0.15.
@Suite struct CoroutineHostCallTests {
    let engine = sharedEngine

    func host() -> FakeHost {
        let host = FakeHost()
        host.data["k"] = .string("v")
        return host
    }

    @Test func callReturnsTheReply() {
        #expect(engine.eval("return coroutine.wrap(function() return redis.call('GET', KEYS[1]) end)()", keys: ["k"], host: host()) == .bulk("v"))
        #expect(engine.eval("return coroutine.wrap(function() return coroutine.wrap(function() return redis.call('GET', KEYS[1]) end)() end)()",
                            keys: ["k"], host: host()) == .bulk("v"))
        let s = "local a = coroutine.wrap(function() return redis.call('GET', KEYS[1]) end)() local b = redis.call('GET', KEYS[1]) return {a, b}"
        #expect(engine.eval(s, keys: ["k"], host: host()) == .array([.bulk("v"), .bulk("v")]))
        let yields = "local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(redis.call('INCR', KEYS[1])) end end) return {co(), co(), co()}"
        #expect(engine.eval(yields, keys: ["n"]) == .array([.integer(1), .integer(2), .integer(3)]))
        // A call statement (its reply is not built) inside a coroutine.
        let statement = "coroutine.wrap(function() redis.call('SET', KEYS[1], 'w') end)() return redis.call('GET', KEYS[1])"
        #expect(engine.eval(statement, keys: ["w"]) == .bulk("w"))
        let failing = "coroutine.wrap(function() redis.call('INCR', KEYS[1]) end)() return 1"
        #expect(engine.eval(failing, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range script: \(sha(failing)), on @user_script:1."))
    }

    @Test func callErrorsRaiseFromTheCoroutine() {
        let incr = "return coroutine.wrap(function() return redis.call('INCR', KEYS[1]) end)()"
        #expect(engine.eval(incr, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range script: \(sha(incr)), on @user_script:1."))
        let nested = "return coroutine.wrap(function() return coroutine.wrap(function() return redis.call('INCR', KEYS[1]) end)() end)()"
        #expect(engine.eval(nested, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range script: \(sha(nested)), on @user_script:1."))
        // The position is the main thread's, where the wrapped function was called.
        let lines = "local f = coroutine.wrap(function()\n return redis.call('INCR', KEYS[1])\n end)\n \n return f()"
        #expect(engine.eval(lines, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range script: \(sha(lines)), on @user_script:5."))
        let resumed = "local ok, e = coroutine.resume(coroutine.create(function() return redis.call('INCR', KEYS[1]) end)) return {tostring(ok), type(e), e.err}"
        #expect(engine.eval(resumed, keys: ["k"], host: host()) == .array([.bulk("false"), .bulk("table"), .bulk("ERR value is not an integer or out of range")]))
        for (call, message) in [
            ("redis.call('nosuch')", "ERR Unknown Redis command called from script"),
            ("redis.call()", "ERR Please specify at least one argument for this redis lib call"),
            ("redis.call('GET', {})", "ERR Lua redis lib command arguments must be strings or integers"),
            ("redis.setresp(4)", "ERR RESP version must be 2 or 3."),
            ("redis.log()", "ERR redis.log() requires two arguments or more."),
        ] {
            let s = "return coroutine.wrap(function() return \(call) end)()"
            #expect(engine.eval(s) == .error("\(message) script: \(sha(s)), on @user_script:1."))
        }
    }

    @Test func pcallAndReplyHelpersReturnTheirTables() {
        let pcall = "return coroutine.wrap(function() return redis.pcall('INCR', KEYS[1]) end)()"
        #expect(engine.eval(pcall, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range"))
        let field = "local t = coroutine.wrap(function() return redis.pcall('INCR', KEYS[1]) end)() return t.err"
        #expect(engine.eval(field, keys: ["k"], host: host()) == .bulk("ERR value is not an integer or out of range"))
        let nested = "local ok, v = coroutine.resume(coroutine.create(function() return coroutine.wrap(function() return redis.pcall('INCR', KEYS[1]) end)() end)) return {tostring(ok), v.err}"
        #expect(engine.eval(nested, keys: ["k"], host: host()) == .array([.bulk("true"), .bulk("ERR value is not an integer or out of range")]))
        #expect(engine.eval("return coroutine.wrap(function() return redis.pcall() end)()")
                == .error("ERR Please specify at least one argument for this redis lib call"))
        #expect(engine.eval("return coroutine.wrap(function() return redis.pcall('GET', {}) end)()")
                == .error("ERR Lua redis lib command arguments must be strings or integers"))
        #expect(engine.eval("return coroutine.wrap(function() return redis.error_reply('MY err') end)()") == .error("MY err"))
        #expect(engine.eval("return coroutine.wrap(function() return redis.status_reply('FINE') end)()") == .status("FINE"))
        #expect(engine.eval("return coroutine.wrap(function() return redis.sha1hex('') end)()") == .bulk("da39a3ee5e6b4b0d3255bfef95601890afd80709"))
        let mixed = "return coroutine.wrap(function() return {redis.call('GET', KEYS[1]), redis.status_reply('OK'), redis.error_reply('X y').err} end)()"
        #expect(engine.eval(mixed, keys: ["k"], host: host()) == .array([.bulk("v"), .status("OK"), .bulk("X y")]))
    }
}
