/// Register-only arithmetic, no memory traffic: the machine's own figure for
/// "instructions only", the ceiling for the two-thread rows' instruction part as
/// ``PointerChase`` is for their cache misses.
///
/// Eight independent lanes of multiply-add and shift-xor, so a core runs several at once,
/// as it runs a GET's instructions: a single dependent chain leaves most of a core idle,
/// and two of them on two hyperthreads of one host core would not compete. On the 2-vCPU
/// VM that Docs/Benchmarks.md's figures come from, one thread of the eight lanes can run
/// up to 37% faster in some seconds than in others, while two threads never do, so two
/// threads then make only about 1.5x one (a C version behaves the same): the second vCPU
/// is not a whole idle core all the time. `ratios` measures it in every round.
///
/// # Thread safety
/// Thread-safe: a pure function.
public enum ComputeChain {
    /// Runs `steps` steps of the eight lanes from `seed`; returns their sum, so the work is kept.
    @inline(never)
    public static func run(seed: UInt64, steps: Int) -> UInt64 {
        var a = seed, b = seed &+ 1, c = seed &+ 2, d = seed &+ 3
        var e = seed &+ 4, f = seed &+ 5, g = seed &+ 6, h = seed &+ 7
        for _ in 0..<steps {
            a = a &* 3 &+ 1; b = b &* 5 &+ 3; c = c &* 7 &+ 5; d = d &* 9 &+ 7
            e ^= e >> 3; f &+= f << 1; g = g &* 11 &+ 9; h ^= h << 5
        }
        return a &+ b &+ c &+ d &+ e &+ f &+ g &+ h
    }
}
