import LuaStoreCore
import TestSupport

/// Keys: DEL UNLINK EXISTS TOUCH TYPE EXPIRE PEXPIRE EXPIREAT PEXPIREAT (NX XX GT LT) TTL PTTL
/// EXPIRETIME PEXPIRETIME PERSIST RENAME RENAMENX COPY KEYS SCAN RANDOMKEY DBSIZE PING ECHO,
/// on string keys (collection types join in `mixedTypeCommand`).
extension CommandGenerator {
    mutating func keyCommand() -> DifferentialStep {
        switch rng.below(30) {
        case 0, 1, 2: return command([name("SET"), key(), value()] + maybe(40, [["EX", relativeSeconds()], ["PX", relativeMilliseconds()]]))
        case 3: return command([name("INCR"), key()])
        case 4: return command([name("DEL")] + keys(1...3))
        case 5: return command([name("UNLINK")] + keys(1...3))
        case 6: return command([name("EXISTS")] + keys(1...4))
        case 7: return command([name("TOUCH")] + keys(1...3))
        case 8: return command([name("TYPE"), key()])
        case 9, 10: return command([name("EXPIRE"), key(), relativeSeconds()] + expireCondition())
        case 11: return command([name("PEXPIRE"), key(), relativeMilliseconds()] + expireCondition())
        case 12: return command([name("EXPIREAT"), key(), absoluteSeconds()] + expireCondition())
        case 13: return command([name("PEXPIREAT"), key(), absoluteMilliseconds()] + expireCondition())
        case 14, 15: return command([name("TTL"), key()], .time(tolerance: 2))
        case 16: return command([name("PTTL"), key()], .time(tolerance: 2_000))
        case 17: return command([name("EXPIRETIME"), key()], .time(tolerance: 2))
        case 18: return command([name("PEXPIRETIME"), key()], .time(tolerance: 2_000))
        case 19: return command([name("PERSIST"), key()])
        case 20: return command([name("RENAME"), key(), key()])
        case 21: return command([name("RENAMENX"), key(), key()])
        case 22: return command([name("COPY"), key(), key()] + copyOptions())
        case 23: return command([name("KEYS"), pattern()], .unordered)
        case 24: return command([name("DBSIZE")])
        case 25: return command([name("PING")] + maybe(50, [[value()]]))
        case 26: return command([name("ECHO"), value()])
        case 27: return command([name("GET"), key()])
        case 28: return chance(85) ? scan() : command([name(pick(["NOSUCHCOMMAND", "GETX", "EXPIRES"]))] + keys(0...2))
        default: return randomKey()
        }
    }

    /// NX XX GT LT, mostly none, sometimes two (which Redis rejects).
    mutating func expireCondition() -> [ByteString] {
        var options: [ByteString] = []
        if chance(40) { options.append(pick(["NX", "XX", "GT", "LT", "gt"])) }
        if chance(5) { options.append(pick(["NX", "XX", "GT", "LT", "BOGUS"])) }
        return options
    }

    mutating func copyOptions() -> [ByteString] {
        var options: [[ByteString]] = []
        if chance(40) { options.append(["REPLACE"]) }
        // Only DB 0: LuaStore has one database, and COPY into db 1 would change the reference only.
        if chance(10) { options.append(["DB", pick(["0", "abc", "-1"])]) }
        if chance(3) { options.append(["BOGUS"]) }
        if options.count == 2 && chance(50) { options.swapAt(0, 1) }
        return options.flatMap { $0 }
    }

    /// Glob patterns: `*`, `?`, classes, ranges, negation, escapes, binary.
    mutating func pattern() -> ByteString {
        pick(["*", "k*", "k?", "*1", "k[0-2]", "k[^0]", "k[!1]", "*-*", "key:*", "?", "",
              "k\\*", "[a-z]*", "*14", "nomatch*", ByteString([0x00, 0x2A]), "**", "k[", "[k]?"])
    }

    /// SCAN with MATCH/COUNT/TYPE, compared as a full iteration.
    mutating func scan() -> DifferentialStep {
        var argv: [ByteString] = [name("SCAN"), "0"]
        if chance(40) { argv += ["MATCH", pattern()] }
        if chance(40) { argv += ["COUNT", pick(["1", "2", "5", "10", "1000"])] }
        if chance(30) { argv += ["TYPE", pick(["string", "list", "set", "zset", "hash", "none", "bogus"])] }
        if chance(2) { argv += [pick(["COUNT", "MATCH", "BOGUS"])] }
        if chance(2) { argv += ["COUNT", pick(["0", "-1", "abc"])] }
        return .iteration(DifferentialIteration(argv: argv, cursorIndex: 1, pairs: false))
    }

    /// RANDOMKEY: any existing key (the probe lists them), or nil on an empty store.
    mutating func randomKey() -> DifferentialStep {
        .command(DifferentialCommand(
            argv: [name("RANDOMKEY")],
            judgement: .valid { probes, reference, subject in
                if reference == subject { return nil }
                guard case .bulk(let key) = subject, case .array(let keys) = probes.first else {
                    return "RANDOMKEY reply is not a bulk key (redis-server gave \(reference.diffDescription))"
                }
                return keys.contains(.bulk(key)) ? nil : "RANDOMKEY returned a key that does not exist"
            },
            probes: [["KEYS", "*"]]))
    }
}
