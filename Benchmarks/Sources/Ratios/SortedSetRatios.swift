// The sorted-set figures: memory per member of 100 sorted sets x 10,000 members
// (`user:<n>`, random integer scores), and ZADD / ZRANK / ZSCORE / ZRANGE 0 9 in-process
// against redis-server answering the same commands pipelined (P 64) over loopback, all
// measured in this run. Each of five rounds times redis-server and then LuaStore back to
// back; a ratio is the median of the rounds' ratios, since this VM drifts 2x in minutes.
import BenchmarkSupport
import Foundation
import LuaStore

/// Prints bytes per member and the four commands' ops/s with their ratio to redis-server.
func sortedSetRatios() {
    let setCount = 100, membersPerSet = 10_000
    let keys: [ByteString] = (0..<setCount).map { ByteString("zset:\($0)") }
    let members: [ByteString] = (0..<membersPerSet).map { ByteString("user:\($0)") }
    var rng = SystemRandomNumberGenerator()

    // Memory: RSS before and after filling a fresh store; the key and member arrays above
    // are the caller's, not counted.
    let store = LuaStore()
    let before = residentBytes()
    for key in keys {
        for start in Swift.stride(from: 0, to: membersPerSet, by: 1_000) {
            let batch = (start..<(start + 1_000)).map { (score: Double(Int.random(in: 0..<1_000_000, using: &rng)), member: members[$0]) }
            _ = try? store.zadd(key, batch)
        }
    }
    let bytesPerMember = Double(residentBytes() - before) / Double(setCount * membersPerSet)
    guard (try? store.zcard(keys[setCount - 1])) == membersPerSet else { fatalError("sorted sets not filled") }

    // Random keys, members and scores drawn before timing, so the loops time the commands.
    let operations = 1_000_000
    let keyIndex = (0..<operations).map { _ in Int.random(in: 0..<setCount, using: &rng) }
    let memberIndex = (0..<operations).map { _ in Int.random(in: 0..<membersPerSet, using: &rng) }
    let scores = (0..<operations).map { _ in Double(Int.random(in: 0..<1_000_000, using: &rng)) }

    /// Operations per second of one round of `operations` calls of `body(i)`.
    func oneRound(_ body: (Int) -> Void) -> Double {
        let start = nanoseconds()
        for i in 0..<operations { body(i) }
        return Double(operations) / (Double(nanoseconds() - start) / 1e9)
    }
    let scoreArguments = scores.map { ByteString(String(Int($0))) }
    // Per command: as redis-benchmark drives redis-server (every command on zset:0, random
    // members), through the typed API and through `execute` (arguments as a client sends
    // them), and typed over all 100 sets (~40 MB of sets: most steps miss the CPU caches).
    let commands: [(name: String, typed: (Int) -> Void, executed: (Int) -> Void, spread: (Int) -> Void)] = [
        ("ZADD",
         { i in _ = try? store.zadd(keys[0], score: scores[i], member: members[memberIndex[i]]) },
         { i in _ = store.execute(["ZADD", keys[0], scoreArguments[i], members[memberIndex[i]]]) },
         { i in _ = try? store.zadd(keys[keyIndex[i]], score: scores[i], member: members[memberIndex[i]]) }),
        ("ZRANK",
         { i in _ = try? store.zrank(keys[0], members[memberIndex[i]]) },
         { i in _ = store.execute(["ZRANK", keys[0], members[memberIndex[i]]]) },
         { i in _ = try? store.zrank(keys[keyIndex[i]], members[memberIndex[i]]) }),
        ("ZSCORE",
         { i in _ = try? store.zscore(keys[0], members[memberIndex[i]]) },
         { i in _ = store.execute(["ZSCORE", keys[0], members[memberIndex[i]]]) },
         { i in _ = try? store.zscore(keys[keyIndex[i]], members[memberIndex[i]]) }),
        ("ZRANGE 0 9",
         { _ in _ = try? store.zrange(keys[0], 0, 9) },
         { _ in _ = store.execute(["ZRANGE", keys[0], "0", "9"]) },
         { i in _ = try? store.zrange(keys[keyIndex[i]], 0, 9) }),
    ]

    print("\nSorted sets: \(setCount) sets x \(membersPerSet) members (user:<n>, random integer scores), 5 rounds of \(operations) ops")
    print("memory: LuaStore \(String(format: "%.1f", bytesPerMember)) bytes/member (RSS delta)")
    guard let redis = SortedSetReference(setCount: setCount, membersPerSet: membersPerSet) else {
        print("(redis-server unavailable: LuaStore figures only)")
        print(pad("metric", 44), pad("ops/s", 12))
        for command in commands {
            row("typed \(command.name) zset:0, 1 thread", median((0..<5).map { _ in oneRound(command.typed) }), "")
        }
        return
    }
    defer { redis.stop() }
    print("memory: redis-server \(String(format: "%.1f", redis.bytesPerMember)) bytes/member (used_memory delta)")
    // This VM's speed drifts by up to 2x within minutes, so each round times redis-server
    // and then LuaStore back to back, and a ratio is the median of the five rounds' ratios
    // (not a ratio of medians taken minutes apart).
    print(pad("metric", 44), pad("ops/s", 12), "ratio (median of 5 paired rounds)")
    var theirRows: [(String, Double)] = []
    for command in commands {
        var theirs: [Double] = [], typed: [Double] = [], executed: [Double] = [], spread: [Double] = []
        for _ in 0..<5 {
            guard let rps = redis.opsPerSecond(command.name) else { continue }
            theirs.append(rps)
            typed.append(oneRound(command.typed))
            executed.append(oneRound(command.executed))
            spread.append(oneRound(command.spread))
        }
        guard !theirs.isEmpty else { continue }
        func ratio(_ ours: [Double]) -> String { x(median(zip(ours, theirs).map { $0 / $1 }), 1) }
        row("typed \(command.name) zset:0, 1 thread", median(typed), "\(ratio(typed)) x redis-server P64")
        row("typed \(command.name) random set of 100, 1 thread", median(spread), "\(ratio(spread)) x redis-server P64")
        row("execute \(command.name) zset:0, 1 thread", median(executed), "\(ratio(executed)) x redis-server P64")
        theirRows.append((command.name, median(theirs)))
    }
    for (name, theirs) in theirRows {
        row("redis-server \(name) zset:0, redis-benchmark -P 64", theirs, "")
    }
}

