import LuaStoreCore
import Testing
@testable import LuaStore

@Suite struct SortFamilyTests {
    let store = LuaStore()

    @Test func numericAlphaAndLimit() {
        expect(store, ["RPUSH", "l", "3", "1", "10", "2", "1.5"], .integer(5))
        expect(store, ["SORT", "l"], .array(["1", "1.5", "2", "3", "10"].map { .bulk($0) }))
        expect(store, ["SORT", "l", "ALPHA"], .array(["1", "1.5", "10", "2", "3"].map { .bulk($0) }))
        expect(store, ["SORT", "l", "DESC", "LIMIT", "1", "2"], .array(["3", "2"].map { .bulk($0) }))
        expect(store, ["SORT", "l", "LIMIT", "9", "2"], .array([]))
        expect(store, ["RPUSH", "bad", "1", "x"], .integer(2))
        expect(store, ["SORT", "bad"], .err("ERR One or more scores can't be converted into double"))
        expect(store, ["SET", "s", "x"], .ok)
        expect(store, ["SORT", "s"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["SORT", "s", "LIMIT", "x", "1"], .err("ERR value is not an integer or out of range"))
        expect(store, ["SORT_RO", "l", "STORE", "d"], .err("ERR syntax error"))
    }

    @Test func byAndGetPatterns() {
        expect(store, ["RPUSH", "l", "a", "b", "c"], .integer(3))
        expect(store, ["MSET", "w_a", "3", "w_b", "1", "w_c", "2"], .ok)
        expect(store, ["HSET", "h_b", "f", "bee"], .integer(1))
        expect(store, ["SORT", "l", "BY", "w_*", "GET", "#", "GET", "h_*->f"],
               .array([.bulk("b"), .bulk("bee"), .bulk("c"), .null, .bulk("a"), .null]))
        // A pattern without `*` keeps the list's order (reversed by DESC).
        expect(store, ["SORT", "l", "BY", "nosort", "DESC"], .array(["c", "b", "a"].map { .bulk($0) }))
        expect(store, ["ZADD", "z", "2", "x", "1", "y"], .integer(2))
        expect(store, ["SORT", "z", "BY", "nosort"], .array(["y", "x"].map { .bulk($0) }))
    }

    @Test func storeReplacesOrDeletes() {
        expect(store, ["SADD", "s", "3", "1", "2"], .integer(3))
        expect(store, ["SET", "d", "old"], .ok)
        expect(store, ["EXPIRE", "d", "100"], .integer(1))
        expect(store, ["SORT", "s", "STORE", "d"], .integer(3))
        expect(store, ["LRANGE", "d", "0", "-1"], .array(["1", "2", "3"].map { .bulk($0) }))
        expect(store, ["TTL", "d"], .integer(-1))
        expect(store, ["SORT", "missing", "STORE", "d"], .integer(0))
        expect(store, ["EXISTS", "d"], .integer(0))
    }

    @Test func keysFoundByTheKeyFunction() {
        expect(store, ["COMMAND", "GETKEYS", "SORT", "a", "BY", "x", "STORE", "b", "LIMIT", "0", "1", "STORE", "c"], .array([.bulk("a"), .bulk("c")]))
        expect(store, ["COMMAND", "GETKEYS", "SORT_RO", "a", "GET", "y"], .array([.bulk("a")]))
    }

    @Test func scriptsAndTransactions() throws {
        expect(store, ["RPUSH", "l", "b", "a"], .integer(2))
        expect(store, ["MSET", "w_a", "2", "w_b", "1"], .ok)
        // A script must declare the STORE destination, which the key function finds.
        #expect(throws: StoreError.self) {
            _ = try store.eval("return redis.call('SORT', KEYS[1], 'STORE', 'undeclared')", keys: ["l"])
        }
        #expect(try store.eval("return redis.call('SORT', KEYS[1], 'BY', 'w_*')", keys: ["l"]) == .array([.bulk("b"), .bulk("a")]))
        #expect(try store.transaction(keys: ["l", "w_a", "w_b"]) { tx in try tx.sort("l", SortOptions(by: "w_*")) } == ["b", "a"])
        #expect(throws: StoreError.self) {
            try store.transaction(keys: ["l"]) { tx in try tx.sort("l", SortOptions(by: "w_*")) }
        }
    }

    @Test func typedAPI() throws {
        #expect(try store.rpush("l", ["2", "1", "3"]) == 3)
        #expect(try store.sort("l") == ["1", "2", "3"])
        #expect(try store.sortReadOnly("l", SortOptions(limit: (0, 2), descending: true)) == ["3", "2"])
        #expect(try store.sort("l", SortOptions(get: ["#", "nokey"]), store: "d") == 6)
        #expect(try store.lrange("d", 0, -1) == ["1", "", "2", "", "3", ""])
        // An empty string is 0 to strtod, so it sorts as a number; "x" is not one.
        #expect(try store.sort("d") == ["", "", "", "1", "2", "3"])
        #expect(try store.rpush("d", ["x"]) == 7)
        #expect(throws: StoreError.sortScoreNotDouble) { try store.sort("d") }
    }
}
