// Prints the foundation issue's ratios, all measured in this one run:
//   swift run -c release ratios
// Seven rounds of 1M operations over 1M keys (10-byte names, 22-byte values), keys visited
// in a scattered order; each round measures every figure back to back, and each ratio is
// the median of the rounds' ratios. Each round also times PointerChase (a dependent walk
// over 64 MB) in one thread and two: what this machine gives two threads of one cache miss
// after another at that moment, the ceiling for the two-thread rows.
// `RATIOS_ONLY=latency` prints only the script-latency section (ScriptLatency.swift),
// `RATIOS_ONLY=zset` only the sorted-set section (SortedSetRatios.swift), `RATIOS_ONLY=lists`
// only the lists section (ListRatios.swift), `RATIOS_ONLY=keyspace` only the keyspace section
// below. `RATIOS_KEYS` and `RATIOS_SHARDS` change the keyspace section's key count (1M) and
// shard count (16).
import BenchmarkSupport
import Foundation
import LuaStore
import Synchronization

switch ProcessInfo.processInfo.environment["RATIOS_ONLY"] {
case nil, "", "keyspace": break
case "latency": scriptLatencyRatios(); exit(0)
case "zset": sortedSetRatios(); exit(0)
case "lists": listRatios(); exit(0)
case let other?:
    FileHandle.standardError.write(Data("RATIOS_ONLY=\(other): unknown section (known: keyspace, latency, zset, lists)\n".utf8))
    exit(2)
}

let n = Int(ProcessInfo.processInfo.environment["RATIOS_KEYS"] ?? "") ?? 1_000_000
let rounds = 7
let keys = Workload.keys(n)
let values = Workload.values(n)
let rawKeys = keys.map(\.bytes), rawValues = values.map(\.bytes)

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

/// Operations per second of one round of `body(i)` over `count` scattered indices.
func oneRound(count: Int = n, _ body: (Int) -> Void) -> Double {
    let start = nanoseconds()
    var i = 0
    for _ in 0..<count {
        body(i)
        i = (i &+ 7919) % n
    }
    return Double(count) / (Double(nanoseconds() - start) / 1e9)
}

// Memory per key: resident set size before and after filling a fresh store.
let heapBefore = residentBytes()
let store = LuaStore(configuration: .init(shardCount: Int(ProcessInfo.processInfo.environment["RATIOS_SHARDS"] ?? "") ?? 16))
for i in 0..<n { try! store.set(keys[i], values[i]) }
let storeBytes = residentBytes() - heapBefore
let dictionaryBefore = residentBytes()
let dictionary = DictionaryStore()
for i in 0..<n { dictionary.set(rawKeys[i], rawValues[i]) }
let dictionaryBytes = residentBytes() - dictionaryBefore
// The key and value arrays above are shared by both stores' callers, not counted.

/// Two threads, each on its own half of the keys: operations per second of one round.
func twoThreadRound(_ body: @escaping @Sendable (Int) -> Void) -> Double {
    let seconds = timeParallel(threads: 2) { t in
        var i = t
        for _ in 0..<n { body(i); i = (i &+ 7918) % n }   // even step keeps parity: disjoint halves
    }
    return Double(2 * n) / seconds
}

