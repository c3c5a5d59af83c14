import Testing
@testable import LuaStore

/// The hash family as argv and expected reply; every expected reply (error texts
/// included) was recorded from redis-server 7.0.15.
@Suite struct HashFamilyTests {
    let store = LuaStore()

    @Test func setAndGet() {
        expect(store, ["HSET", "h", "f1", "v1", "f2", "v2"], .integer(2))
        expect(store, ["HSET", "h", "f1", "x", "f3", "v3"], .integer(1))
        expect(store, ["HSET", "h", "f1"], .err("ERR wrong number of arguments for 'hset' command"))
        expect(store, ["HSET", "h", "f1", "v1", "f2"], .err("ERR wrong number of arguments for 'hset' command"))
        expect(store, ["HMSET", "h", "f1", "v1", "f2"], .err("ERR wrong number of arguments for 'hmset' command"))
        expect(store, ["HMSET", "h", "f4", "v4"], .ok)
        expect(store, ["HSETNX", "h", "f4", "z"], .integer(0))
        expect(store, ["HSETNX", "h", "f5", "z"], .integer(1))
        expect(store, ["HSETNX", "new", "f", "v"], .integer(1))
        expect(store, ["HGET", "h", "f1"], .bulk("x"))
        expect(store, ["HGET", "h", "nope"], .null)
        expect(store, ["HGET", "missing", "f"], .null)
        expect(store, ["HMGET", "h", "f1", "nope", "f2"], .bulks("x", nil, "v2"))
        expect(store, ["HMGET", "missing", "a", "b"], .bulks(nil, nil))
        expect(store, ["HGETALL", "h"], .bulks("f1", "x", "f2", "v2", "f3", "v3", "f4", "v4", "f5", "z"))
        expect(store, ["HKEYS", "h"], .bulks("f1", "f2", "f3", "f4", "f5"))
        expect(store, ["HVALS", "h"], .bulks("x", "v2", "v3", "v4", "z"))
        expect(store, ["HGETALL", "missing"], .array([]))
        expect(store, ["HKEYS", "missing"], .array([]))
        expect(store, ["HEXISTS", "h", "f2"], .integer(1))
        expect(store, ["HEXISTS", "h", "nope"], .integer(0))
        expect(store, ["HLEN", "h"], .integer(5))
        expect(store, ["HLEN", "missing"], .integer(0))
        expect(store, ["HSTRLEN", "h", "f2"], .integer(2))
        expect(store, ["HSTRLEN", "h", "nope"], .integer(0))
        expect(store, ["HSTRLEN", "missing", "f"], .integer(0))
    }

    @Test func deleteRemovesEmptyHashes() {
        expect(store, ["HSET", "h", "a", "1", "b", "2"], .integer(2))
        expect(store, ["HDEL", "h", "a", "nope"], .integer(1))
        expect(store, ["HDEL", "missing", "a"], .integer(0))
        expect(store, ["HDEL", "h", "b"], .integer(1))
        expect(store, ["EXISTS", "h"], .integer(0))
        expect(store, ["HDEL", "h"], .err("ERR wrong number of arguments for 'hdel' command"))
    }

    @Test func hincrby() {
        expect(store, ["HINCRBY", "h", "n", "5"], .integer(5))
        expect(store, ["HINCRBY", "h", "n", "-10"], .integer(-5))
        expect(store, ["HSET", "h", "s", "hello", "big", "9223372036854775807", "neg", "-9223372036854775808", "sp", "x"], .integer(4))
        expect(store, ["HINCRBY", "h", "s", "1"], .err("ERR hash value is not an integer"))
        expect(store, ["HINCRBY", "h", "n", "abc"], .err("ERR value is not an integer or out of range"))
        expect(store, ["HINCRBY", "h", "big", "1"], .err("ERR increment or decrement would overflow"))
        expect(store, ["HINCRBY", "h", "neg", "-1"], .err("ERR increment or decrement would overflow"))
        expect(store, ["HINCRBY", "h", "n", "9223372036854775807"], .integer(9223372036854775802))
        expect(store, ["HGET", "h", "n"], .bulk("9223372036854775802"))
        expect(store, ["HINCRBY", "missing", "f", "abc"], .err("ERR value is not an integer or out of range"))
        expect(store, ["EXISTS", "missing"], .integer(0))
    }

