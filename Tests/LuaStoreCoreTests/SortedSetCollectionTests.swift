import Testing
@testable import LuaStoreCore

@Suite struct SortedSetCollectionTests {
    /// The naive model: entries sorted by (score, member).
    struct Model {
        var entries: [SortedSetEntry] = []
        func index(of m: ByteString) -> Int? { entries.firstIndex { $0.member == m } }
        mutating func set(_ m: ByteString, _ s: Double) -> Double? {
            let old = remove(m)
            let i = entries.firstIndex { !$0.precedes(score: s, member: m) } ?? entries.count
            entries.insert(SortedSetEntry(member: m, score: s), at: i)
            return old
        }
        mutating func remove(_ m: ByteString) -> Double? {
            guard let i = index(of: m) else { return nil }
            return entries.remove(at: i).score
        }
    }

    func check(_ z: SortedSetValue, _ model: Model) {
        z._checkInvariants()
        #expect(z.count == model.entries.count)
        #expect(z.entries == model.entries)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomOperationsMatchModel(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let z = SortedSetValue()
        var model = Model()
        // Seeds 1-2 stay mostly compact; 3-4 grow to thousands of members.
        let pool = seed <= 2 ? 150 : 3000
        let steps = seed <= 2 ? 3000 : 6000
        for step in 0..<steps {
            let m = ByteString.member(Int.random(in: 0..<pool, using: &rng))
            let score = Double(Int.random(in: -20...20, using: &rng)) / 2
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<55:
                #expect(z.set(m, score: score) == model.set(m, score))
            case 55..<75:
                #expect(z.remove(m) == model.remove(m))
            case 75..<80:
                #expect(z.score(of: m) == model.index(of: m).map { model.entries[$0].score })
                #expect(z.rank(of: m) == model.index(of: m))
                #expect(z.rank(of: m, reverse: true) == model.index(of: m).map { model.entries.count - 1 - $0 })
            case 80..<85:
                let a = Double(Int.random(in: -22...22, using: &rng)) / 2
                let b = Double(Int.random(in: -22...22, using: &rng)) / 2
                let r = ScoreRange(min: a, max: b, minExclusive: Bool.random(using: &rng), maxExclusive: Bool.random(using: &rng))
                let expected = model.entries.filter { r.contains($0.score) }
                #expect(z.entries(in: r) == expected)
                #expect(z.count(in: r) == expected.count)
                let off = Int.random(in: 0..<5, using: &rng)
                let lim = Int.random(in: -1..<5, using: &rng)
                let rev = Array(expected.reversed().dropFirst(off))
                #expect(z.entries(in: r, reverse: true, offset: off, limit: lim) == (lim < 0 ? rev : Array(rev.prefix(lim))))
            case 85..<88:
                let a = Double(Int.random(in: -22...22, using: &rng)) / 2
                let r = ScoreRange(min: a, max: a + Double(Int.random(in: 0...3, using: &rng)))
                let removed = z.remove(in: r)
                let before = model.entries.count
                model.entries.removeAll { r.contains($0.score) }
                #expect(removed == before - model.entries.count)
            case 88..<91:
                let start = Int.random(in: -10...10, using: &rng)
                let stop = Int.random(in: -10...10, using: &rng)
                let ranks = z.ranks(start: start, stop: stop)
                #expect(z.entries(ranks: ranks) == Array(model.entries[ranks]))
                if Bool.random(using: &rng) {
                    z.removeRanks(ranks)
                    model.entries.removeSubrange(ranks)
                }
            case 91..<94:
                let k = Int.random(in: 0...3, using: &rng)
                if Bool.random(using: &rng) {
                    #expect(z.popMin(k) == Array(model.entries.prefix(k)))
                    model.entries.removeFirst(Swift.min(k, model.entries.count))
                } else {
                    #expect(z.popMax(k) == Array(model.entries.suffix(k).reversed()))
                    model.entries.removeLast(Swift.min(k, model.entries.count))
                }
            case 94..<97:
                let k = Int.random(in: -5...5, using: &rng)
                let picked = z.randomEntries(count: k, using: &rng)
                #expect(picked.count == (k < 0 ? -k : Swift.min(k, model.entries.count)) || model.entries.isEmpty)
                #expect(picked.allSatisfy { model.entries.contains($0) })
                if k > 0 { #expect(Set(picked.map(\.member)).count == picked.count) }
            default:
                if !model.entries.isEmpty {
                    let r = Int.random(in: 0..<model.entries.count, using: &rng)
                    #expect(z.entry(atRank: r) == model.entries[r])
                    #expect(z.entry(atRank: r, reverse: true) == model.entries[model.entries.count - 1 - r])
                }
            }
            if step % 25 == 0 || z.count < 300 { check(z, model) }
        }
        check(z, model)
    }

