/// A dependent chain of multiply-adds on registers, with no memory traffic: the machine's
/// own figure for "instructions only", the ceiling for the two-thread rows' instruction
/// part as ``PointerChase`` is for their cache misses.
///
/// On this 2-vCPU VM two threads of it ran 1.54 to 1.77x one thread (a C version gave the
/// same): the second vCPU is not a whole idle core (the host's other tenants, or clock
/// boost that one busy core gets and two do not). `ratios` measures it in every round.
///
/// # Thread safety
/// Thread-safe: a pure function.
public enum ComputeChain {
    /// Runs `steps` dependent steps from `seed`; returns the result, so the chain is kept.
    @inline(never)
    public static func run(seed: UInt64, steps: Int) -> UInt64 {
        var x = seed | 1, y: UInt64 = 3, z: UInt64 = 5
        for _ in 0..<steps {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            y ^= x >> 7
            z &+= y &* x
        }
        return x &+ y &+ z
    }
}
