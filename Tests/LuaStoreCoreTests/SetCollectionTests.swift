import Testing
@testable import LuaStoreCore

@Suite struct SetCollectionTests {
    func check(_ s: SetValue, _ model: Set<ByteString>) {
        s._checkInvariants()
        #expect(s.count == model.count)
        #expect(Set(s.allMembers) == model)
    }

    /// Seed 1 draws integers only (intset up to 512, then hashtable); seed 2 mixes in
    /// strings early (listpack, then hashtable); seed 3 grows a large mixed set.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomOperationsMatchModel(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let s = SetValue()
        var model = Set<ByteString>()
        let pool = seed == 3 ? 4000 : 700
        for step in 0..<5000 {
            let i = Int.random(in: 0..<pool, using: &rng)
            let m: ByteString = seed == 1 || i % 3 != 0 ? ByteString(Int64(i) - 100) : .member(i)
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<55:
                #expect(s.add(m) == model.insert(m).inserted)
            case 55..<75:
                #expect(s.remove(m) == (model.remove(m) != nil))
            case 75..<85:
                #expect(s.contains(m) == model.contains(m))
                #expect(!s.contains("007"))
            case 85..<90:
                let k = Int.random(in: -6...6, using: &rng)
                let picked = s.randomMembers(count: k, using: &rng)
                #expect(picked.allSatisfy(model.contains))
                #expect(picked.count == (k < 0 ? (model.isEmpty ? 0 : -k) : Swift.min(k, model.count)))
                if k > 0 { #expect(Set(picked).count == picked.count) }
            case 90..<95:
                let k = Int.random(in: 0...3, using: &rng)
                let popped = s.popRandom(count: k, using: &rng)
                #expect(popped.count == Swift.min(k, model.count) && Set(popped).count == popped.count)
                for p in popped { #expect(model.remove(p) != nil) }
            default:
                if let p = s.popRandom(using: &rng) { #expect(model.remove(p) != nil) } else { #expect(model.isEmpty) }
            }
            if step % 25 == 0 || s.count < 200 { check(s, model) }
        }
        check(s, model)
    }

    @Test func encodingTransitions() {
        let s = SetValue()
        for i in 0..<512 { s.add(ByteString(Int64(i))) }
        #expect(s.encoding == .intset)
        #expect(s.allMembers.prefix(3) == ["0", "1", "2"])
        s.add("512")
        #expect(s.encoding == .hashtable)

        let t = SetValue()
        t.add("5")
        t.add("-1")
        #expect(t.allMembers == ["-1", "5"])
        t.add("01")
        #expect(t.encoding == .listpack)
        #expect(t.contains("01") && !t.contains("1") && t.contains("5"))
        t.add(ByteString(String(repeating: "y", count: 65)))
        #expect(t.encoding == .hashtable)
        t._checkInvariants()

        let u = SetValue()
        for i in 0..<200 { u.add(ByteString(Int64(i))) }
        u.add("x")
        #expect(u.encoding == .hashtable)
        u._checkInvariants()
    }
}
