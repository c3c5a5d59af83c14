// Script latency: while one thread runs a 2-second atomic script on key A, how another
// thread's GETs on other keys compare with the same GETs on an idle store (the goal: a p99
// within 2x). Run alone with `RATIOS_ONLY=latency`.
//
// 100k string keys (10-byte names, 22-byte values). Every GET is timed on its own with the
// monotonic clock (`nanoseconds()`, i.e. clock_gettime(CLOCK_MONOTONIC); the two clock
// reads are in both the idle and the loaded figures). The idle baseline GETs for as long as
// the script runs, so both sides have about as many samples. Under load, thread 0 evals the
// script (declaring key A, so it holds A's key lock for the whole run) and thread 1 GETs
// from the moment thread 0 is about to call eval until eval has returned: only GETs that
// overlap the script are counted. On a 2-core machine each thread has a core.
import BenchmarkSupport
import Foundation
import LuaStore
import Synchronization

/// Busy-loops for ARGV[1] microseconds of wall time (redis TIME; Lua's os.clock is process
/// CPU time, which the GET thread advances too), doing some Lua arithmetic and an INCR on
/// KEYS[1] per iteration. Returns the number of INCRs.
let busyScript: ByteString = """
    local function now()
      local t = redis.call('TIME')
      return tonumber(t[1]) * 1000000 + tonumber(t[2])
    end
    local stop = now() + tonumber(ARGV[1])
    local calls, x = 0, 0
    repeat
      for i = 1, 100 do x = x + i % 7 end
      redis.call('INCR', KEYS[1])
      calls = calls + 1
    until calls % 16 == 0 and now() >= stop
    return calls
    """

/// Signals between the script thread and the GET thread, and what the script thread saw.
private final class ScriptSignals: @unchecked Sendable {
    let started = Atomic<Bool>(false)
    let done = Atomic<Bool>(false)
    var startNanos: UInt64 = 0, endNanos: UInt64 = 0, incrs: Int64 = 0
}

/// Latencies in nanoseconds, written by one thread, read after it is joined.
private final class LatencyBuffer: @unchecked Sendable {
    let capacity: Int
    let samples: UnsafeMutablePointer<UInt32>
    var count = 0
    private var isSorted = false
    init(capacity: Int) { self.capacity = capacity; samples = .allocate(capacity: capacity) }
    deinit { samples.deallocate() }

    /// p50, p99, p99.9 and max, in nanoseconds.
    func percentiles() -> (p50: UInt32, p99: UInt32, p999: UInt32, max: UInt32) {
        var sorted = UnsafeMutableBufferPointer(start: samples, count: count)
        if !isSorted { sorted.sort(); isSorted = true }
        func at(_ q: Double) -> UInt32 { sorted[min(count - 1, Int(Double(count) * q))] }
        return (at(0.50), at(0.99), at(0.999), sorted[count - 1])
    }
}

/// GETs `keys[order[i]]` (cycling through `order`), timing each one, until `stop()` says so
/// or `buffer` is full.
private func timedGets(_ store: LuaStore, _ keys: [ByteString], _ order: [Int], into buffer: LatencyBuffer,
                       until stop: () -> Bool) {
    var i = 0
    while buffer.count < buffer.capacity, !stop() {
        let key = keys[order[i]]
        let t0 = nanoseconds()
        _ = try? store.get(key)
        let t1 = nanoseconds()
        buffer.samples[buffer.count] = UInt32(clamping: t1 - t0)
        buffer.count += 1
        i += 1
        if i == order.count { i = 0 }
    }
}

