// Auto-async against synchronous scripts (`RATIOS_ONLY=autoasync`): the same script run
// by two stores, one with `ScriptEngine.Configuration(autoAsync: true)`, timed in
// alternating chunks (Interleaved.swift), so both sides see the machine's same phases.
// Each row is the median of the rounds' ratios (async throughput over sync throughput);
// `RATIOS_VERBOSE=1` prints every round's.
//
// - seed: Examples/Scripts/seed.lua by EVALSHA over 5 lists, one thread (50 pcalls a run).
// - ZADD write-heavy: 16 sorted sets, 20 ZADDs into each per run (320 a run), new members
//   every run, until each set holds 200k members; fresh stores each round.
// - two callers: two threads each running the seed script on their own 5 lists, the
//   combined throughput.
import BenchmarkSupport
import Foundation
import LuaStore
import Synchronization

private let zaddScript: ByteString = """
    local base = tonumber(ARGV[1])
    for _, key in ipairs(KEYS) do
      for i = 1, 20 do
        redis.call('ZADD', key, base + i, 'member:' .. (base + i))
      end
    end
    return 'OK'
    """

/// A store and the SHA of `source` loaded into it.
private func loaded(_ source: ByteString, autoAsync: Bool) -> (LuaStore, ByteString) {
    let store = LuaStore(configuration: .init(scripting: .init(autoAsync: autoAsync)))
    guard case .bulk(let sha) = store.execute(["SCRIPT", "LOAD", source]) else { fatalError("SCRIPT LOAD failed") }
    return (store, sha)
}

private func seedSource() -> ByteString {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Examples/Scripts/seed.lua").path
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
    return ByteString(Array(data))
}

func autoAsyncRatios() {
    let rounds = Int(ProcessInfo.processInfo.environment["RATIOS_ROUNDS"] ?? "") ?? 5
    let verbose = ProcessInfo.processInfo.environment["RATIOS_VERBOSE"] == "1"
    func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
    func report(_ title: String, _ ratios: [Double]) {
        let detail = verbose ? "  rounds: " + ratios.map { String(format: "%.2f", $0) }.joined(separator: ", ") : ""
        print(pad(title, 52), String(format: "%.2fx", median(ratios)) + detail)
    }
    print("\nAuto-async vs synchronous scripts, \(rounds) rounds, \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print(pad("row", 52), "async / sync throughput (median)")

    // The seed script, one caller.
    let seed = seedSource()
    let (seedSync, seedSyncSHA) = loaded(seed, autoAsync: false)
    let (seedAsync, seedAsyncSHA) = loaded(seed, autoAsync: true)
    let lists: [ByteString] = ["l1", "l2", "l3", "l4", "l5"]
    let messages: ByteString = "[1,2,3,4,5]"
    var seedRatios: [Double] = []
    for _ in 0..<rounds {
        let (tSync, tAsync) = alternating(count: 40_000, chunk: 4_000, { c in
            seconds(c) { _ = seedSync.execute(["EVALSHA", seedSyncSHA, "5"] + lists + [messages]) }
        }, { c in
            seconds(c) { _ = seedAsync.execute(["EVALSHA", seedAsyncSHA, "5"] + lists + [messages]) }
        })
        seedRatios.append(tSync / tAsync)
    }
    report("seed script, -c 1", seedRatios)

    // 16 keys x 20 ZADDs, sets growing to 200k members.
    let zkeys: [ByteString] = (0..<16).map { ByteString("zset:\($0)") }
    var zaddRatios: [Double] = []
    for _ in 0..<rounds {
        let (zSync, zSyncSHA) = loaded(zaddScript, autoAsync: false)
        let (zAsync, zAsyncSHA) = loaded(zaddScript, autoAsync: true)
        var nextSync = 0, nextAsync = 0
        let (tSync, tAsync) = alternating(count: 10_000, chunk: 500, { c in
            seconds(c) {
                _ = zSync.execute(["EVALSHA", zSyncSHA, "16"] + zkeys + [ByteString(String(nextSync))])
                nextSync += 20
            }
        }, { c in
            seconds(c) {
                _ = zAsync.execute(["EVALSHA", zAsyncSHA, "16"] + zkeys + [ByteString(String(nextAsync))])
                nextAsync += 20
            }
        })
        guard zAsync.execute(["ZCARD", "zset:0"]) == .integer(200_000), zSync.execute(["ZCARD", "zset:15"]) == .integer(200_000) else {
            fatalError("the sorted sets did not reach 200k members")
        }
        zaddRatios.append(tSync / tAsync)
    }
    report("16 keys x 20 ZADD, sets growing to 200k, -c 1", zaddRatios)

    // What two threads get from this machine right now: register arithmetic (ComputeChain)
    // on two threads against one, the ceiling for a parallel flush's gain.
    let sink = Mutex<UInt64>(0)
    var machineRatios: [Double] = []
    for round in 0..<rounds {
        let (two, one) = alternating(count: 2_000_000, chunk: 200_000, { c in
            timeParallel(threads: 2) { t in
                let v = ComputeChain.run(seed: UInt64(t + round), steps: 40 * c / 2)
                sink.withLock { $0 &+= v }
            }
        }, { c in
            seconds(1) { sink.withLock { $0 &+= ComputeChain.run(seed: UInt64(round), steps: 40 * c) } }
        })
        machineRatios.append(one / two)
    }
    report("machine: arithmetic, 2 threads vs 1 (same work)", machineRatios)

    // Two callers on disjoint keys.
    let ownLists: [[ByteString]] = [lists, ["m1", "m2", "m3", "m4", "m5"]]
    var twoRatios: [Double] = []
    for _ in 0..<rounds {
        let (tSync, tAsync) = alternating(count: 20_000, chunk: 2_000, { c in
            timeParallel(threads: 2) { t in
                for _ in 0..<c { _ = seedSync.execute(["EVALSHA", seedSyncSHA, "5"] + ownLists[t] + [messages]) }
            }
        }, { c in
            timeParallel(threads: 2) { t in
                for _ in 0..<c { _ = seedAsync.execute(["EVALSHA", seedAsyncSHA, "5"] + ownLists[t] + [messages]) }
            }
        })
        twoRatios.append(tSync / tAsync)
    }
    report("seed script, 2 callers on disjoint keys (combined)", twoRatios)
}
