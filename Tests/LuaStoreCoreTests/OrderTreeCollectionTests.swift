import Testing
@testable import LuaStoreCore

@Suite struct OrderTreeCollectionTests {
    /// Deep enough (three levels) that internal nodes split, borrow and merge too.
    @Test func deepTreeMatchesSortedArray() {
        var rng = SeededGenerator(seed: 7)
        var tree = OrderTree()
        var model: [UInt32] = []
        func check() {
            tree._checkInvariants(prefixOf: { Float($0 / 4) }) { $0 < $1 }
            #expect(tree.count == model.count)
        }
        for step in 0..<40_000 {
            let k = UInt32.random(in: 0..<1_000_000, using: &rng)
            let r = tree.count { $0 < k }
            var lo = 0
            var hi = model.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if model[mid] < k { lo = mid + 1 } else { hi = mid }
            }
            let expected = lo
            #expect(r == expected)
            // Prefixes k / 4 tie in runs of four, so the predicate settles the ties.
            #expect(tree.count(below: Float(k / 4)) { $0 < k } == expected)
            if r < model.count && model[r] == k { continue }
            if step % 2 == 0 {
                tree.insert(k, prefix: Float(k / 4), at: r)
            } else {
                tree.insert(k, prefix: Float(k / 4)) { $0 < k }
            }
            model.insert(k, at: r)
            if step % 4000 == 0 { check() }
        }
        check()
        var visited: [UInt32] = []
        tree.forEach(ranks: 100..<9_000, reverse: true) { visited.append($0) }
        #expect(visited == Array(model[100..<9_000].reversed()))
        // Random windows, inside one leaf and across many, both directions: the walk
        // descends once per leaf and must neither skip nor repeat a key at leaf edges.
        for _ in 0..<300 {
            let a = Int.random(in: 0...model.count, using: &rng)
            let b = Swift.min(model.count, a + Int.random(in: 0...(Bool.random(using: &rng) ? 12 : 2_000), using: &rng))
            var forward: [UInt32] = []
            tree.forEach(ranks: a..<b) { forward.append($0) }
            #expect(forward == Array(model[a..<b]))
            var backward: [UInt32] = []
            tree.forEach(ranks: a..<b, reverse: true) { backward.append($0) }
            #expect(backward == Array(model[a..<b].reversed()))
        }
        for step in 0..<39_000 {
            let r = Int.random(in: 0..<model.count, using: &rng)
            if step % 2 == 0 {
                #expect(tree.remove(at: r) == model.remove(at: r))
            } else {
                let k = model.remove(at: r)
                #expect(tree.remove(prefix: Float(k / 4)) { $0 <= k } == k)
            }
            if step % 3000 == 0 { check() }
        }
        check()
        for r in stride(from: 0, to: model.count, by: 37) { #expect(tree.key(at: r) == model[r]) }
    }
}
