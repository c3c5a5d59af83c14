import Benchmark
import Foundation
import LuaStore

/// The seed script (Examples/Scripts/seed.lua; the
/// write-heavy example of Dragonfly's Lua scripting post):
/// time and malloc counts per script run, and per `redis.call` (50 calls a run).
func scriptBenchmarks() {
    // The same file `make demo` runs, so the benchmark measures the shipped example.
    let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/Scripts/seed.lua")
    let source = ByteString(try! Data(contentsOf: path))
    let store = LuaStore()
    let script = try! store.scriptLoad(source)
    let keys: [ByteString] = ["l1", "l2", "l3", "l4", "l5"]
    let args: [ByteString] = ["[1,2,3,4,5]"]
    Benchmark("seed script (5 keys, 50 redis.call)", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? store.eval(script, keys: keys, args: args))
        }
    }
}
