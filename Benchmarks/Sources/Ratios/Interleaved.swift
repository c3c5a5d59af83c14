import BenchmarkSupport
import Foundation

// A VM's speed can change by up to 2x within a second or two (a host's other tenants, the
// second vCPU's steal time). Two figures timed one after the other, 0.3 s each, can land
// in different phases: per-round ratios of the same code then range from 1.4 to 3.8 in
// one run (Docs/Benchmarks.md, "How `ratios` pairs its figures"). So the keyspace section
// times the two sides of a ratio in alternating chunks of `chunk` operations (ABBA
// order), each side's time summed over its chunks: a phase then falls on both sides alike.

/// Operations per chunk: 100k, or `RATIOS_CHUNK`.
let defaultChunk = Int(ProcessInfo.processInfo.environment["RATIOS_CHUNK"] ?? "") ?? 100_000

/// The scattered order both sides walk: `i -> (i + 7919) % n` visits every index.
private let step = 7919

/// Runs `a(c)` and `b(c)` (each runs `c` operations and returns the seconds it took) in
/// alternating chunks until each has run `count` operations: ABBA order, chunks of
/// `chunk`. Returns each side's summed seconds.
func alternating(
    count: Int, chunk: Int = defaultChunk, _ a: (Int) -> Double, _ b: (Int) -> Double
) -> (a: Double, b: Double) {
    var ta = 0.0, tb = 0.0
    var done = 0, pair = 0
    while done < count {
        let c = min(chunk, count - done)
        if pair % 2 == 0 {
            ta += a(c); tb += b(c)
        } else {
            tb += b(c); ta += a(c)
        }
        done += c
        pair += 1
    }
    return (ta, tb)
}

/// Seconds `body` takes to run `c` times.
func seconds(_ c: Int, _ body: () -> Void) -> Double {
    let start = nanoseconds()
    for _ in 0..<c { body() }
    return Double(nanoseconds() - start) / 1e9
}

/// Operations per second of `a` and of `b`, each run `count` times over indices of
/// `0..<n` in a scattered order, timed in alternating chunks.
func interleaved(count: Int, n: Int, _ a: (Int) -> Void, _ b: (Int) -> Void) -> (a: Double, b: Double) {
    var ia = 0, ib = 0
    let (ta, tb) = alternating(count: count, { c in
        seconds(c) { a(ia); ia = (ia &+ step) % n }
    }, { c in
        seconds(c) { b(ib); ib = (ib &+ step) % n }
    })
    return (Double(count) / ta, Double(count) / tb)
}

/// Operations per second of `body` on two threads (each `count` times, on its own half
/// of `0..<n`: thread `t` visits the indices of parity `t`) and on one thread (`count`
/// times over all of `0..<n`), timed in alternating chunks.
func interleavedThreads(count: Int, n: Int, _ body: @escaping @Sendable (Int) -> Void) -> (two: Double, one: Double) {
    // Each thread's position, kept across chunks; a thread writes only its own, and the
    // join orders its writes before the next chunk's reads.
    let positions = UnsafeMutablePointer<Int>.allocate(capacity: 2)
    defer { positions.deallocate() }
    positions.initialize(from: [0, 1], count: 2)
    nonisolated(unsafe) let shared = positions
    var one = 0
    let (two, single) = alternating(count: count, { c in
        timeParallel(threads: 2) { t in
            var i = shared[t]
            for _ in 0..<c { body(i); i = (i &+ step &- 1) % n }   // an even step keeps the parity
            shared[t] = i
        }
    }, { c in
        seconds(c) { body(one); one = (one &+ step) % n }
    })
    return (Double(2 * count) / two, Double(count) / single)
}
