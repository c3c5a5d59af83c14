// Prints LuaStore's ratios (Docs/Benchmarks.md), all measured in this one run: the keyspace
// section below, then lists, sorted sets, streams and script latency:
//   swift run -c release ratios
// Seven rounds (`RATIOS_ROUNDS`) of 1M operations over 1M keys (10-byte names, 22-byte
// values), keys visited in a scattered order. In each round, the two sides of a ratio are
// timed in alternating chunks of 100k operations (Interleaved.swift), and each ratio is
// the median of the rounds' ratios (`RATIOS_VERBOSE=1` prints them). Each round also times
// PointerChase (a dependent walk over 64 MB) and ComputeChain (register arithmetic) in one
// thread and two: what this machine gives two threads of cache misses, and of
// instructions, at that moment: the ceilings for the two-thread rows.
// `RATIOS_ONLY=latency` prints only the script-latency section (ScriptLatency.swift),
// `RATIOS_ONLY=zset` only the sorted-set section (SortedSetRatios.swift), `RATIOS_ONLY=lists`
// only the lists section (ListRatios.swift), `RATIOS_ONLY=streams` only the streams section
// (StreamRatios.swift), `RATIOS_ONLY=autoasync` only auto-async against
// synchronous scripts (AutoAsyncRatios.swift, not part of the default run),
// `RATIOS_ONLY=asyncstall` only the async view against the sync API from tasks while a
// script holds a key (AsyncStall.swift, not part of the default run), `RATIOS_ONLY=bound`
// only SET with the memory bound evicting against unbounded (BoundRatios.swift, not part of
// the default run), `RATIOS_ONLY=keyspace`
// only the keyspace section below. `RATIOS_KEYS` and `RATIOS_SHARDS` change the keyspace section's key count (1M) and
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
case "streams": streamRatios(); exit(0)
case "autoasync": autoAsyncRatios(); exit(0)
case "asyncstall": asyncStallRatios(); exit(0)
case "bound": boundRatios(); exit(0)
case let other?:
    FileHandle.standardError.write(Data("RATIOS_ONLY=\(other): unknown section (known: keyspace, latency, zset, lists, streams, autoasync, asyncstall, bound)\n".utf8))
    exit(2)
}

let n = Int(ProcessInfo.processInfo.environment["RATIOS_KEYS"] ?? "") ?? 1_000_000
let rounds = Int(ProcessInfo.processInfo.environment["RATIOS_ROUNDS"] ?? "") ?? 7
let keys = Workload.keys(n)
let values = Workload.values(n)
let rawKeys = keys.map(\.bytes), rawValues = values.map(\.bytes)

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

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