    @Test func hincrbyfloat() {
        expect(store, ["HINCRBYFLOAT", "h", "f", "0.1"], .bulk("0.1"))
        expect(store, ["HINCRBYFLOAT", "h", "f", "0.2"], .bulk("0.3"))
        expect(store, ["HINCRBYFLOAT", "h", "f", "abc"], .err("ERR value is not a valid float"))
        expect(store, ["HINCRBYFLOAT", "h", "f", "inf"], .err("ERR value is NaN or Infinity"))
        expect(store, ["HINCRBYFLOAT", "h", "f", "nan"], .err("ERR value is not a valid float"))
        expect(store, ["HINCRBYFLOAT", "h", "f", ""], .err("ERR value is not a valid float"))
        expect(store, ["HSET", "h", "s", "hello", "e", "1e5000", "m", "1.7976931348623157e308", "i", "10"], .integer(4))
        expect(store, ["HINCRBYFLOAT", "h", "s", "1"], .err("ERR hash value is not a float"))
        expect(store, ["HINCRBYFLOAT", "h", "e", "1"], .err("ERR hash value is not a float"))
        expect(store, ["HINCRBYFLOAT", "h", "m", "1.7976931348623157e308"], .bulk("359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768"))
        expect(store, ["HINCRBYFLOAT", "h", "i", "1.5"], .bulk("11.5"))
        expect(store, ["HINCRBYFLOAT", "h", "n", "5.0e3"], .bulk("5000"))
        expect(store, ["HINCRBYFLOAT", "h", "z", "-0"], .bulk("0"))
        expect(store, ["HINCRBYFLOAT", "h", "x", "1e-20"], .bulk("0"))
        expect(store, ["HGET", "h", "z"], .bulk("0"))
        expect(store, ["HINCRBYFLOAT", "missing", "f", "abc"], .err("ERR value is not a valid float"))
        expect(store, ["EXISTS", "missing"], .integer(0))
    }

