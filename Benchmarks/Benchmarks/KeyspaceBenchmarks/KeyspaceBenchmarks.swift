import Benchmark
import BenchmarkSupport
import LuaStore

/// 1M keys of 10 bytes with 22-byte values (the data set `ratios` uses too).
let keyCount = 1_000_000
let opsPerIteration = 100_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 20
    )

    scriptBenchmarks()

    let keys = Workload.keys(keyCount)
    let values = Workload.values(keyCount)
    let store = LuaStore()
    for i in 0..<keyCount { _ = try? store.set(keys[i], values[i]) }
    let dictionary = DictionaryStore()
    let rawKeys = keys.map(\.bytes), rawValues = values.map(\.bytes)
    for i in 0..<keyCount { dictionary.set(rawKeys[i], rawValues[i]) }

    Benchmark("typed GET (1M keys)") { benchmark in
        var i = 0
        for _ in 0..<opsPerIteration {
            blackHole(try? store.get(keys[i]))
            i = (i &+ 7919) % keyCount
        }
    }
    Benchmark("typed SET (1M keys)") { benchmark in
        var i = 0
        for _ in 0..<opsPerIteration {
            blackHole(try? store.set(keys[i], values[i]))
            i = (i &+ 7919) % keyCount
        }
    }
    Benchmark("execute GET (1M keys)") { benchmark in
        var i = 0
        for _ in 0..<opsPerIteration {
            blackHole(store.execute(["GET", keys[i]]))
            i = (i &+ 7919) % keyCount
        }
    }
    Benchmark("execute SET (1M keys)") { benchmark in
        var i = 0
        for _ in 0..<opsPerIteration {
            blackHole(store.execute(["SET", keys[i], values[i]]))
            i = (i &+ 7919) % keyCount
        }
    }
    Benchmark("baseline Dictionary+Mutex GET (1M keys)") { benchmark in
        var i = 0
        for _ in 0..<opsPerIteration {
            blackHole(dictionary.get(rawKeys[i]))
            i = (i &+ 7919) % keyCount
        }
    }
    Benchmark("baseline Dictionary+Mutex SET (1M keys)") { benchmark in
        var i = 0
        for _ in 0..<opsPerIteration {
            dictionary.set(rawKeys[i], rawValues[i])
            i = (i &+ 7919) % keyCount
        }
    }
}
