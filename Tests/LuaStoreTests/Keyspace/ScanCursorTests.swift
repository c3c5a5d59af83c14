import LuaStoreCore
import Testing
@testable import LuaStore
import TestSupport

/// SSCAN, HSCAN and ZSCAN as real cursor iterations: small encodings whole with cursor 0,
/// large ones paged in O(COUNT) with SCAN's guarantee under concurrent changes.
@Suite struct ScanCursorTests {
    let store = LuaStore()

    func exec(_ argv: [String]) { _ = store.execute(argv) }

    /// How each collection type is written and scanned.
    struct Family: CustomTestStringConvertible, Sendable {
        var name: String
        var scan: String
        /// Replies come as element/value pairs.
        var pairs: Bool
        var add: @Sendable (_ key: String, _ members: [String]) -> [String]
        var remove: @Sendable (_ key: String, _ members: [String]) -> [String]

        var testDescription: String { scan }

        static let set = Family(name: "set", scan: "SSCAN", pairs: false,
                                add: { ["SADD", $0] + $1 }, remove: { ["SREM", $0] + $1 })
        static let hash = Family(name: "hash", scan: "HSCAN", pairs: true,
                                 add: { k, m in ["HSET", k] + m.flatMap { [$0, "v-" + $0] } },
                                 remove: { ["HDEL", $0] + $1 })
        static let sortedSet = Family(name: "zset", scan: "ZSCAN", pairs: true,
                                      add: { k, m in ["ZADD", k] + m.flatMap { [String($0.count), $0] } },
                                      remove: { ["ZREM", $0] + $1 })
        static let all: [Family] = [.set, .hash, .sortedSet]
    }

    /// One SSCAN/HSCAN/ZSCAN call: the next cursor and the elements (first of each pair).
    func page(_ family: Family, _ key: String, cursor: String, _ options: [String] = [],
              sourceLocation: SourceLocation = #_sourceLocation) -> (cursor: String, elements: [String], items: [Reply]) {
        let reply = store.execute([family.scan, key, cursor] + options)
        guard case .array(let parts) = reply, parts.count == 2, let next = parts[0].stringValue,
              case .array(let items) = parts[1] else {
            Issue.record("unexpected reply \(reply)", sourceLocation: sourceLocation)
            return ("0", [], [])
        }
        let elements = family.pairs
            ? stride(from: 0, to: items.count, by: 2).compactMap { items[$0].stringValue }
            : items.compactMap(\.stringValue)
        return (next, elements, items)
    }

    @Test(arguments: Family.all)
    func fullIterationOfTenThousandIsPagedAndComplete(_ family: Family) {
        let members = (0..<10_000).map { "member:\($0)" }
        for chunk in stride(from: 0, to: members.count, by: 1000) {
            exec(family.add("k", Array(members[chunk..<(chunk + 1000)])))
        }
        var seen = Set<String>()
        var cursor = "0"
        var calls = 0
        var largest = 0
        repeat {
            let p = page(family, "k", cursor: cursor, ["COUNT", "10"])
            seen.formUnion(p.elements)
            largest = max(largest, p.elements.count)
            cursor = p.cursor
            calls += 1
        } while cursor != "0" && calls < 100_000
        #expect(cursor == "0")
        #expect(seen == Set(members))
        // Bounded work: a page is COUNT plus the rest of its last bucket.
        #expect(largest <= 30, "largest page \(largest)")
        #expect(calls >= 10_000 / 30, "\(calls) calls")
    }

    @Test(arguments: Family.all)
    func membersPresentThroughoutAreReturnedDespiteChurn(_ family: Family) {
        for seed: UInt64 in [1, 2, 3, 42] {
            checkGuarantee(family, seed: seed)
        }
    }

    /// 1,000 stable members among 2,000 volatile ones; between calls, random adds and
    /// removes (which swap the last member into the hole), a bulk add that grows the index
    /// and a bulk removal that shrinks it.
    func checkGuarantee(_ family: Family, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let key = "churn:\(seed)"
        let stable = (0..<1000).map { "s\($0)" }
        var volatile = (0..<2000).map { "v\($0)" }
        var everPresent = Set(stable).union(volatile)
        var next = volatile.count
        var initial = stable + volatile
        initial.shuffle(using: &rng)
        exec(family.add(key, initial))

        func addVolatile(_ n: Int) {
            let fresh = (0..<n).map { "v\(next + $0)" }
            next += n
            volatile += fresh
            everPresent.formUnion(fresh)
            exec(family.add(key, fresh))
        }
        func removeVolatile(_ n: Int) {
            var gone: [String] = []
            for _ in 0..<min(n, volatile.count) {
                let i = rng.below(volatile.count)
                gone.append(volatile[i])
                volatile.swapAt(i, volatile.count - 1)
                volatile.removeLast()
            }
            if !gone.isEmpty { exec(family.remove(key, gone)) }
        }

        var seen = Set<String>()
        var cursor = "0"
        var calls = 0
        repeat {
            let p = page(family, key, cursor: cursor, ["COUNT", String(rng.int(1...20))])
            seen.formUnion(p.elements)
            cursor = p.cursor
            calls += 1
            switch calls {
            case 30: addVolatile(6000)
            case 90: removeVolatile(volatile.count)
            case 150: addVolatile(3000)
            default:
                for _ in 0..<rng.int(0...4) {
                    if rng.chance(50) { addVolatile(1) } else { removeVolatile(1) }
                }
            }
        } while cursor != "0" && calls < 100_000
        #expect(cursor == "0")
        let missed = Set(stable).subtracting(seen)
        #expect(missed.isEmpty, "\(family.scan) seed \(seed): missed \(missed.count) stable members")
        #expect(seen.isSubset(of: everPresent), "\(family.scan) seed \(seed): returned a member never added")
    }