    @Test func randomFieldArguments() {
        expect(store, ["HSET", "h", "a", "1", "b", "2"], .integer(2))
        expect(store, ["HRANDFIELD", "missing"], .null)
        expect(store, ["HRANDFIELD", "missing", "3"], .array([]))
        expect(store, ["HRANDFIELD", "missing", "3", "WITHVALUES"], .array([]))
        expect(store, ["HRANDFIELD", "h", "0"], .array([]))
        expect(store, ["HRANDFIELD", "h", "5", "WITHVALUES"], .bulks("a", "1", "b", "2"))
        expect(store, ["HRANDFIELD", "h", "abc"], .err("ERR value is not an integer or out of range"))
        expect(store, ["HRANDFIELD", "h", "1", "BOGUS"], .err("ERR syntax error"))
        expect(store, ["HRANDFIELD", "h", "1", "WITHVALUES", "x"], .err("ERR syntax error"))
        expect(store, ["HRANDFIELD", "h", "-9223372036854775808"], .err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"))
        expect(store, ["HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"], .err("ERR value is out of range"))
    }

    @Test func scan() {
        expect(store, ["HSET", "h", "a", "1", "b", "2", "ab", "3"], .integer(3))
        expect(store, ["HSCAN", "h", "0"], .array([.bulk("0"), .bulks("a", "1", "b", "2", "ab", "3")]))
        expect(store, ["HSCAN", "h", "0", "MATCH", "a*"], .array([.bulk("0"), .bulks("a", "1", "ab", "3")]))
        expect(store, ["HSCAN", "h", "0", "COUNT", "0"], .err("ERR syntax error"))
        expect(store, ["HSCAN", "h", "0", "COUNT"], .err("ERR syntax error"))
        expect(store, ["HSCAN", "h", "0", "BOGUS", "x"], .err("ERR syntax error"))
        expect(store, ["HSCAN", "h", "0", "TYPE", "string"], .err("ERR syntax error"))
        expect(store, ["HSCAN", "missing", "0", "COUNT", "0"], .array([.bulk("0"), .array([])]))
        expect(store, ["HSCAN", "h", "abc"], .err("ERR invalid cursor"))
    }

    @Test func wrongTypeAndArity() {
        expect(store, ["SET", "str", "x"], .ok)
        expect(store, ["HSET", "str", "a", "b"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HSETNX", "str", "a", "b"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HGET", "str", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HMGET", "str", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HGETALL", "str"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HDEL", "str", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HLEN", "str"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HEXISTS", "str", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HSTRLEN", "str", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HINCRBY", "str", "a", "1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HINCRBY", "str", "a", "abc"], .err("ERR value is not an integer or out of range"))
        expect(store, ["HINCRBYFLOAT", "str", "a", "1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HINCRBYFLOAT", "str", "a", "abc"], .err("ERR value is not a valid float"))
        expect(store, ["HRANDFIELD", "str"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HSCAN", "str", "0"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["HGET", "h"], .err("ERR wrong number of arguments for 'hget' command"))
        expect(store, ["HMGET", "h"], .err("ERR wrong number of arguments for 'hmget' command"))
        expect(store, ["HGETALL"], .err("ERR wrong number of arguments for 'hgetall' command"))
        expect(store, ["HSETNX", "h", "f"], .err("ERR wrong number of arguments for 'hsetnx' command"))
    }

    @Test func largeHashesKeepEveryField() {
        let pairs = (0..<300).flatMap { ["f\($0)", String($0)] }
        expect(store, ["HSET", "big"] + pairs, .integer(300))
        expect(store, ["HDEL", "big", "f0", "f150"], .integer(2))
        expect(store, ["HLEN", "big"], .integer(298))
        expect(store, ["HGET", "big", "f299"], .bulk("299"))
        expect(store, ["HINCRBY", "big", "f7", "3"], .integer(10))
        guard case .array(let all) = store.execute(["HGETALL", "big"]) else { Issue.record("not an array"); return }
        #expect(all.count == 596)
    }

    @Test func typedAPI() throws {
        #expect(try store.hset("h", [("a", "1"), ("b", "2")]) == 2)
        #expect(try store.hset("h", "a", "3") == false)
        #expect(try store.hsetnx("h", "a", "9") == false)
        #expect(try store.hget("h", "a") == "3")
        #expect(try store.hmget("h", ["a", "zz"]) == ["3", nil])
        #expect(try store.hgetall("h") == [HashEntry(field: "a", value: "3"), HashEntry(field: "b", value: "2")])
        #expect(try store.hkeys("h") == ["a", "b"])
        #expect(try store.hvals("h") == ["3", "2"])
        #expect(try store.hexists("h", "b"))
        #expect(try store.hlen("h") == 2)
        #expect(try store.hstrlen("h", "a") == 1)
        #expect(try store.hincrby("h", "a", 4) == 7)
        #expect(try store.hincrbyfloat("h", "f", 0.1) == "0.1")
        #expect(try store.hrandfield("h", count: -5).count == 5)
        #expect(try store.hscan("h", match: "[ab]").count == 2)
        #expect(try store.hdel("h", ["a", "b", "f"]) == 3)
        #expect(try store.exists("h") == 0)
        #expect(throws: StoreError.incrementNaNOrInfinity) { try store.hincrbyfloat("h", "f", .infinity) }
        try store.set("s", "x")
        #expect(throws: StoreError.wrongType) { try store.hget("s", "a") }
    }
}
