import Testing
@testable import LuaStore

@Suite struct StringFamilyTests {
    let store = LuaStore()

    @Test func getSetAndOptions() {
        expect(store, ["SET", "k", "v"], .ok)
        expect(store, ["GET", "k"], .bulk("v"))
        expect(store, ["SET", "k", "w", "NX"], .null)
        expect(store, ["SET", "k", "w", "XX", "GET"], .bulk("v"))
        expect(store, ["SET", "k", "w", "NX", "XX"], .err("ERR syntax error"))
        expect(store, ["SET", "k", "w", "EX", "10", "PX", "100"], .err("ERR syntax error"))
        expect(store, ["SET", "k", "w", "EX", "0"], .err("ERR invalid expire time in 'set' command"))
        expect(store, ["SET", "k", "w", "EX", "x"], .err("ERR value is not an integer or out of range"))
        expect(store, ["SET", "k", "w", "KEEPTTL", "EX", "1"], .err("ERR syntax error"))
        expect(store, ["SET", "n", "1", "GET"], .null)
        expect(store, ["GET", "missing"], .null)
        expect(store, ["GET"], .err("ERR wrong number of arguments for 'get' command"))
        expect(store, ["SETNX", "k", "x"], .integer(0))
        expect(store, ["SETEX", "t", "-1", "x"], .err("ERR invalid expire time in 'setex' command"))
    }

    @Test func counters() {
        expect(store, ["INCR", "c"], .integer(1))
        expect(store, ["INCRBY", "c", "41"], .integer(42))
        expect(store, ["DECRBY", "c", "2"], .integer(40))
        expect(store, ["SET", "big", "9223372036854775807"], .ok)
        expect(store, ["INCR", "big"], .err("ERR increment or decrement would overflow"))
        expect(store, ["GET", "big"], .bulk("9223372036854775807"))
        expect(store, ["SET", "s", "012"], .ok)
        expect(store, ["INCR", "s"], .err("ERR value is not an integer or out of range"))
        expect(store, ["INCRBYFLOAT", "f", "0.1"], .bulk("0.1"))
        expect(store, ["INCRBYFLOAT", "f", "0.2"], .bulk("0.3"))
        expect(store, ["INCRBYFLOAT", "g", "1e5000"], .err("ERR value is not a valid float"))
        expect(store, ["DECRBY", "c", "-9223372036854775808"], .err("ERR decrement would overflow"))
    }

    @Test func ranges() {
        expect(store, ["SET", "s", "Hello World"], .ok)
        expect(store, ["GETRANGE", "s", "0", "4"], .bulk("Hello"))
        expect(store, ["GETRANGE", "s", "-5", "-1"], .bulk("World"))
        expect(store, ["GETRANGE", "s", "5", "1"], .bulk(""))
        expect(store, ["SETRANGE", "s", "6", "Redis"], .integer(11))
        expect(store, ["GET", "s"], .bulk("Hello Redis"))
        expect(store, ["SETRANGE", "p", "3", "x"], .integer(4))
        expect(store, ["GET", "p"], .bulk(ByteString([0, 0, 0, UInt8(ascii: "x")])))
        expect(store, ["SETRANGE", "p", "-1", "x"], .err("ERR offset is out of range"))
        expect(store, ["APPEND", "p", "yz"], .integer(6))
        expect(store, ["STRLEN", "p"], .integer(6))
    }

    @Test func multiKey() {
        expect(store, ["MSET", "a", "1", "b", "2"], .ok)
        expect(store, ["MGET", "a", "b", "c"], .bulks("1", "2", nil))
        expect(store, ["MSETNX", "c", "3", "a", "9"], .integer(0))
        expect(store, ["GET", "c"], .null)
        expect(store, ["MSET", "a"], .err("ERR wrong number of arguments for 'mset' command"))
        expect(store, ["MSET", "a", "1", "b"], .err("ERR wrong number of arguments for 'mset' command"))
    }

    @Test func binarySafety() {
        let key = ByteString([0, 0xff, 10])
        let value = ByteString((0..<300).map { UInt8(truncatingIfNeeded: $0) })
        #expect(store.execute([ByteString("SET"), key, value]) == .ok)
        #expect(store.execute([ByteString("GET"), key]) == .bulk(value))
        #expect(store.execute([ByteString("SET"), ByteString(), ByteString()]) == .ok)
        #expect(store.execute([ByteString("GET"), ByteString()]) == .bulk(ByteString()))
    }

    /// `incrbyfloatCommand` checks the key's type, then the stored value, then the
    /// increment: a bad increment on another type is WRONGTYPE.
    @Test func incrbyfloatChecksTheTypeBeforeTheIncrement() {
        run(store, "RPUSH", "list", "a")
        expect(store, ["INCRBYFLOAT", "list", "abc"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["INCRBYFLOAT", "list", "1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["INCRBYFLOAT", "missing", "abc"], .err("ERR value is not a valid float"))
        expect(store, ["EXISTS", "missing"], .integer(0))
        run(store, "SET", "text", "abc")
        expect(store, ["INCRBYFLOAT", "text", "abc"], .err("ERR value is not a valid float"))
        expect(store, ["INCRBYFLOAT", "text", "1"], .err("ERR value is not a valid float"))
        run(store, "SET", "f", "1.5")
        expect(store, ["INCRBYFLOAT", "f", "nan"], .err("ERR value is not a valid float"))
        expect(store, ["INCRBYFLOAT", "f", "inf"], .err("ERR increment would produce NaN or Infinity"))
        expect(store, ["INCRBYFLOAT", "f", "1"], .bulk("2.5"))
    }

    @Test func unknownCommand() {
        expect(store, ["NOPE", "a", "b"], .err("ERR unknown command 'NOPE', with args beginning with: 'a' 'b' "))
    }
}
