import Testing
@testable import LuaStore

@Suite struct ListFamilyTests {
    let store = LuaStore()

    @Test func pushPopAndLength() {
        expect(store, ["LPUSH", "l", "a", "b"], .integer(2))
        expect(store, ["RPUSH", "l", "c"], .integer(3))
        expect(store, ["LRANGE", "l", "0", "-1"], .bulks("b", "a", "c"))
        expect(store, ["LPUSHX", "missing", "x"], .integer(0))
        expect(store, ["RPUSHX", "l", "d", "e"], .integer(5))
        expect(store, ["EXISTS", "missing"], .integer(0))
        expect(store, ["LLEN", "l"], .integer(5))
        expect(store, ["LLEN", "missing"], .integer(0))
        expect(store, ["LPOP", "l"], .bulk("b"))
        expect(store, ["RPOP", "l"], .bulk("e"))
        expect(store, ["LPOP", "l", "0"], .array([]))
        expect(store, ["RPOP", "l", "2"], .bulks("d", "c"))
        expect(store, ["LPOP", "l", "5"], .bulks("a"))
        expect(store, ["EXISTS", "l"], .integer(0))
        expect(store, ["LPOP", "l"], .null)
        expect(store, ["LPOP", "l", "2"], .nullArray)
        expect(store, ["RPOP", "l", "0"], .nullArray)
        expect(store, ["LPOP", "l", "-1"], .err("ERR value is out of range, must be positive"))
        expect(store, ["LPOP", "l", "x"], .err("ERR value is out of range, must be positive"))
        expect(store, ["LPOP", "l", "1", "2"], .err("ERR wrong number of arguments for 'lpop' command"))
        expect(store, ["LPUSH", "l"], .err("ERR wrong number of arguments for 'lpush' command"))
    }

    @Test func wrongType() {
        expect(store, ["SET", "s", "v"], .ok)
        let wrong = Reply.err("WRONGTYPE Operation against a key holding the wrong kind of value")
        for argv in [["LPUSH", "s", "a"], ["RPUSHX", "s", "a"], ["LPOP", "s"], ["LLEN", "s"], ["LRANGE", "s", "0", "1"],
                     ["LINDEX", "s", "0"], ["LSET", "s", "0", "x"], ["LINSERT", "s", "BEFORE", "a", "b"],
                     ["LREM", "s", "0", "a"], ["LTRIM", "s", "0", "1"], ["LPOS", "s", "a"], ["LMOVE", "s", "d", "LEFT", "LEFT"],
                     ["LMPOP", "1", "s", "LEFT"], ["BLPOP", "s", "0"]] {
            expect(store, argv, wrong)
        }
        expect(store, ["GET", "s"], .bulk("v"))
    }

    @Test func indexingAndRanges() {
        expect(store, ["RPUSH", "l", "a", "b", "c", "d"], .integer(4))
        expect(store, ["LINDEX", "l", "0"], .bulk("a"))
        expect(store, ["LINDEX", "l", "-1"], .bulk("d"))
        expect(store, ["LINDEX", "l", "4"], .null)
        expect(store, ["LINDEX", "l", "x"], .err("ERR value is not an integer or out of range"))
        expect(store, ["LRANGE", "l", "-2", "100"], .bulks("c", "d"))
        expect(store, ["LRANGE", "l", "2", "1"], .array([]))
        expect(store, ["LRANGE", "l", "-100", "-4"], .bulks("a"))
        expect(store, ["LRANGE", "missing", "0", "-1"], .array([]))
        expect(store, ["LSET", "l", "-1", "z"], .ok)
        expect(store, ["LSET", "l", "9", "z"], .err("ERR index out of range"))
        expect(store, ["LSET", "missing", "0", "z"], .err("ERR no such key"))
        expect(store, ["LTRIM", "l", "1", "-2"], .ok)
        expect(store, ["LRANGE", "l", "0", "-1"], .bulks("b", "c"))
        expect(store, ["LTRIM", "l", "5", "10"], .ok)
        expect(store, ["EXISTS", "l"], .integer(0))
        expect(store, ["LTRIM", "missing", "0", "1"], .ok)
    }

