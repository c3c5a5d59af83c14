import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// Expected texts were taken from redis-server 7.0.15 for the same scripts.
@Suite struct ErrorTextTests {
    let engine = sharedEngine

    func expectError(_ source: String, _ expected: String, host: FakeHost = FakeHost(),
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(engine.eval(source, host: host) == .error(expected), sourceLocation: sourceLocation)
    }

    @Test func callErrorsCarryTheScriptPosition() {
        let host = FakeHost()
        host.data["s"] = .string("foo")
        let s = "return redis.call('incr','s')"
        expectError(s, "ERR value is not an integer or out of range script: \(sha(s)), on @user_script:1.", host: host)
        let w = "return redis.call('lpush','s','x')"
        expectError(w, "WRONGTYPE Operation against a key holding the wrong kind of value script: \(sha(w)), on @user_script:1.", host: host)
        let multi = "local a = 1\nlocal b = 2\nreturn redis.call('incr','s')"
        expectError(multi, "ERR value is not an integer or out of range script: \(sha(multi)), on @user_script:3.", host: host)
    }

    @Test func pcallReturnsTheErrorAsATable() {
        let host = FakeHost()
        host.data["s"] = .string("foo")
        #expect(engine.eval("return redis.pcall('incr','s')", host: host) == .error("ERR value is not an integer or out of range"))
        // Redis 7's pcall hands back the message, not the table.
        #expect(engine.eval("local ok, e = pcall(redis.call, 'incr', 's'); return e", host: host)
                == .bulk("ERR value is not an integer or out of range"))
    }

    @Test func argumentErrors() {
        let s1 = "return redis.call()"
        expectError(s1, "ERR Please specify at least one argument for this redis lib call script: \(sha(s1)), on @user_script:1.")
        let s2 = "return redis.call(1,{})"
        expectError(s2, "ERR Lua redis lib command arguments must be strings or integers script: \(sha(s2)), on @user_script:1.")
        expectError("return redis.pcall('nosuch')", "ERR Unknown Redis command called from script")
        let s3 = "return redis.call('nosuch')"
        expectError(s3, "ERR Unknown Redis command called from script script: \(sha(s3)), on @user_script:1.")
    }

    @Test func runtimeErrors() {
        let s1 = "error('hi')"
        expectError(s1, "ERR user_script:1: hi script: \(sha(s1)), on @user_script:1.")
        let s2 = "error({err='tbl'})"
        expectError(s2, "tbl script: \(sha(s2)), on @user_script:1.")
        let s3 = "error(123)"
        // Lua 5.4's error() adds the position to string messages only (5.1: numbers too).
        expectError(s3, "ERR 123 script: \(sha(s3)), on @user_script:1.")
        let s4 = "return 'a' .. {}"
        expectError(s4, "ERR user_script:1: attempt to concatenate a table value script: \(sha(s4)), on @user_script:1.")
    }

    @Test func compileErrors() {
        // Lua 5.4 writes <eof> without quotes (5.1: '<eof>').
        expectError("return 'a' +", "ERR Error compiling script (new function): user_script:1: unexpected symbol near <eof>")
    }

    @Test func apiArgumentErrors() {
        let s1 = "return redis.sha1hex()"
        expectError(s1, "ERR wrong number of arguments script: \(sha(s1)), on @user_script:1.")
        let s2 = "redis.log(redis.LOG_WARNING)"
        expectError(s2, "ERR redis.log() requires two arguments or more. script: \(sha(s2)), on @user_script:1.")
        let s3 = "redis.log(99, 'x')"
        expectError(s3, "ERR Invalid debug level. script: \(sha(s3)), on @user_script:1.")
        let s4 = "return redis.set_repl(99)"
        expectError(s4, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE. script: \(sha(s4)), on @user_script:1.")
        let s5 = "return redis.set_repl()"
        expectError(s5, "ERR redis.set_repl() requires two arguments. script: \(sha(s5)), on @user_script:1.")
    }

    @Test func noScript() {
        #expect(engine.evalSHA("ffffffffffffffffffffffffffffffffffffffff", keys: [], args: [], host: FakeHost())
                == .error("NOSCRIPT No matching script. Please use EVAL."))
    }
}