    @Test func lexRanges() throws {
        let z = SortedSetValue()
        let members = (0..<300).map { ByteString("k\(1000 + $0 * 7)") }
        for m in members { z.set(m, score: 0) }
        let sorted = members.sorted()
        func lex(_ a: String, _ b: String) throws -> [ByteString] {
            try z.entries(in: LexRange(parsingMin: ByteString(a), max: ByteString(b))).map(\.member)
        }
        #expect(try lex("-", "+") == sorted)
        #expect(try lex("+", "-").isEmpty)
        #expect(try lex("[k1007", "(k1021") == [ByteString("k1007"), ByteString("k1014")])
        #expect(try lex("(k1007", "[k1021") == [ByteString("k1014"), ByteString("k1021")])
        #expect(try z.count(in: LexRange(parsingMin: "[k2", max: "+")) == sorted.filter { $0 >= "k2" }.count)
        #expect(try z.remove(in: LexRange(parsingMin: "-", max: "(k11")) == sorted.filter { $0 < "k11" }.count)
        z._checkInvariants()
        #expect(throws: StoreError.minMaxNotValidString) { try LexRange(parsingMin: "a", max: "+") }
        #expect(throws: StoreError.minMaxNotValidString) { try LexRange(parsingMin: "-x", max: "+") }
        #expect(throws: StoreError.minMaxNotValidString) { try LexRange(parsingMin: "-", max: "") }
        #expect(try LexRange(parsingMin: "(", max: "[").min == .exclusive(ByteString()))
    }

    @Test func scoreRangeParsing() throws {
        let r = try ScoreRange(parsingMin: "(1.5", max: "+inf")
        #expect(r == ScoreRange(min: 1.5, max: .infinity, minExclusive: true))
        #expect(try ScoreRange(parsingMin: "-inf", max: "(0x10").max == 16)
        // strtod semantics, as redis-server 7.0: "" and "(" are 0, leading spaces pass.
        #expect(try ScoreRange(parsingMin: "", max: "( 1") == ScoreRange(min: 0, max: 1, maxExclusive: true))
        for bad in ["x", "nan", "1 ", "(1x", "[1"] {
            #expect(throws: StoreError.minMaxNotFloat) { try ScoreRange(parsingMin: ByteString(bad), max: "1") }
        }
    }

    @Test func scoreFormatting() {
        let cases: [(Double, String)] = [
            (1, "1"), (1.5, "1.5"), (-0.5, "-0.5"), (.infinity, "inf"), (-.infinity, "-inf"),
            (0.1, "0.10000000000000001"), (0.3, "0.29999999999999999"),
            (123456789012345680, "1.2345678901234568e+17"), (1e300, "1.0000000000000001e+300"),
            (.leastNonzeroMagnitude, "4.9406564584124654e-324"), (1e21, "1e+21"), (-0.0, "-0"),
        ]
        for (d, s) in cases { #expect(Score.format(d) == ByteString(s)) }
    }

    @Test func negativeZeroAsRedisEncodings() {
        let small = SortedSetValue()
        small.set("a", score: -0.0)
        #expect(Score.format(small.score(of: "a")!) == "0")
        let large = SortedSetValue()
        large.set(ByteString(String(repeating: "x", count: 70)), score: -0.0)
        #expect(Score.format(large.entry(atRank: 0).score) == "-0")
    }

    @Test func convertsOnLongMemberAndOnSize() {
        let z = SortedSetValue()
        z.set("a", score: 1)
        #expect(z.isCompact)
        z.set(ByteString(String(repeating: "x", count: 65)), score: 2)
        #expect(z.encodingName == "skiplist")
        z._checkInvariants()
        let y = SortedSetValue()
        for i in 0..<128 { y.set(.member(i), score: Double(i)) }
        #expect(y.isCompact)
        y.set("extra", score: 0)
        #expect(!y.isCompact)
        #expect(y.entries(ranks: 0..<2).map(\.member) == [.member(0), "extra"])
        y._checkInvariants()
    }
}
