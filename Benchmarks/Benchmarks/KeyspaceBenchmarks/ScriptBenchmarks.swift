import Benchmark
import LuaStore

/// The Dragonfly seed script (shared/bench/seed.lua, also Examples/Scripts/seed.lua):
/// time and malloc counts per script run, and per `redis.call` (50 calls a run).
func scriptBenchmarks() {
    let source: ByteString = """
        local messages = cjson.decode(ARGV[1])
        for _, key in ipairs(KEYS) do
          for _, message in ipairs(messages) do
            redis.pcall("LPUSH", key, message)
            redis.pcall("LTRIM", key, 0, 50)
          end
        end
        return "OK"
        """
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
