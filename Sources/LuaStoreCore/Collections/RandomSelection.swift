/// The positions that SRANDMEMBER, HRANDFIELD and ZRANDMEMBER pick, shared so the three
/// agree on Redis's count rules.
enum RandomSelection {
    /// For `count >= 0`: `min(count, n)` distinct positions of `0..<n` (all of them, in
    /// order, when `count >= n`). For `count < 0`: `-count` positions drawn with repetition.
    /// - Complexity: O(|count|) expected, O(n) when most positions are taken.
    static func positions(count: Int, in n: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
        if n == 0 || count == 0 { return [] }
        if count < 0 {
            let k = count == Int.min ? Int.max : -count
            return (0..<k).map { _ in Int.random(in: 0..<n, using: &rng) }
        }
        if count >= n { return Array(0..<n) }
        if count * 3 > n {
            // Most positions are wanted: a partial Fisher-Yates shuffle is cheaper than
            // rejecting repeats.
            var all = Array(0..<n)
            for i in 0..<count { all.swapAt(i, Int.random(in: i..<n, using: &rng)) }
            return Array(all.prefix(count))
        }
        var picked = Set<Int>(minimumCapacity: count)
        var out: [Int] = []
        out.reserveCapacity(count)
        while out.count < count {
            let p = Int.random(in: 0..<n, using: &rng)
            if picked.insert(p).inserted { out.append(p) }
        }
        return out
    }
}
