/// Test helpers over a seeded generator (LuaStoreCore's ``SplitMix64``) for reproducible
/// inputs: nothing goes through the standard library's `random(in:)` algorithms, which may
/// change. Written against `RandomNumberGenerator` rather than `SplitMix64` itself, which
/// is `package`: the Benchmarks package compiles this directory too (as RedisSupport) and
/// cannot name it.
extension RandomNumberGenerator {
    /// A value in `0..<bound` (`bound > 0`); the modulo bias is negligible for test bounds.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }

    /// A value in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
}
