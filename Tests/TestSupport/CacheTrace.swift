import Foundation
import LuaStoreCore

/// The hit-ratio trace of Docs/Caching.md, shared by the eviction tests and the Benchmarks
/// package's `hitratio`: keys drawn from Zipf(`skew`) over `keys` keys, with a burst of
/// 5,000 one-hit keys (a scan) after every 20,000 requests, each request a get-or-set
/// script (``getOrSetScript``). The same seed gives the same trace everywhere.
public enum CacheTrace {
    /// A request: read the key, and store `ARGV[1]` under it on a miss.
    public static let getOrSetScript =
        "local v = redis.call('GET', KEYS[1]) if not v then redis.call('SET', KEYS[1], ARGV[1]) return 0 end return 1"

    /// The trace's keys, in request order (`requests` Zipf draws plus the scans).
    public static func keys(requests: Int = 400_000, keys: Int = 100_000, skew: Double = 0.9, seed: UInt64 = 2026) -> [ByteString] {
        var cumulative = [Double](repeating: 0, count: keys)
        var total = 0.0
        for rank in 0..<keys {
            total += 1 / pow(Double(rank + 1), skew)
            cumulative[rank] = total
        }
        // SplitMix64, spelled out: the Benchmarks package cannot name LuaStoreCore's.
        var state = seed
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        var out: [ByteString] = []
        out.reserveCapacity(requests + requests / 4)
        var scans = 0
        for i in 0..<requests {
            let u = uniform() * total
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

    /// `keyspace_hits / (keyspace_hits + keyspace_misses)` from an `INFO stats` reply's text.
    public static func hitRatio(infoStats text: String) -> Double {
        var hits = 0.0, misses = 0.0
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("keyspace_hits:") { hits = Double(line.dropFirst(14)) ?? 0 }
            if line.hasPrefix("keyspace_misses:") { misses = Double(line.dropFirst(16)) ?? 0 }
        }
        return hits / max(1, hits + misses)
    }
}
