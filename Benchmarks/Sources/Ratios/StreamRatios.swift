// The stream figures: memory per entry of 100,000 XADDs of a two-field entry
// (`sensor s-<n mod 100> temp <n mod 1000>`, `*` IDs) in one stream, LuaStore's RSS delta
// and accounted bytes against redis-server's used_memory delta for the same XADDs, and
// XADD ops/s in-process against redis-server answering XADD pipelined (P 64), all
// measured in this run; the ratio is the median of five paired rounds.
import BenchmarkSupport
import Foundation
import LuaStore

/// Prints bytes per stream entry and XADD ops/s with their ratios to redis-server.
func streamRatios() {
    let entries = 100_000
    let sensors: [ByteString] = (0..<100).map { ByteString("s-\($0)") }
    let temperatures: [ByteString] = (0..<1_000).map { ByteString("\($0)") }

    let store = LuaStore()
    let before = residentBytes()
    for i in 0..<entries {
        _ = try? store.xadd("events", [("sensor", sensors[i % 100]), ("temp", temperatures[i % 1_000])])
    }
    let rssPerEntry = Double(residentBytes() - before) / Double(entries)
    guard (try? store.xlen("events")) == entries else { fatalError("stream not filled") }
    guard case .integer(let usage) = store.execute(["MEMORY", "USAGE", "events"]) else { fatalError("MEMORY USAGE") }
    let accountedPerEntry = Double(usage) / Double(entries)

    print("\nStreams: one stream, \(entries) XADDs of `sensor s-<n%100> temp <n%1000>` with * IDs")
    print("memory: LuaStore \(String(format: "%.1f", rssPerEntry)) bytes/entry (RSS delta), \(String(format: "%.1f", accountedPerEntry)) accounted (MEMORY USAGE)")
    guard let redis = ThrowawayRedis() else {
        print("(redis-server unavailable: LuaStore figures only)")
        return
    }
    defer { redis.stop() }
    let fill = """
        for i = 0, ARGV[1] - 1 do
          redis.call('XADD', 'events', '*', 'sensor', 's-' .. (i % 100), 'temp', tostring(i % 1000))
        end
        return redis.call('XLEN', 'events')
        """
    guard let redisBefore = redis.usedMemory(),
          redis.cli(["EVAL", fill, "0", "\(entries)"])?.contains("\(entries)") == true,
          let redisAfter = redis.usedMemory() else {
        print("(redis-server fill failed: LuaStore figures only)")
        return
    }
    let redisPerEntry = Double(redisAfter - redisBefore) / Double(entries)
    print("memory: redis-server \(String(format: "%.1f", redisPerEntry)) bytes/entry (used_memory delta); LuaStore/redis-server \(String(format: "%.2f", rssPerEntry / redisPerEntry))x (RSS), \(String(format: "%.2f", accountedPerEntry / redisPerEntry))x (accounted)")

    // XADD throughput: fresh streams per round, so each round appends to the same sizes.
    let operations = 200_000
    var ours: [Double] = [], theirs: [Double] = []
    for round in 0..<5 {
        let key = ByteString("bench:\(round)")
        guard let reference = redis.requestsPerSecond(options: ["-P", "64", "-n", "\(operations)", "-r", "1000"],
                                                      command: ["XADD", "bench:\(round)", "*", "sensor", "s-__rand_int__", "temp", "__rand_int__"]) else {
            print("(redis-benchmark failed)")
            return
        }
        let start = nanoseconds()
        for i in 0..<operations { _ = try? store.xadd(key, [("sensor", sensors[i % 100]), ("temp", temperatures[i % 1_000])]) }
        ours.append(Double(operations) / (Double(nanoseconds() - start) / 1e9))
        theirs.append(reference)
    }
    let ratio = median(zip(ours, theirs).map { $0 / $1 })
    print("XADD: LuaStore typed \(Int(median(ours))) ops/s, redis-server P64 \(Int(median(theirs))) ops/s, ratio \(String(format: "%.2f", ratio))x (median of 5 paired rounds)")
}
