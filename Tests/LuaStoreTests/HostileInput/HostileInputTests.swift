import LuaStoreCore
import Testing
@testable import LuaStore
import TestSupport

/// Random argument vectors for every command: extreme and malformed numbers, options in
/// the wrong places, empty and binary strings, random scripts. Nothing may crash, and a
/// command that answers with an error must leave the keyspace as it was (scripts aside:
/// as in Redis, writes a script made before its error stay).
@Suite struct HostileInputTests {
    static let tokens: [String] = [
        "k0", "k1", "k2", "{k}0", "0", "1", "-1", "2", "3", "10", "-10", "100",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551616",
        "4294967296", "2147483648", "1e308", "-1e308", "inf", "-inf", "+inf", "nan", "1.5", "-0", "0x10",
        " 1", "", "(1", "[a", "(a", "-", "+", "[", "(", "a", "b", "NX", "XX", "GT", "LT", "CH", "INCR",
        "EX", "PX", "EXAT", "PXAT", "KEEPTTL", "GET", "STICK", "WITHSCORES", "LIMIT", "BYSCORE", "BYLEX",
        "REV", "REPLACE", "MATCH", "COUNT", "TYPE", "RANK", "MAXLEN", "LEFT", "RIGHT", "BEFORE", "AFTER",
        "MIN", "MAX", "WEIGHTS", "AGGREGATE", "SUM", "WITHVALUES", "*", "k*", "?", "\\", "[a-",
        "x\u{0}y", "\u{FF}", String(repeating: "z", count: 300),
    ]
    static let scripts: [String] = [
        "return 1", "return redis.call('set', KEYS[1], ARGV[1])", "return redis.pcall('incr', KEYS[1])",
        "error('x')", "return redis.error_reply('E')", "return {1, 'a', {2}}", "return redis.call('nosuch')",
        "return redis.call('lpush', KEYS[1], ARGV[1])", "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'v')",
        "local t = {} t[1] = t return t", "return cjson.decode(string.rep('[', 5000))",
    ]

    /// The whole keyspace as text: every key, its type, TTL and contents.
    static func snapshot(_ store: LuaStore) -> String {
        guard case .array(let keys) = store.execute(["KEYS", "*"]) else { return "KEYS failed" }
        var lines: [String] = []
        for case .bulk(let key) in keys {
            let k = key.description
            var line = "\(k) \(store.execute(["TYPE", k])) \(store.execute(["PTTL", k])) "
            switch store.execute(["TYPE", k]) {
            case .status("string"): line += "\(store.execute(["GET", k]))"
            case .status("list"): line += "\(store.execute(["LRANGE", k, "0", "-1"]))"
            case .status("set"): line += "\(sorted(store.execute(["SMEMBERS", k])))"
            case .status("zset"): line += "\(store.execute(["ZRANGE", k, "0", "-1", "WITHSCORES"]))"
            case .status("hash"): line += "\(sorted(store.execute(["HGETALL", k])))"
            default: line += "?"
            }
            lines.append(line)
        }
        return lines.sorted().joined(separator: "\n")
    }

    static func sorted(_ reply: Reply) -> [String] {
        guard case .array(let items) = reply else { return ["\(reply)"] }
        return items.map { "\($0)" }.sorted()
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomArgumentsNeverCrashAndFailedCommandsChangeNothing(seed: UInt64) {
        let store = LuaStore(configuration: .init(clock: ManualClock()))
        let names = store.core.commands.allCommands.map(\.name).sorted()
        var rng = SplitMix64(seed: seed)
        var failures = 0, checked = 0
        for _ in 0..<3_000 {
            var argv = [rng.pick(names)]
            if rng.chance(10) { argv[0] = argv[0].uppercased() }
            let isScript = ["eval", "evalsha", "fcall", "function", "script"].contains(argv[0].lowercased())
            if argv[0].lowercased() == "eval" {
                argv += [rng.pick(HostileInputTests.scripts), rng.pick(["0", "1", "2", "-1", "x"])]
            }
            for _ in 0..<rng.below(8) { argv.append(rng.pick(HostileInputTests.tokens)) }
            // Only some failures are compared, to keep the snapshot's cost down.
            let compare = !isScript && rng.chance(25)
            let before = compare ? HostileInputTests.snapshot(store) : ""
            let reply = store.execute(argv)
            guard case .error = reply else { continue }
            failures += 1
            guard compare else { continue }
            checked += 1
            #expect(HostileInputTests.snapshot(store) == before, "\(argv) failed with \(reply) but changed the keyspace")
        }
        #expect(failures > 1_000)
        #expect(checked > 200)
    }
}