/// A throwaway redis-server holding the same data set, driven by redis-benchmark; it
/// stays up so that each round can time it right before LuaStore.
final class SortedSetReference {
    private let redis: ThrowawayRedis
    let bytesPerMember: Double
    private let membersPerSet: Int

    /// Fills `setCount` sorted sets `zset:<k>` with `membersPerSet` members each (named as
    /// redis-benchmark's `user:__rand_int__` expands with `-r`: `user:` and 12 digits, so
    /// every command hits an existing member). Nil when redis-server or its tools are
    /// missing.
    init?(setCount: Int, membersPerSet: Int) {
        guard let redis = ThrowawayRedis() else { return nil }
        let fill = """
            for k = 0, ARGV[1] - 1 do
              for first = 0, ARGV[2] - 1, 1000 do
                local args = {}
                for i = first, math.min(first + 999, ARGV[2] - 1) do
                  args[#args + 1] = math.random(0, 999999)
                  args[#args + 1] = string.format('user:%012d', i)
                end
                redis.call('ZADD', 'zset:' .. k, unpack(args))
              end
            end
            return redis.call('ZCARD', 'zset:0')
            """
        guard let before = redis.usedMemory(),
              redis.cli(["EVAL", fill, "0", "\(setCount)", "\(membersPerSet)"])?.contains("\(membersPerSet)") == true,
              let after = redis.usedMemory() else {
            redis.stop()
            return nil
        }
        self.redis = redis
        self.membersPerSet = membersPerSet
        bytesPerMember = Double(after - before) / Double(setCount * membersPerSet)
    }

    func stop() { redis.stop() }

    /// `redis-benchmark -P 64 -n 200000 -r <members>` for the named command on `zset:0`.
    func opsPerSecond(_ name: String) -> Double? {
        let command: [String]
        switch name {
        case "ZADD": command = ["ZADD", "zset:0", "__rand_int__", "user:__rand_int__"]
        case "ZRANK": command = ["ZRANK", "zset:0", "user:__rand_int__"]
        case "ZSCORE": command = ["ZSCORE", "zset:0", "user:__rand_int__"]
        default: command = ["ZRANGE", "zset:0", "0", "9"]
        }
        return redis.requestsPerSecond(options: ["-P", "64", "-n", "200000", "-r", "\(membersPerSet)"], command: command)
    }
}
