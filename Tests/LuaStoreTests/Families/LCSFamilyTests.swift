import LuaStoreCore
import Testing
@testable import LuaStore

@Suite struct LCSFamilyTests {
    let store = LuaStore()

    @Test func redisDocumentationExample() {
        expect(store, ["MSET", "key1", "ohmytext", "key2", "mynewtext"], .ok)
        expect(store, ["LCS", "key1", "key2"], .bulk("mytext"))
        expect(store, ["LCS", "key1", "key2", "LEN"], .integer(6))
        let match = { (a: Int64, b: Int64, c: Int64, d: Int64, n: Int64?) -> Reply in
            .array([.array([.integer(a), .integer(b)]), .array([.integer(c), .integer(d)])] + (n.map { [Reply.integer($0)] } ?? []))
        }
        expect(store, ["LCS", "key1", "key2", "IDX"],
               .array([.bulk("matches"), .array([match(4, 7, 5, 8, nil), match(2, 3, 0, 1, nil)]), .bulk("len"), .integer(6)]))
        expect(store, ["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"],
               .array([.bulk("matches"), .array([match(4, 7, 5, 8, 4)]), .bulk("len"), .integer(6)]))
    }

    @Test func errorsInRedisOrder() {
        expect(store, ["RPUSH", "l", "x"], .integer(1))
        // The type check comes before the options.
        expect(store, ["LCS", "l", "x", "BOGUS"], .err("ERR The specified keys must contain string values"))
        expect(store, ["LCS", "a", "b", "BOGUS"], .err("ERR syntax error"))
        expect(store, ["LCS", "a", "b", "LEN", "IDX"], .err("ERR If you want both the length and indexes, please just use IDX."))
        expect(store, ["LCS", "a", "b", "MINMATCHLEN", "x"], .err("ERR value is not an integer or out of range"))
        expect(store, ["SET", "a", String(repeating: "a", count: 12_000)], .ok)
        expect(store, ["SET", "b", String(repeating: "b", count: 12_000)], .ok)
        expect(store, ["LCS", "a", "b"], .err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"))
    }

    @Test func typedAPI() throws {
        try store.set("a", "ohmytext")
        try store.set("b", "mynewtext")
        #expect(try store.lcs("a", "b") == "mytext")
        #expect(try store.lcsLength("a", "missing") == 0)
        let idx = try store.lcsMatches("a", "b", minimumMatchLength: 3)
        #expect(idx == LCSMatches(matches: [LCSMatch(first: 4...7, second: 5...8)], length: 6))
        #expect(idx.matches[0].length == 4)
    }
}
