// The list ratio: the seed script's pattern (LPUSH, then LTRIM 0 50, keeping the
// newest 51, over 5 lists) in-process, against redis-server answering the same commands
// pipelined (P 64) over loopback, measured in this run.
import BenchmarkSupport
import Foundation
import LuaStore

/// Prints LPUSH+LTRIM pairs per second for the typed API, `execute`, and redis-server
/// (from redis-benchmark's LPUSH and LTRIM figures, combined as one pair of commands).
/// Each of five rounds times redis-server, then the typed API, then `execute`, back to
/// back; a ratio is the median of the rounds' ratios (this VM drifts 2x in minutes).
func listRatios() {
    let store = LuaStore()
    let lists: [ByteString] = (1...5).map { ByteString("l\($0)") }
    let messages: [ByteString] = (1...5).map { ByteString("\($0)") }
    let zero: ByteString = "0", fifty: ByteString = "50"
    let lpush: ByteString = "LPUSH", ltrim: ByteString = "LTRIM"
    let pairs = 1_000_000

    /// Pairs per second of one round of `body(i)`.
    func oneRound(_ body: (Int) -> Void) -> Double {
        let start = nanoseconds()
        for i in 0..<pairs { body(i) }
        return Double(pairs) / (Double(nanoseconds() - start) / 1e9)
    }
    let typedPair = { (i: Int) in
        let key = lists[i % 5]
        _ = try? store.lpush(key, [messages[i / 5 % 5]])
        try? store.ltrim(key, 0, 50)
    }
    let executedPair = { (i: Int) in
        let key = lists[i % 5]
        _ = store.execute([lpush, key, messages[i / 5 % 5]])
        _ = store.execute([ltrim, key, zero, fifty])
    }

    print("\nLists: LPUSH + LTRIM 0 50 over 5 lists (the seed's pattern), 5 paired rounds of \(pairs) pairs")
    print(pad("metric", 44), pad("pairs/s", 12), "ratio (median of 5 paired rounds)")
    let redis = ThrowawayRedis()
    defer { redis?.stop() }
    var theirs: [Double] = [], typed: [Double] = [], executed: [Double] = []
    for _ in 0..<5 {
        if let redis, let rps = RedisReference.lpushLtrimPairsPerSecond(redis) { theirs.append(rps) }
        typed.append(oneRound(typedPair))
        executed.append(oneRound(executedPair))
    }
    guard (try? store.llen(lists[0])) == 51 else { fatalError("LTRIM did not keep 51 elements") }
    guard theirs.count == typed.count else {
        row("typed LPUSH+LTRIM, 1 thread", median(typed), "(redis-server unavailable)")
        row("execute LPUSH+LTRIM, 1 thread", median(executed), "")
        return
    }
    func ratio(_ ours: [Double]) -> String { x(median(zip(ours, theirs).map { $0 / $1 }), 1) }
    row("typed LPUSH+LTRIM, 1 thread", median(typed), "\(ratio(typed)) x redis-server P64")
    row("execute LPUSH+LTRIM, 1 thread", median(executed), "\(ratio(executed)) x redis-server P64")
    row("redis-server, redis-benchmark -P 64", median(theirs), "")
}

/// redis-server's LPUSH+LTRIM pairs per second: `redis-benchmark -P 64 -n 200000` for
/// each command over 5 lists, combined as 1 / (1/LPUSH + 1/LTRIM). Nil when
/// redis-benchmark fails.
enum RedisReference {
    static func lpushLtrimPairsPerSecond(_ redis: ThrowawayRedis) -> Double? {
        let options = ["-P", "64", "-n", "200000", "-r", "5"]
        guard let push = redis.requestsPerSecond(options: options, command: ["LPUSH", "l__rand_int__", "1"]),
              let trim = redis.requestsPerSecond(options: options, command: ["LTRIM", "l__rand_int__", "0", "50"]) else {
            return nil
        }
        return 1 / (1 / push + 1 / trim)
    }
}