    @Test(arguments: Family.all)
    func smallCollectionsComeBackWholeWithCursorZero(_ family: Family) {
        let members = (0..<100).map { "m\($0)" }
        exec(family.add("small", members))
        for cursor in ["0", "12345", "18446744073709551615"] {
            let p = page(family, "small", cursor: cursor, ["COUNT", "1"])
            #expect(p.cursor == "0")
            #expect(Set(p.elements) == Set(members) && p.elements.count == members.count)
        }
    }

    @Test func intsetComesBackWholeInOrder() {
        exec(["SADD", "ints"] + (0..<500).map { String(499 - $0) })
        let p = page(.set, "ints", cursor: "0", ["COUNT", "1"])
        #expect(p.cursor == "0")
        #expect(p.elements == (0..<500).map { String($0) })
    }

    @Test(arguments: Family.all)
    func matchFiltersAfterFetching(_ family: Family) {
        exec(family.add("k", (0..<1000).map { "m\($0)" }))
        let none = page(family, "k", cursor: "0", ["MATCH", "nomatch", "COUNT", "10"])
        #expect(none.cursor != "0")
        #expect(none.elements.isEmpty)
        var seen = Set<String>()
        var cursor = "0"
        repeat {
            let p = page(family, "k", cursor: cursor, ["MATCH", "m1?", "COUNT", "7"])
            seen.formUnion(p.elements)
            cursor = p.cursor
        } while cursor != "0"
        #expect(seen == Set((10..<20).map { "m\($0)" }))
        expect(store, [family.scan, "k", "0", "COUNT", "0"], .err("ERR syntax error"))
        expect(store, [family.scan, "k", "0", "NOVALUES"], .err("ERR syntax error"))
        expect(store, [family.scan, "k", "x"], .err("ERR invalid cursor"))
        expect(store, [family.scan, "k", "18446744073709551616"], .err("ERR invalid cursor"))
    }

    @Test func largePagesPairValuesAndScores() {
        exec(["HSET", "h"] + (0..<300).flatMap { ["f\($0)", "value \($0)"] })
        exec(["ZADD", "z"] + (0..<300).flatMap { [String(Double($0) / 3), "m\($0)"] })
        var cursor = "0"
        var fields = 0
        repeat {
            let p = page(.hash, "h", cursor: cursor)
            for i in stride(from: 0, to: p.items.count, by: 2) {
                #expect(p.items[i + 1] == run(store, "HGET", "h", p.items[i].stringValue ?? ""))
                fields += 1
            }
            cursor = p.cursor
        } while cursor != "0"
        #expect(fields >= 300)
        cursor = "0"
        repeat {
            let p = page(.sortedSet, "z", cursor: cursor)
            for i in stride(from: 0, to: p.items.count, by: 2) {
                #expect(p.items[i + 1] == run(store, "ZSCORE", "z", p.items[i].stringValue ?? ""))
            }
            cursor = p.cursor
        } while cursor != "0"
    }

    @Test func typedCursorAPI() throws {
        let members = (0..<2000).map { ByteString("m\($0)") }
        try store.sadd("s", members)
        try store.hset("h", members.map { (field: $0, value: $0) })
        try store.zadd("z", members.enumerated().map { (score: Double($0.offset), member: $0.element) })

        var seen = Set<ByteString>()
        var cursor: UInt64 = 0
        var calls = 0
        repeat {
            let page = try store.sscan("s", cursor: cursor, count: 50)
            #expect(page.elements.count <= 100)
            seen.formUnion(page.elements)
            cursor = page.cursor
            calls += 1
        } while cursor != 0
        #expect(seen == Set(members) && calls > 1)

        seen = []
        repeat {
            let page = try store.hscan("h", cursor: cursor, match: "m1*")
            #expect(page.elements.allSatisfy { $0.field == $0.value })
            seen.formUnion(page.elements.map(\.field))
            cursor = page.cursor
        } while cursor != 0
        #expect(seen == Set(members.filter { $0.string.hasPrefix("m1") }))

        var scores: [ByteString: Double] = [:]
        repeat {
            let page = try store.zscan("z", cursor: cursor, count: 100)
            for e in page.elements { scores[e.member] = e.score }
            cursor = page.cursor
        } while cursor != 0
        #expect(scores.count == 2000 && scores["m7"] == 7)

        let missing = try store.sscan("missing", cursor: 0)
        #expect(missing.cursor == 0 && missing.elements.isEmpty && missing.isComplete)
        #expect(try store.sscan("s", match: "*").count == 2000)
        #expect(try store.hscan("h").count == 2000)
        #expect(try store.zscan("z", match: "m199?").map(\.score) == (1990..<2000).map(Double.init))
        try store.set("str", "v")
        #expect(throws: StoreError.wrongType) { _ = try store.zscan("str", cursor: 0) }
    }
}