/// Prints idle and loaded GET latency percentiles, for GETs on any key but A and for GETs
/// on keys of A's shard, and the loaded p99 / idle p99 ratio.
func scriptLatencyRatios() {
    let keyCount = 100_000
    let scriptSeconds = Int(ProcessInfo.processInfo.environment["RATIOS_SCRIPT_SECONDS"] ?? "") ?? 2
    var configuration = LuaStore.Configuration()
    // The default time limit is 5 s; leave room for a longer RATIOS_SCRIPT_SECONDS.
    configuration.scripting.timeLimit = .seconds(max(10, 2 * scriptSeconds))
    let store = LuaStore(configuration: configuration)
    let keys = Workload.keys(keyCount), values = Workload.values(keyCount)
    for i in 0..<keyCount { try! store.set(keys[i], values[i]) }
    let keyA: ByteString = "script:a"
    try! store.set(keyA, "0")
    let script = try! store.scriptLoad(busyScript)

    // A key's shard: the top log2(shardCount) bits of its public `storeHash`, as
    // `Keyspace.shardIndex` computes it (the index itself is internal to LuaStore).
    let shardBits = configuration.shardCount.trailingZeroBitCount
    func shard(_ key: ByteString) -> Int { shardBits == 0 ? 0 : Int(truncatingIfNeeded: key.storeHash >> UInt64(64 - shardBits)) }
    let shardA = shard(keyA)
    let sameShard = (0..<keyCount).filter { shard(keys[$0]) == shardA }

    // Random key orders drawn before timing (1M draws, cycled).
    var rng = SystemRandomNumberGenerator()
    let anyOrder = (0..<1_000_000).map { _ in Int.random(in: 0..<keyCount, using: &rng) }
    let sameShardOrder = (0..<1_000_000).map { _ in sameShard.randomElement(using: &rng)! }
    let capacity = 16_000_000 * max(1, scriptSeconds / 2)

    func idle(_ order: [Int]) -> LatencyBuffer {
        let buffer = LatencyBuffer(capacity: capacity)
        let deadline = nanoseconds() + UInt64(scriptSeconds) * 1_000_000_000
        timedGets(store, keys, order, into: buffer) { nanoseconds() >= deadline }
        return buffer
    }

    func loaded(_ order: [Int]) -> (LatencyBuffer, ScriptSignals) {
        let buffer = LatencyBuffer(capacity: capacity)
        let signals = ScriptSignals()
        _ = timeParallel(threads: 2) { thread in
            if thread == 0 {
                signals.startNanos = nanoseconds()
                signals.started.store(true, ordering: .releasing)
                let reply = try? store.eval(script, keys: [keyA], args: [ByteString(String(scriptSeconds * 1_000_000))])
                signals.endNanos = nanoseconds()
                signals.done.store(true, ordering: .releasing)
                guard case .integer(let n)? = reply else { fatalError("script failed: \(String(describing: reply))") }
                signals.incrs = n
            } else {
                while !signals.started.load(ordering: .acquiring) {}
                timedGets(store, keys, order, into: buffer) { signals.done.load(ordering: .acquiring) }
                guard signals.done.load(ordering: .acquiring) else { fatalError("latency buffer full before the script ended") }
            }
        }
        return (buffer, signals)
    }

    // Warm-up: page in the table and the Lua state.
    _ = idle(anyOrder)
    _ = try? store.eval(script, keys: [keyA], args: ["1000"])

    let idleAny = idle(anyOrder)
    let (loadedAny, runAny) = loaded(anyOrder)
    let idleSame = idle(sameShardOrder)
    let (loadedSame, runSame) = loaded(sameShardOrder)

    print("\nScript latency: GETs on other keys while another thread runs a \(scriptSeconds) s atomic script on key A")
    print("(\(keyCount) keys, \(configuration.shardCount) shards; latency of each GET in ns, 1 GET thread)")
    print(pad("metric", 44), pad("GETs", 10), pad("p50", 7), pad("p99", 7), pad("p99.9", 8), pad("max", 10), "ratio")
    func line(_ name: String, _ buffer: LatencyBuffer, _ ratio: String = "") {
        let p = buffer.percentiles()
        print(pad(name, 44), pad(String(buffer.count), 10), pad(String(p.p50), 7), pad(String(p.p99), 7),
              pad(String(p.p999), 8), pad(String(p.max), 10), ratio)
    }
    func p99Ratio(_ loaded: LatencyBuffer, _ idle: LatencyBuffer) -> String {
        let l = loaded.percentiles().p99, i = idle.percentiles().p99
        return String(format: "p99 %.2f x idle (target at most 2)", Double(l) / Double(i))
    }
    line("idle, any key", idleAny)
    line("during the script, any key but A", loadedAny, p99Ratio(loadedAny, idleAny))
    line("idle, A's shard (\(sameShard.count) keys)", idleSame)
    line("during the script, A's shard, not A", loadedSame, p99Ratio(loadedSame, idleSame))
    for (name, run) in [("any key", runAny), ("A's shard", runSame)] {
        let seconds = String(format: "%.2f", Double(run.endNanos - run.startNanos) / 1e9)
        print("script run (\(name)): \(seconds) s, \(run.incrs) INCRs on key A")
    }
}
