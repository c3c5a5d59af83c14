// The hit-ratio comparison of Docs/Caching.md: the same trace (CacheTrace: Zipf(0.9) over
// 100k keys with bursts of one-hit keys, a get-or-set script per request, 200-byte values)
// against redis-server and LuaStore at the same `maxmemory` (8 MB), each store's hit ratio
// from its own `INFO stats` keyspace_hits and keyspace_misses:
//   swift run -c release hitratio [--port N] [--requests N] [--maxmemory BYTES]
// Starts its own redis-server on a free loopback port, or uses the one on `--port` (which
// it reconfigures and flushes). Prints one line per store and policy, and each one's ratio
// to redis-server's allkeys-lru.
import Foundation
import LuaStore
import LuaStoreCore
import RedisSupport

func option(_ name: String) -> Int? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return Int(args[i + 1])
}

let requests = option("--requests") ?? 400_000
let maxMemory = option("--maxmemory") ?? 8 << 20
let keys = CacheTrace.keys(requests: requests)
let value = ByteString(String(repeating: "v", count: 200))
let script = ByteString(CacheTrace.getOrSetScript)

func text(_ reply: Reply) -> String {
    if case .bulk(let bytes) = reply { return bytes.string }
    return ""
}

/// Runs the trace against the redis-server on `client` under `policy`; its hit ratio.
func redisHitRatio(_ client: RESPClient, policy: String) throws -> Double {
    _ = try client.call("FLUSHALL")
    _ = try client.call("CONFIG", "SET", "maxmemory", String(maxMemory))
    _ = try client.call("CONFIG", "SET", "maxmemory-policy", policy)
    _ = try client.call("CONFIG", "RESETSTAT")
    var batch: [[ByteString]] = []
    for key in keys {
        batch.append(["EVAL", script, "1", key, value])
        if batch.count == 1000 { _ = try client.send(batch); batch.removeAll(keepingCapacity: true) }
    }
    _ = try client.send(batch)
    let ratio = CacheTrace.hitRatio(infoStats: text(try client.call("INFO", "stats")))
    _ = try client.call("FLUSHALL")
    return ratio
}

/// Runs the trace against a fresh LuaStore under `policy`; its hit ratio.
func luaStoreHitRatio(policy: EvictionPolicy) -> Double {
    let store = LuaStore(configuration: .init(settings: .init(maxMemory: UInt64(maxMemory), evictionPolicy: policy)))
    for key in keys { _ = store.execute(["EVAL", script, "1", key, value]) }
    return CacheTrace.hitRatio(infoStats: text(store.execute(["INFO", "stats"])))
}

var results: [(String, Double)] = []
do {
    let server: RedisServer? = option("--port") == nil ? try RedisServer() : nil
    defer { server?.stop() }
    let client = try RESPClient(port: server?.port ?? UInt16(option("--port")!), timeoutSeconds: 300)
    for policy in ["allkeys-lru", "allkeys-lfu"] {
        results.append(("redis-server \(policy)", try redisHitRatio(client, policy: policy)))
    }
} catch {
    FileHandle.standardError.write(Data("hitratio: redis-server: \(error)\n".utf8))
    exit(1)
}
for policy in [EvictionPolicy.allKeysLRU, .allKeysLFU, .allKeysTinyLFU] {
    results.append(("luastore \(policy.rawValue)", luaStoreHitRatio(policy: policy)))
}
print("hit ratio, \(keys.count) requests, maxmemory \(maxMemory) bytes")
let reference = results[0].1
for (name, ratio) in results {
    print(String(format: "%-26@ %.4f  %.3fx redis-server allkeys-lru", name as NSString, ratio, ratio / reference))
}
