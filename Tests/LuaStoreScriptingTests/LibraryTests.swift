import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// Expected values come from redis-server 7.0.15 running the same expressions.
@Suite struct LibraryTests {
    let engine = sharedEngine

    @Test func bit() {
        #expect(engine.eval("return bit.tohex(65535)") == .bulk("0000ffff"))
        #expect(engine.eval("return bit.tohex(-1, -4)") == .bulk("FFFF"))
        #expect(engine.eval("return bit.band(0xff, 0x0f)") == .integer(15))
        #expect(engine.eval("return bit.bnot(0)") == .integer(-1))
        #expect(engine.eval("return bit.lshift(1, 31)") == .integer(-2147483648))
        #expect(engine.eval("return bit.rshift(-1, 28)") == .integer(15))
        #expect(engine.eval("return bit.arshift(-256, 4)") == .integer(-16))
        #expect(engine.eval("return bit.rol(0x12345678, 12)") == .integer(1164411171))
        #expect(engine.eval("return bit.ror(0x12345678, 12)") == .integer(1736516421))
        #expect(engine.eval("return bit.tobit(0xffffffff + 1)") == .integer(0))
        #expect(engine.eval("return bit.bxor(5, 3, 1)") == .integer(7))
    }

    @Test func structLibrary() {
        #expect(engine.eval("return struct.pack('>I2', 258)") == .bulk(ByteString([1, 2])))
        #expect(engine.eval("return {struct.unpack('>I2', struct.pack('>I2', 258))}") == .array([.integer(258), .integer(3)]))
        #expect(engine.eval("return struct.size('>iH')") == .integer(6))
        #expect(engine.eval("return struct.pack('<hs', -2, 'ab')") == .bulk(ByteString([0xfe, 0xff, 0x61, 0x62, 0])))
    }

    @Test func cmsgpack() {
        #expect(engine.eval("return cmsgpack.pack({1,2,3})") == .bulk(ByteString([0x93, 1, 2, 3])))
        #expect(engine.eval("return cmsgpack.pack({a=1})") == .bulk(ByteString([0x81, 0xa1, 0x61, 1])))
        #expect(engine.eval("return cmsgpack.pack(1.5, -1, 300, 'hello')")
                == .bulk(ByteString([0xca, 0x3f, 0xc0, 0, 0, 0xff, 0xcd, 1, 0x2c, 0xa5] + Array("hello".utf8))))
        #expect(engine.eval("return {cmsgpack.unpack(cmsgpack.pack({1,'x',{true}}, 5))}")
                == .array([.array([.integer(1), .bulk("x"), .array([.integer(1)])]), .integer(5)]))
    }

    @Test func cjson() {
        #expect(engine.eval("return cjson.encode({a={1,2}})") == .bulk("{\"a\":[1,2]}"))
        #expect(engine.eval("return cjson.decode('[1,2,{\"a\":3}]')[3].a") == .integer(3))
        #expect(engine.eval("return cjson.encode(cjson.decode('{\"x\":null}'))") == .bulk("{\"x\":null}"))
    }

    @Test func versionAndConstants() {
        #expect(engine.eval("return redis.REDIS_VERSION .. ' ' .. redis.REDIS_VERSION_NUM") == .bulk("7.0.15 458767"))
        #expect(engine.eval("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING, redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}")
                == .array([0, 1, 2, 3, 0, 1, 2, 2, 3].map { .integer($0) }))
        #expect(engine.eval("return redis.replicate_commands()") == .integer(1))
        #expect(engine.eval("redis.set_repl(redis.REPL_ALL); redis.log(redis.LOG_NOTICE, 'hello', 'world'); return redis.breakpoint()") == .null)
    }
}
