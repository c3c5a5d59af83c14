import LuaStoreCore
import Testing
@testable import LuaStoreScripting

@Suite struct RedisAliasTests {
    private func aliases(_ source: String) -> Bool { RedisAlias.canAlias(Array(source.utf8)) }

    @Test func directCallsAlias() {
        #expect(aliases("return redis.call('GET', KEYS[1])"))
        #expect(aliases("local x = redis.pcall ('GET', 'a')\nredis.call('SET', 'a', x)"))
        #expect(aliases("local myredis = 1 return redis.call('PING')"))  // another name
    }

    @Test func everyOtherShapeDeclines() {
        #expect(!aliases("return 1"))                               // no mention: nothing to gain
        #expect(!aliases("redis = 1"))
        #expect(!aliases("local r = redis; return r.call('PING')"))
        #expect(!aliases("redis.call = nil"))
        #expect(!aliases("return redis.REDIS_VERSION"))
        #expect(!aliases("redis.call 'PING'"))
        #expect(!aliases("redis:call('PING')"))
        #expect(!aliases("function redis.x() end redis.call('PING')"))
        #expect(!aliases("function --[[c]] redis.x() end"))
        #expect(!aliases("function -- c\n redis.x() end"))
        #expect(!aliases("local _ENV = {redis = {call = print}} redis.call('PING')"))
        #expect(!aliases("redis.call('PING') return ..."))
        #expect(!aliases("return redis['call']('PING')"))
    }

    @Test func aliasedScriptsBehaveTheSame() {
        let host = FakeHost()
        #expect(sharedEngine.eval("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
                                  keys: ["k"], args: ["v"], host: host) == .bulk("v"))
        // Error positions are unchanged: the local goes on the first line.
        let source = "local a = 1\nreturn redis.call('NOPE')"
        let reply = sharedEngine.eval(source, host: host)
        #expect(reply.errorMessage?.hasSuffix("script: \(sha(source)), on @user_script:2.") == true)
        // A script that also touches the table another way keeps the read-only proxy.
        let write = sharedEngine.eval("redis.call('PING') redis.call = nil", host: host)
        #expect(write.errorMessage?.contains("Attempt to modify a readonly table") == true)
        // Varargs stay empty for a script, aliased or not.
        #expect(sharedEngine.eval("redis.call('PING') return select('#', ...)", host: host) == .integer(0))
    }
}
