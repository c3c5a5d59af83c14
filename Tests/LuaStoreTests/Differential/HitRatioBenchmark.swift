import Foundation
import LuaStore
import LuaStoreCore
import Testing
import TestSupport

/// The hit-ratio comparison of Docs/Caching.md: the same trace against redis-server and
/// LuaStore at the same `maxmemory`, a get-or-set script per request, each store's own
/// `INFO stats` hits and misses. Keys are drawn from Zipf(0.9) over 100k keys, with a
/// burst of one-hit keys (a scan) after every 20k requests; values are 200 bytes; the
/// bound is 8 MB. Runs only with `LUASTORE_HIT_RATIO=1` (it takes a minute); prints one
/// line per store and policy.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LUASTORE_HIT_RATIO"] == "1"))
struct HitRatioBenchmark {
    static let script = "local v = redis.call('GET', KEYS[1]) if not v then redis.call('SET', KEYS[1], ARGV[1]) return 0 end return 1"

    /// The trace's keys, in request order.
    static func trace(requests: Int = 400_000, keys: Int = 100_000, skew: Double = 0.9) -> [ByteString] {
        var cumulative = [Double](repeating: 0, count: keys)
        var total = 0.0
        for rank in 0..<keys {
            total += 1 / pow(Double(rank + 1), skew)
            cumulative[rank] = total
        }
        var random = SplitMix64(seed: 2026)
        var out: [ByteString] = []
        out.reserveCapacity(requests + requests / 4)
        var scans = 0
        for i in 0..<requests {
            let u = Double(random.next() >> 11) / Double(1 << 53) * total
            var low = 0, high = keys - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] < u { low = mid + 1 } else { high = mid }
            }
            out.append(ByteString("key:\(low)"))
            if i % 20_000 == 19_999 {
                for _ in 0..<5_000 { out.append(ByteString("scan:\(scans)")); scans += 1 }
            }
        }
        return out
    }

    static func ratio(_ info: Reply) -> Double {
        guard case .bulk(let text) = info else { return 0 }
        var hits = 0.0, misses = 0.0
        for line in text.string.split(separator: "\r\n") {
            if line.hasPrefix("keyspace_hits:") { hits = Double(line.dropFirst(14)) ?? 0 }
            if line.hasPrefix("keyspace_misses:") { misses = Double(line.dropFirst(16)) ?? 0 }
        }
        return hits / max(1, hits + misses)
    }

    @Test func hitRatioAgainstRedis() throws {
        let keys = Self.trace()
        let value = ByteString(String(repeating: "v", count: 200))
        var results: [String: Double] = [:]
        try RedisServer.with { server in
            let client = try server.connect()
            _ = try client.call("CONFIG", "SET", "maxmemory", "8mb")
            _ = try client.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
            var batch: [[ByteString]] = []
            for key in keys {
                batch.append(["EVAL", ByteString(Self.script), "1", key, value])
                if batch.count == 1000 { _ = try client.send(batch); batch.removeAll(keepingCapacity: true) }
            }
            _ = try client.send(batch)
            results["redis allkeys-lru"] = Self.ratio(try client.call("INFO", "stats"))
        }
        for policy in [EvictionPolicy.allKeysLRU, .allKeysLFU, .allKeysTinyLFU] {
            let store = LuaStore(configuration: .init(settings: .init(maxMemory: 8 << 20, evictionPolicy: policy)))
            for key in keys { _ = store.execute(["EVAL", ByteString(Self.script), "1", key, value]) }
            results["luastore \(policy.rawValue)"] = Self.ratio(store.execute(["INFO", "stats"]))
        }
        let reference = results["redis allkeys-lru"] ?? 1
        for (name, ratio) in results.sorted(by: { $0.key < $1.key }) {
            print(String(format: "hit ratio %@: %.4f (%.3fx redis allkeys-lru)", name, ratio, ratio / reference))
        }
    }
}
