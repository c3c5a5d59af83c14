// Prints the foundation issue's ratios, all measured in this one run:
//   swift run -c release ratios
// Each figure is the median of 5 rounds of 1M operations over 1M keys (10-byte names,
// 22-byte values), keys visited in a scattered order.
// `RATIOS_ONLY=latency` prints only the script-latency section (ScriptLatency.swift),
// `RATIOS_ONLY=zset` only the sorted-set section (SortedSetRatios.swift).
import BenchmarkSupport
import Foundation
import LuaStore

switch ProcessInfo.processInfo.environment["RATIOS_ONLY"] {
case nil, "": break
case "latency": scriptLatencyRatios(); exit(0)
case "zset": sortedSetRatios(); exit(0)
case let other?:
    FileHandle.standardError.write(Data("RATIOS_ONLY=\(other): unknown section (known: latency, zset)\n".utf8))
    exit(2)
}

let n = Int(ProcessInfo.processInfo.environment["RATIOS_KEYS"] ?? "") ?? 1_000_000
let rounds = 5
let keys = Workload.keys(n)
let values = Workload.values(n)
let rawKeys = keys.map(\.bytes), rawValues = values.map(\.bytes)

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

/// Operations per second of `body(i)` over `count` scattered indices, median of rounds.
func opsPerSecond(count: Int = n, _ body: (Int) -> Void) -> Double {
    median((0..<rounds).map { _ in
        let start = nanoseconds()
        var i = 0
        for _ in 0..<count {
            body(i)
            i = (i &+ 7919) % n
        }
        return Double(count) / (Double(nanoseconds() - start) / 1e9)
    })
}

// Memory per key: resident set size before and after filling a fresh store.
let heapBefore = residentBytes()
let store = LuaStore()
for i in 0..<n { try! store.set(keys[i], values[i]) }
let storeBytes = residentBytes() - heapBefore
let dictionaryBefore = residentBytes()
let dictionary = DictionaryStore()
for i in 0..<n { dictionary.set(rawKeys[i], rawValues[i]) }
let dictionaryBytes = residentBytes() - dictionaryBefore
// The key and value arrays above are shared by both stores' callers, not counted.

let typedGet = opsPerSecond { i in _ = try? store.get(keys[i]) }
let typedSet = opsPerSecond { i in _ = try? store.set(keys[i], values[i]) }
let dictGet = opsPerSecond { i in _ = dictionary.get(rawKeys[i]) }
let dictSet = opsPerSecond { i in dictionary.set(rawKeys[i], rawValues[i]) }
let execGet = opsPerSecond { i in _ = store.execute(["GET", keys[i]]) }
let execSet = opsPerSecond { i in _ = store.execute(["SET", keys[i], values[i]]) }

/// Two threads, each on its own half of the keys.
func twoThreads(_ body: @escaping @Sendable (Int) -> Void) -> Double {
    median((0..<rounds).map { _ in
        let seconds = timeParallel(threads: 2) { t in
            var i = t
            for _ in 0..<n { body(i); i = (i &+ 7918) % n }   // even step keeps parity: disjoint halves
        }
        return Double(2 * n) / seconds
    })
}
let twoGet = twoThreads { i in _ = try? store.get(keys[i]) }
let twoSet = twoThreads { i in _ = try? store.set(keys[i], values[i]) }

func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }

func row(_ name: String, _ value: Double, _ ratio: String) {
    print(pad(name, 44), pad(String(Int(value)), 12), ratio)
}
func x(_ a: Double, _ b: Double) -> String { String(Int((a / b * 100).rounded()) / 1) .withRatioPoint }

print("LuaStore keyspace, 1M keys (10-byte names, 22-byte values), median of \(rounds) rounds")
print(pad("metric", 44), pad("ops/s", 12), "ratio")
row("typed GET, 1 thread", typedGet, "\(x(typedGet, dictGet)) x Dictionary+Mutex GET")
row("typed SET, 1 thread", typedSet, "\(x(typedSet, dictSet)) x Dictionary+Mutex SET")
row("Dictionary+Mutex GET", dictGet, "")
row("Dictionary+Mutex SET", dictSet, "")
row("execute GET, 1 thread", execGet, "\(x(execGet, typedGet)) x typed GET")
row("execute SET, 1 thread", execSet, "\(x(execSet, typedSet)) x typed SET")
row("typed GET, 2 threads, disjoint keys", twoGet, "\(x(twoGet, typedGet)) x 1 thread")
row("typed SET, 2 threads, disjoint keys", twoSet, "\(x(twoSet, typedSet)) x 1 thread")
print("memory: LuaStore \(storeBytes / n) bytes/key (RSS delta), [[UInt8]:[UInt8]] \(dictionaryBytes / n) bytes/key")

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
