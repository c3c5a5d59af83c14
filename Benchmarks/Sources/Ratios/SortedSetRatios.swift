// The sorted-set issue's figures: memory per member of 100 sorted sets x 10,000 members
// (`user:<n>`, random integer scores), and ZADD / ZRANK / ZSCORE / ZRANGE 0 9 in-process
// against redis-server answering the same commands pipelined (P 64) over loopback, all
// measured in this run.
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

    /// Operations per second of `body(i)`, median of 5 rounds of `operations`.
    func opsPerSecond(_ body: (Int) -> Void) -> Double {
        median((0..<5).map { _ in
            let start = nanoseconds()
            for i in 0..<operations { body(i) }
            return Double(operations) / (Double(nanoseconds() - start) / 1e9)
        })
    }
    // As redis-benchmark drives redis-server: every command on zset:0, random members.
    let zadd = opsPerSecond { i in _ = try? store.zadd(keys[0], [(scores[i], members[memberIndex[i]])]) }
    let zrank = opsPerSecond { i in _ = try? store.zrank(keys[0], members[memberIndex[i]]) }
    let zscore = opsPerSecond { i in _ = try? store.zscore(keys[0], members[memberIndex[i]]) }
    let zrange = opsPerSecond { i in _ = try? store.zrange(keys[0], 0, 9) }
    // The same through `execute`, arguments as a client would send them.
    let scoreArguments = scores.map { ByteString(String(Int($0))) }
    let execZadd = opsPerSecond { i in _ = store.execute(["ZADD", keys[0], scoreArguments[i], members[memberIndex[i]]]) }
    let execZrank = opsPerSecond { i in _ = store.execute(["ZRANK", keys[0], members[memberIndex[i]]]) }
    let execZscore = opsPerSecond { i in _ = store.execute(["ZSCORE", keys[0], members[memberIndex[i]]]) }
    let execZrange = opsPerSecond { _ in _ = store.execute(["ZRANGE", keys[0], "0", "9"]) }
    // The same over all 100 sets: ~40 MB of sets, so most steps miss the CPU caches.
    let spreadZadd = opsPerSecond { i in _ = try? store.zadd(keys[keyIndex[i]], [(scores[i], members[memberIndex[i]])]) }
    let spreadZrank = opsPerSecond { i in _ = try? store.zrank(keys[keyIndex[i]], members[memberIndex[i]]) }
    let spreadZscore = opsPerSecond { i in _ = try? store.zscore(keys[keyIndex[i]], members[memberIndex[i]]) }
    let spreadZrange = opsPerSecond { i in _ = try? store.zrange(keys[keyIndex[i]], 0, 9) }

    print("\nSorted sets: \(setCount) sets x \(membersPerSet) members (user:<n>, random integer scores), median of 5 rounds of \(operations) ops")
    print("memory: LuaStore \(String(format: "%.1f", bytesPerMember)) bytes/member (RSS delta)")
    let redis = SortedSetReference.measure(setCount: setCount, membersPerSet: membersPerSet)
    if let perMember = redis?.bytesPerMember {
        print("memory: redis-server \(String(format: "%.1f", perMember)) bytes/member (used_memory delta)")
    }
    print(pad("metric", 44), pad("ops/s", 12), "ratio")
    let figures = [
        ("ZADD", zadd, spreadZadd, execZadd), ("ZRANK", zrank, spreadZrank, execZrank),
        ("ZSCORE", zscore, spreadZscore, execZscore), ("ZRANGE 0 9", zrange, spreadZrange, execZrange),
    ]
    for (name, ours, spread, executed) in figures {
        if let theirs = redis?.opsPerSecond[name] {
            row("typed \(name) zset:0, 1 thread", ours, "\(x(ours, theirs)) x redis-server P64")
            row("typed \(name) random set of 100, 1 thread", spread, "\(x(spread, theirs)) x redis-server P64")
            row("execute \(name) zset:0, 1 thread", executed, "\(x(executed, theirs)) x redis-server P64")
        } else {
            row("typed \(name) zset:0, 1 thread", ours, "(redis-server unavailable)")
            row("typed \(name) random set of 100, 1 thread", spread, "")
            row("execute \(name) zset:0, 1 thread", executed, "")
        }
    }
    for (name, theirs) in (redis?.opsPerSecond ?? [:]).sorted(by: { $0.key < $1.key }) {
        row("redis-server \(name) zset:0, redis-benchmark -P 64", theirs, "")
    }
}

/// A throwaway redis-server holding the same data set, driven by redis-benchmark.
enum SortedSetReference {
    struct Figures {
        var bytesPerMember: Double
        var opsPerSecond: [String: Double]
    }

    /// Fills `setCount` sorted sets `zset:<k>` with `membersPerSet` members each (named as
    /// redis-benchmark's `user:__rand_int__` expands with `-r`: `user:` and 12 digits, so
    /// every command hits an existing member), then runs `redis-benchmark -P 64 -n 200000
    /// -r <members>` for each command on `zset:0`. Nil when redis-server or its tools are
    /// missing.
    static func measure(setCount: Int, membersPerSet: Int) -> Figures? {
        guard let redis = ThrowawayRedis() else { return nil }
        defer { redis.stop() }
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
              let after = redis.usedMemory() else { return nil }
        var figures = Figures(bytesPerMember: Double(after - before) / Double(setCount * membersPerSet), opsPerSecond: [:])
        let commands: [(String, [String])] = [
            ("ZADD", ["ZADD", "zset:0", "__rand_int__", "user:__rand_int__"]),
            ("ZRANK", ["ZRANK", "zset:0", "user:__rand_int__"]),
            ("ZSCORE", ["ZSCORE", "zset:0", "user:__rand_int__"]),
            ("ZRANGE 0 9", ["ZRANGE", "zset:0", "0", "9"]),
        ]
        for (name, command) in commands {
            let options = ["-P", "64", "-n", "200000", "-r", "\(membersPerSet)"]
            guard let rps = redis.requestsPerSecond(options: options, command: command) else { return nil }
            figures.opsPerSecond[name] = rps
        }
        return figures
    }
}