    @Test func insertAndRemove() {
        expect(store, ["RPUSH", "l", "a", "b", "a", "c", "a"], .integer(5))
        expect(store, ["LINSERT", "l", "BEFORE", "b", "x"], .integer(6))
        expect(store, ["LINSERT", "l", "after", "c", "y"], .integer(7))
        expect(store, ["LINSERT", "l", "BEFORE", "zz", "y"], .integer(-1))
        expect(store, ["LINSERT", "missing", "BEFORE", "a", "y"], .integer(0))
        expect(store, ["LINSERT", "l", "MIDDLE", "a", "y"], .err("ERR syntax error"))
        expect(store, ["LRANGE", "l", "0", "-1"], .bulks("a", "x", "b", "a", "c", "y", "a"))
        expect(store, ["LREM", "l", "-1", "a"], .integer(1))
        expect(store, ["LREM", "l", "1", "a"], .integer(1))
        expect(store, ["LRANGE", "l", "0", "-1"], .bulks("x", "b", "a", "c", "y"))
        expect(store, ["LREM", "l", "0", "a"], .integer(1))
        expect(store, ["LREM", "l", "x", "a"], .err("ERR value is not an integer or out of range"))
        expect(store, ["LREM", "missing", "0", "a"], .integer(0))
        expect(store, ["RPUSH", "one", "a"], .integer(1))
        expect(store, ["LREM", "one", "0", "a"], .integer(1))
        expect(store, ["EXISTS", "one"], .integer(0))
    }