// This VM's speed drifts by up to 2x within minutes, so every round measures each figure
// back to back, and a ratio is the median of the rounds' ratios.
var typedGets: [Double] = [], typedSets: [Double] = [], dictGets: [Double] = [], dictSets: [Double] = []
var execGets: [Double] = [], execSets: [Double] = [], twoGets: [Double] = [], twoSets: [Double] = []
// The machine's own two-thread ceiling for one miss after another (PointerChase).
let chase = PointerChase()
var oneChase: [Double] = [], twoChases: [Double] = []
let chaseSink = Mutex(0)
// Odd rounds measure the dictionary before LuaStore, so a drift within a round does not
// always favour the same side.
for round in 0..<rounds {
    let dictionaryFirst = round % 2 == 1
    if dictionaryFirst { dictGets.append(oneRound { i in _ = dictionary.get(rawKeys[i]) }) }
    typedGets.append(oneRound { i in _ = try? store.get(keys[i]) })
    if !dictionaryFirst { dictGets.append(oneRound { i in _ = dictionary.get(rawKeys[i]) }) }
    execGets.append(oneRound { i in _ = store.execute(["GET", keys[i]]) })
    twoGets.append(twoThreadRound { i in _ = try? store.get(keys[i]) })
    if dictionaryFirst { dictSets.append(oneRound { i in dictionary.set(rawKeys[i], rawValues[i]) }) }
    typedSets.append(oneRound { i in _ = try? store.set(keys[i], values[i]) })
    if !dictionaryFirst { dictSets.append(oneRound { i in dictionary.set(rawKeys[i], rawValues[i]) }) }
    execSets.append(oneRound { i in _ = store.execute(["SET", keys[i], values[i]]) })
    twoSets.append(twoThreadRound { i in _ = try? store.set(keys[i], values[i]) })
    let chaseStart = nanoseconds()
    let stop = chase.walk(from: round, steps: n)
    oneChase.append(Double(n) / (Double(nanoseconds() - chaseStart) / 1e9))
    twoChases.append(Double(2 * n) / timeParallel(threads: 2) { t in
        let p = chase.walk(from: 1000 * (t + 1) + round, steps: n)
        chaseSink.withLock { $0 &+= p }
    })
    chaseSink.withLock { $0 &+= stop }
}
/// The median over rounds of `a[r] / b[r]`.
func pairedRatio(_ a: [Double], _ b: [Double]) -> String { x(median(zip(a, b).map { $0 / $1 }), 1) }

func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }

func row(_ name: String, _ value: Double, _ ratio: String) {
    print(pad(name, 44), pad(String(Int(value)), 12), ratio)
}
func x(_ a: Double, _ b: Double) -> String { String(Int((a / b * 100).rounded()) / 1) .withRatioPoint }

print("LuaStore keyspace, 1M keys (10-byte names, 22-byte values), \(rounds) rounds; ops/s medians, ratios medians of per-round ratios")
print(pad("metric", 44), pad("ops/s", 12), "ratio")
row("typed GET, 1 thread", median(typedGets), "\(pairedRatio(typedGets, dictGets)) x Dictionary+Mutex GET")
row("typed SET, 1 thread", median(typedSets), "\(pairedRatio(typedSets, dictSets)) x Dictionary+Mutex SET")
row("Dictionary+Mutex GET", median(dictGets), "")
row("Dictionary+Mutex SET", median(dictSets), "")
row("execute GET, 1 thread", median(execGets), "\(pairedRatio(execGets, typedGets)) x typed GET")
row("execute SET, 1 thread", median(execSets), "\(pairedRatio(execSets, typedSets)) x typed SET")
row("typed GET, 2 threads, disjoint keys", median(twoGets), "\(pairedRatio(twoGets, typedGets)) x 1 thread")
row("typed SET, 2 threads, disjoint keys", median(twoSets), "\(pairedRatio(twoSets, typedSets)) x 1 thread")
row("machine: dependent loads, 2 threads", median(twoChases), "\(pairedRatio(twoChases, oneChase)) x 1 thread (PointerChase; the ceiling)")
print("memory: LuaStore \(storeBytes / n) bytes/key (RSS delta), [[UInt8]:[UInt8]] \(dictionaryBytes / n) bytes/key")

if ProcessInfo.processInfo.environment["RATIOS_ONLY"] == "keyspace" { exit(0) }
print()
listRatios()
print()
sortedSetRatios()
print()
scriptLatencyRatios()

extension String {
    /// "123" -> "1.23"
    var withRatioPoint: String {
        let digits = Array(self)
        guard digits.count > 2 else { return "0." + String(repeating: "0", count: 2 - digits.count) + self }
        return String(digits.dropLast(2)) + "." + String(digits.suffix(2))
    }
}
