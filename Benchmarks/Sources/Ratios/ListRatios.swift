// The list issue's ratio: the seed script's pattern (LPUSH, then LTRIM 0 50, keeping the
// newest 51, over 5 lists) in-process, against redis-server answering the same commands
// pipelined (P 64) over loopback, measured in this run.
import BenchmarkSupport
import Foundation
import LuaStore

/// Prints LPUSH+LTRIM pairs per second for the typed API, `execute`, and redis-server
/// (from redis-benchmark's LPUSH and LTRIM figures, combined as one pair of commands).
func listRatios() {
    let store = LuaStore()
    let lists: [ByteString] = (1...5).map { ByteString("l\($0)") }
    let messages: [ByteString] = (1...5).map { ByteString("\($0)") }
    let zero: ByteString = "0", fifty: ByteString = "50"
    let lpush: ByteString = "LPUSH", ltrim: ByteString = "LTRIM"
    let pairs = 1_000_000

    /// Pairs per second of `body(i)`, median of 5 rounds.
    func pairsPerSecond(_ body: (Int) -> Void) -> Double {
        median((0..<5).map { _ in
            let start = nanoseconds()
            for i in 0..<pairs { body(i) }
            return Double(pairs) / (Double(nanoseconds() - start) / 1e9)
        })
    }

    let typed = pairsPerSecond { i in
        let key = lists[i % 5]
        _ = try? store.lpush(key, [messages[i / 5 % 5]])
        try? store.ltrim(key, 0, 50)
    }
    let executed = pairsPerSecond { i in
        let key = lists[i % 5]
        _ = store.execute([lpush, key, messages[i / 5 % 5]])
        _ = store.execute([ltrim, key, zero, fifty])
    }
    guard (try? store.llen(lists[0])) == 51 else { fatalError("LTRIM did not keep 51 elements") }

    print("\nLists: LPUSH + LTRIM 0 50 over 5 lists (the seed's pattern), median of 5 rounds of \(pairs) pairs")
    print(pad("metric", 44), pad("pairs/s", 12), "ratio")
    guard let redis = RedisReference.lpushLtrimPairsPerSecond() else {
        row("typed LPUSH+LTRIM, 1 thread", typed, "(redis-server unavailable)")
        row("execute LPUSH+LTRIM, 1 thread", executed, "")
        return
    }
    row("typed LPUSH+LTRIM, 1 thread", typed, "\(x(typed, redis)) x redis-server P64")
    row("execute LPUSH+LTRIM, 1 thread", executed, "\(x(executed, redis)) x redis-server P64")
    row("redis-server, redis-benchmark -P 64", redis, "")
}

/// redis-server's LPUSH+LTRIM pairs per second: `redis-benchmark -P 64 -n 200000` for
/// each command over 5 lists, combined as 1 / (1/LPUSH + 1/LTRIM). Nil when redis-server
/// or redis-benchmark is missing.
enum RedisReference {
    static func lpushLtrimPairsPerSecond() -> Double? {
        guard let redis = ThrowawayRedis() else { return nil }
        defer { redis.stop() }
        let options = ["-P", "64", "-n", "200000", "-r", "5"]
        guard let push = redis.requestsPerSecond(options: options, command: ["LPUSH", "l__rand_int__", "1"]),
              let trim = redis.requestsPerSecond(options: options, command: ["LTRIM", "l__rand_int__", "0", "50"]) else {
            return nil
        }
        return 1 / (1 / push + 1 / trim)
    }
}