// Every ratio pairs two figures timed in alternating chunks of one round (Interleaved.swift),
// and is the median over rounds of that round's ratio. The typed figures are timed once
// per pairing, so each ratio's two sides share their chunks' moments.
var typedGets: [Double] = [], typedSets: [Double] = [], dictGets: [Double] = [], dictSets: [Double] = []
var execGets: [Double] = [], execSets: [Double] = [], twoGets: [Double] = [], twoSets: [Double] = []
var typedGetsVsExec: [Double] = [], typedSetsVsExec: [Double] = [], oneGets: [Double] = [], oneSets: [Double] = []
// The machine's own two-thread ceiling for one miss after another (PointerChase).
let chase = PointerChase()
var oneChase: [Double] = [], twoChases: [Double] = []
// And for instructions alone (ComputeChain).
var oneCompute: [Double] = [], twoComputes: [Double] = []
let chaseSink = Mutex(0)
for round in 0..<rounds {
    var r = interleaved(count: n, n: n, { i in _ = try? store.get(keys[i]) }, { i in _ = dictionary.get(rawKeys[i]) })
    typedGets.append(r.a); dictGets.append(r.b)
    r = interleaved(count: n, n: n, { i in _ = store.execute(["GET", keys[i]]) }, { i in _ = try? store.get(keys[i]) })
    execGets.append(r.a); typedGetsVsExec.append(r.b)
    var t = interleavedThreads(count: n, n: n) { i in _ = try? store.get(keys[i]) }
    twoGets.append(t.two); oneGets.append(t.one)
    r = interleaved(count: n, n: n, { i in _ = try? store.set(keys[i], values[i]) }, { i in dictionary.set(rawKeys[i], rawValues[i]) })
    typedSets.append(r.a); dictSets.append(r.b)
    r = interleaved(count: n, n: n, { i in _ = store.execute(["SET", keys[i], values[i]]) }, { i in _ = try? store.set(keys[i], values[i]) })
    execSets.append(r.a); typedSetsVsExec.append(r.b)
    t = interleavedThreads(count: n, n: n) { i in _ = try? store.set(keys[i], values[i]) }
    twoSets.append(t.two); oneSets.append(t.one)
    var position = round
    let (two, one) = alternating(count: n, { c in
        let seed = position
        return timeParallel(threads: 2) { t in
            let p = chase.walk(from: 1000 * (t + 1) + seed, steps: c)
            chaseSink.withLock { $0 &+= p }
        }
    }, { c in
        seconds(1) { position = chase.walk(from: position, steps: c) }
    })
    twoChases.append(Double(2 * n) / two); oneChase.append(Double(n) / one)
    chaseSink.withLock { $0 &+= position }
    // 40 steps of the eight lanes (~320 instructions) stand for one operation.
    let (twoC, oneC) = alternating(count: n, { c in
        timeParallel(threads: 2) { t in
            let v = ComputeChain.run(seed: UInt64(t + round), steps: 40 * c)
            chaseSink.withLock { $0 &+= Int(truncatingIfNeeded: v) }
        }
    }, { c in
        seconds(1) { chaseSink.withLock { $0 &+= Int(truncatingIfNeeded: ComputeChain.run(seed: UInt64(round), steps: 40 * c)) } }
    })
    twoComputes.append(Double(2 * n) / twoC); oneCompute.append(Double(n) / oneC)
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
row("execute GET, 1 thread", median(execGets), "\(pairedRatio(execGets, typedGetsVsExec)) x typed GET")
row("execute SET, 1 thread", median(execSets), "\(pairedRatio(execSets, typedSetsVsExec)) x typed SET")
row("typed GET, 2 threads, disjoint keys", median(twoGets), "\(pairedRatio(twoGets, oneGets)) x 1 thread")
row("typed SET, 2 threads, disjoint keys", median(twoSets), "\(pairedRatio(twoSets, oneSets)) x 1 thread")
row("machine: dependent loads, 2 threads", median(twoChases), "\(pairedRatio(twoChases, oneChase)) x 1 thread (PointerChase; the ceiling for misses)")
row("machine: arithmetic, 2 threads", median(twoComputes), "\(pairedRatio(twoComputes, oneCompute)) x 1 thread (ComputeChain; the ceiling for instructions)")
if ProcessInfo.processInfo.environment["RATIOS_VERBOSE"] != nil {
    func each(_ a: [Double], _ b: [Double]) -> String { zip(a, b).map { x($0, $1) }.joined(separator: " ") }
    print("per round: GET", each(typedGets, dictGets), "| SET", each(typedSets, dictSets))
    print("per round: 2t GET", each(twoGets, oneGets), "| 2t SET", each(twoSets, oneSets))
    print("per round: 2t chase", each(twoChases, oneChase), "| 2t compute", each(twoComputes, oneCompute))
}
print("memory: LuaStore \(storeBytes / n) bytes/key (RSS delta), [[UInt8]:[UInt8]] \(dictionaryBytes / n) bytes/key")

if ProcessInfo.processInfo.environment["RATIOS_ONLY"] == "keyspace" { exit(0) }
print()
listRatios()
print()
sortedSetRatios()
print()
streamRatios()
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
