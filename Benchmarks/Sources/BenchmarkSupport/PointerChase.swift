import LuaStore

/// A dependent random walk over 64 MB, one cache line per step: the machine's own figure
/// for "one cache miss after another", with no store code at all.
///
/// The keyspace figures at 1M keys are one miss per operation (Docs/Benchmarks.md), so two
/// threads of them scale no better than two threads of this walk. `ratios` measures both
/// in each round, so a two-thread ratio can be read against what the machine gives two
/// independent threads at that moment (a VM's second core is shared with its host).
///
/// # Thread safety
/// Thread-safe after `init`: walks only read.
public final class PointerChase: @unchecked Sendable {
    private let words: UnsafeMutablePointer<Int>
    private let lines: Int

    /// A random cycle through `megabytes` of 64-byte lines.
    public init(megabytes: Int = 64) {
        lines = megabytes << 20 / 64
        words = .allocate(capacity: lines * 8)
        words.initialize(repeating: 0, count: lines * 8)
        var order = Array(0..<lines)
        var rng = LinearCongruential(state: 42)
        order.shuffle(using: &rng)
        for i in 0..<lines { words[order[i] * 8] = order[(i + 1) % lines] }
    }

    deinit { words.deallocate() }

    /// Walks `steps` lines from line `start`; returns where it stopped (so the walk is kept).
    public func walk(from start: Int, steps: Int) -> Int {
        var p = start % lines
        for _ in 0..<steps { p = words[p * 8] }
        return p
    }
}

/// Knuth's MMIX linear congruential generator: a fixed seed gives the same cycle on every
/// run, which is all the shuffle above needs.
private struct LinearCongruential: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}
