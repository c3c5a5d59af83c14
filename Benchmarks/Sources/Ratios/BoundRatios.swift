// The memory bound's cost on writes: typed SET with the bound active and evicting on every
// write, against the same SETs on an unbounded store, in this run.
import BenchmarkSupport
import Foundation
import LuaStore

/// Prints SET throughput of a store bounded at a quarter of what the 1M keys take
/// (`allkeys-lru`, then `allkeys-tinylfu`), so that nearly every SET of the scattered walk
/// over the 1M keys inserts a key that was evicted and evicts another, against an
/// unbounded store holding all of them. Seven rounds; in each round the two sides run in
/// alternating chunks (Interleaved.swift); a ratio is the median of the rounds' ratios.
func boundRatios() {
    let n = 1_000_000, rounds = 7
    let keys = Workload.keys(n), values = Workload.values(n)
    let unbounded = LuaStore()
    for i in 0..<n { try! unbounded.set(keys[i], values[i]) }
    let bound = UInt64(unbounded.info().memory.used / 4)
    print("\nMemory bound: typed SET over 1M keys, bounded at \(bound >> 20) MB (a quarter of the keys) vs unbounded, \(rounds) paired rounds")
    print(pad("metric", 44), pad("ops/s", 12), "ratio (median of per-round ratios)")
    var unboundedRates: [Double] = []
    for policy in [EvictionPolicy.allKeysLRU, .allKeysTinyLFU] {
        let bounded = LuaStore(configuration: .init(settings: .init(maxMemory: bound, evictionPolicy: policy)))
        for i in 0..<n { try! bounded.set(keys[i], values[i]) }
        var rates: [Double] = [], ratios: [Double] = []
        for _ in 0..<rounds {
            let r = interleaved(count: n, n: n, { i in _ = try? bounded.set(keys[i], values[i]) },
                                { i in _ = try? unbounded.set(keys[i], values[i]) })
            rates.append(r.a); unboundedRates.append(r.b); ratios.append(r.a / r.b)
        }
        let evicted = bounded.info().stats.evictedKeys
        row("SET, bounded, \(policy.rawValue)", median(rates),
            String(format: "%.2fx unbounded (%d keys evicted)", median(ratios), evicted))
    }
    row("SET, unbounded (all rounds)", median(unboundedRates), "")
}
