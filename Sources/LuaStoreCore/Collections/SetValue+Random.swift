/// SRANDMEMBER and SPOP: a random position of the dense member array, O(1).
extension SetValue {
    /// One random member (SRANDMEMBER without a count), or nil if empty.
    /// - Complexity: O(1)
    @usableFromInline package func randomMember(using rng: inout some RandomNumberGenerator) -> ByteString? {
        isEmpty ? nil : member(at: Int.random(in: 0..<count, using: &rng))
    }

    /// SRANDMEMBER with a count: `count >= 0` gives up to `count` distinct members (the whole
    /// set when `count >= self.count`); `count < 0` gives `-count` members with repetition.
    /// The caller bounds `-count`.
    /// - Complexity: O(|count|) expected.
    @usableFromInline package func randomMembers(count: Int, using rng: inout some RandomNumberGenerator) -> [ByteString] {
        RandomSelection.positions(count: count, in: self.count, using: &rng).map { member(at: $0) }
    }

    /// SPOP without a count: removes and returns one random member, or nil if empty.
    /// - Complexity: O(1) expected (hashtable), O(n) otherwise.
    @usableFromInline package func popRandom(using rng: inout some RandomNumberGenerator) -> ByteString? {
        guard !isEmpty else { return nil }
        let p = Int.random(in: 0..<count, using: &rng)
        let m = member(at: p)
        remove(at: p)
        return m
    }

    /// SPOP with a count: removes and returns up to `count` distinct random members.
    /// - Complexity: O(k) expected (hashtable).
    @usableFromInline package func popRandom(count: Int, using rng: inout some RandomNumberGenerator) -> [ByteString] {
        if count >= self.count {
            let all = allMembers
            removeAll()
            return all
        }
        return (0..<Swift.max(count, 0)).compactMap { _ in popRandom(using: &rng) }
    }
}
