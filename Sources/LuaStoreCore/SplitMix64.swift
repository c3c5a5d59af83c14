/// A tiny, fast, seedable pseudo-random generator (Steele, Lea & Flood's SplitMix64). The
/// same seed gives the same sequence on every run, platform and Swift version: what
/// property tests, differential tests and the benchmark's per-thread draws need. Not for
/// anything that must be unpredictable.
///
/// # Thread safety
/// A value type with mutating methods: each user owns its own copy.
@usableFromInline package struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline package private(set) var state: UInt64

    @usableFromInline package init(seed: UInt64) { state = seed }

    @usableFromInline package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