    @Test func lposOptions() {
        expect(store, ["RPUSH", "l", "a", "b", "c", "a", "b", "a"], .integer(6))
        expect(store, ["LPOS", "l", "a"], .integer(0))
        expect(store, ["LPOS", "l", "a", "RANK", "2"], .integer(3))
        expect(store, ["LPOS", "l", "a", "RANK", "-1"], .integer(5))
        expect(store, ["LPOS", "l", "a", "COUNT", "0"], .array([.integer(0), .integer(3), .integer(5)]))
        expect(store, ["LPOS", "l", "a", "RANK", "-2", "COUNT", "2"], .array([.integer(3), .integer(0)]))
        expect(store, ["LPOS", "l", "a", "COUNT", "0", "MAXLEN", "4"], .array([.integer(0), .integer(3)]))
        expect(store, ["LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1"], .array([.integer(5), .integer(3), .integer(0)]))
        expect(store, ["LPOS", "l", "zz"], .null)
        expect(store, ["LPOS", "l", "zz", "COUNT", "1"], .array([]))
        expect(store, ["LPOS", "missing", "a"], .null)
        expect(store, ["LPOS", "missing", "a", "COUNT", "1"], .array([]))
        expect(store, ["LPOS", "l", "a", "RANK", "0"], .err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"))
        expect(store, ["LPOS", "l", "a", "COUNT", "-1"], .err("ERR COUNT can't be negative"))
        expect(store, ["LPOS", "l", "a", "MAXLEN", "-1"], .err("ERR MAXLEN can't be negative"))
        expect(store, ["LPOS", "l", "a", "RANK"], .err("ERR syntax error"))
        expect(store, ["LPOS", "l", "a", "BOGUS", "x"], .err("ERR syntax error"))
        expect(store, ["LPOS", "l", "a", "RANK", "x"], .err("ERR value is not an integer or out of range"))
    }

    @Test func moves() {
        expect(store, ["RPUSH", "src", "a", "b", "c"], .integer(3))
        expect(store, ["LMOVE", "src", "dst", "RIGHT", "LEFT"], .bulk("c"))
        expect(store, ["LMOVE", "src", "dst", "left", "right"], .bulk("a"))
        expect(store, ["LRANGE", "dst", "0", "-1"], .bulks("c", "a"))
        expect(store, ["RPOPLPUSH", "src", "dst"], .bulk("b"))
        expect(store, ["EXISTS", "src"], .integer(0))
        expect(store, ["LMOVE", "src", "dst", "LEFT", "LEFT"], .null)
        expect(store, ["LMOVE", "dst", "dst", "LEFT", "RIGHT"], .bulk("b"))
        expect(store, ["LRANGE", "dst", "0", "-1"], .bulks("c", "a", "b"))
        expect(store, ["LMOVE", "dst", "dst", "UP", "LEFT"], .err("ERR syntax error"))
        expect(store, ["SET", "s", "v"], .ok)
        expect(store, ["LMOVE", "dst", "s", "LEFT", "LEFT"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["LLEN", "dst"], .integer(3))
        expect(store, ["LMOVE", "missing", "s", "LEFT", "LEFT"], .null)
    }

    @Test func lmpop() {
        expect(store, ["RPUSH", "b", "1", "2", "3"], .integer(3))
        expect(store, ["LMPOP", "2", "a", "b", "LEFT"], .array([.bulk("b"), .bulks("1")]))
        expect(store, ["LMPOP", "2", "a", "b", "RIGHT", "COUNT", "5"], .array([.bulk("b"), .bulks("3", "2")]))
        expect(store, ["EXISTS", "b"], .integer(0))
        expect(store, ["LMPOP", "2", "a", "b", "LEFT"], .nullArray)
        expect(store, ["LMPOP", "0", "a", "LEFT"], .err("ERR numkeys should be greater than 0"))
        expect(store, ["LMPOP", "x", "a", "LEFT"], .err("ERR numkeys should be greater than 0"))
        expect(store, ["LMPOP", "2", "a", "LEFT"], .err("ERR syntax error"))
        expect(store, ["LMPOP", "1", "a", "UP"], .err("ERR syntax error"))
        expect(store, ["LMPOP", "1", "a", "LEFT", "COUNT", "0"], .err("ERR count should be greater than 0"))
        expect(store, ["LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"], .err("ERR syntax error"))
        expect(store, ["LMPOP", "1", "a", "LEFT", "COUNT"], .err("ERR syntax error"))
    }

    @Test func blockingFormsAnswerAtOnce() {
        expect(store, ["RPUSH", "l", "a", "b"], .integer(2))
        expect(store, ["BLPOP", "none", "l", "0"], .bulks("l", "a"))
        expect(store, ["BRPOP", "l", "0.5"], .bulks("l", "b"))
        expect(store, ["BLPOP", "l", "0"], .nullArray)
        expect(store, ["BLPOP", "l", "x"], .err("ERR timeout is not a float or out of range"))
        expect(store, ["BLPOP", "l", "-1"], .err("ERR timeout is negative"))
        expect(store, ["BLPOP", "l", "inf"], .err("ERR timeout is negative"))
        expect(store, ["BRPOPLPUSH", "l", "d", "0"], .null)
        expect(store, ["BLMOVE", "l", "d", "LEFT", "LEFT", "0"], .null)
        expect(store, ["BLMOVE", "l", "d", "UP", "LEFT", "x"], .err("ERR syntax error"))
        expect(store, ["BLMPOP", "0", "1", "l", "LEFT"], .nullArray)
        expect(store, ["BLMPOP", "x", "1", "l", "LEFT"], .err("ERR timeout is not a float or out of range"))
        expect(store, ["RPUSH", "l", "c"], .integer(1))
        expect(store, ["BLMPOP", "1", "1", "l", "LEFT", "COUNT", "3"], .array([.bulk("l"), .bulks("c")]))
        expect(store, ["RPUSH", "l", "c"], .integer(1))
        expect(store, ["BRPOPLPUSH", "l", "d", "0"], .bulk("c"))
        expect(store, ["BLMOVE", "d", "l", "LEFT", "RIGHT", "0"], .bulk("c"))
    }

    @Test func largeListsLeaveTheCompactEncoding() {
        for i in 0..<300 { run(store, "RPUSH", "big", "e\(i)") }
        expect(store, ["LLEN", "big"], .integer(300))
        expect(store, ["LINDEX", "big", "-1"], .bulk("e299"))
        expect(store, ["LTRIM", "big", "0", "50"], .ok)
        expect(store, ["LLEN", "big"], .integer(51))
        expect(store, ["LRANGE", "big", "49", "100"], .bulks("e49", "e50"))
    }

    @Test func typedAPI() throws {
        #expect(try store.rpush("t", ["a", "b", "c"]) == 3)
        #expect(try store.lpush("t", ["z"]) == 4)
        #expect(try store.lrange("t", 0, -1) == ["z", "a", "b", "c"])
        #expect(try store.lpop("t") == "z")
        #expect(try store.rpop("t", count: 2) == ["c", "b"])
        #expect(try store.llen("t") == 1)
        #expect(try store.lpushx("none", ["a"]) == 0)
        #expect(try store.lmove("t", "u", from: .left, to: .right) == "a")
        #expect(try store.llen("t") == 0)
        #expect(try store.rpush("u", ["a", "b", "a"]) == 4)
        #expect(try store.lpos("u", "a", rank: -1) == 3)
        #expect(try store.lpos("u", "a", count: 0) == [0, 1, 3])
        #expect(throws: StoreError.self) { try store.lpos("u", "a", rank: 0) }
        #expect(try store.lrem("u", count: 0, "a") == 3)
        #expect(try store.lindex("u", 0) == "b")
        try store.lset("u", 0, "q")
        #expect(try store.linsert("u", before: false, pivot: "q", "r") == 2)
        try store.ltrim("u", 1, 1)
        #expect(try store.lrange("u", 0, -1) == ["r"])
        #expect(try store.lmpop(["none", "u"], from: .left)?.elements == ["r"])
        #expect(try store.rpoplpush("u", "v") == nil)
    }
}
