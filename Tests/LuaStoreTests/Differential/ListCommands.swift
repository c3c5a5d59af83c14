import LuaStoreCore
import TestSupport

/// Lists: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LINSERT LREM LTRIM LPOS
/// LMOVE RPOPLPUSH LMPOP, and BLPOP BRPOP BLMOVE BLMPOP BRPOPLPUSH (which `execute` runs without
/// blocking, as Redis does inside MULTI or a script). Strings share the keys (WRONGTYPE).
extension CommandGenerator {
    /// Elements: few distinct ones, so LREM/LPOS/LINSERT find matches, plus tricky bytes.
    mutating func element() -> ByteString {
        chance(70) ? pick(["a", "b", "c", "1", "2", "-1"]) : value()
    }

    /// Occasionally many elements, so lists pass 128 entries and leave the compact encoding.
    mutating func elements() -> [ByteString] {
        if chance(4) { return (0..<int(60...200)).map { _ in chance(80) ? ByteString("e\(rng.below(50))") : element() } }
        return (0..<int(1...4)).map { _ in element() }
    }

    mutating func side() -> ByteString { chance(97) ? pick(["LEFT", "RIGHT", "left", "right"]) : "UP" }

    mutating func listCommand() -> DifferentialStep {
        switch rng.below(36) {
        case 0, 1, 2: return command([name("LPUSH"), key()] + elements())
        case 3, 4, 5: return command([name("RPUSH"), key()] + elements())
        case 6: return command([name("LPUSHX"), key()] + elements())
        case 7: return command([name("RPUSHX"), key()] + elements())
        case 8: return command([name("LPOP"), key()] + maybe(40, [[count(0...5)], [count(0...300)]]))
        case 9: return command([name("RPOP"), key()] + maybe(40, [[count(0...5)], [count(0...300)]]))
        case 10: return command([name("LLEN"), key()])
        case 11, 12, 13: return command([name("LRANGE"), key(), index(), index()])
        case 14: return command([name("LRANGE"), key(), "0", "-1"])
        case 15: return command([name("LINDEX"), key(), index()])
        case 16: return command([name("LSET"), key(), index(), element()])
        case 17: return command([name("LINSERT"), key(), pick(["BEFORE", "AFTER", "after", "MIDDLE"]), element(), element()])
        case 18: return command([name("LREM"), key(), pick(["0", "1", "-1", "2", "-2", "100", "abc"]), element()])
        case 19: return command([name("LTRIM"), key(), index(), index()])
        case 20: return command([name("LPOS"), key(), element()] + lposOptions())
        case 21: return command([name("LMOVE"), key(), key(), side(), side()])
        case 22: return command([name("RPOPLPUSH"), key(), key()])
        case 23: return command([name("LMPOP")] + multiKeyPop(directions: ["LEFT", "RIGHT"]))
        case 24: return blocking([name("BLPOP")] + keys(1...3) + [timeout()])
        case 25: return blocking([name("BRPOP")] + keys(1...3) + [timeout()])
        case 26: return blocking([name("BLMOVE"), key(), key(), side(), side(), timeout()])
        case 27: return blocking([name("BRPOPLPUSH"), key(), key(), timeout()])
        case 28: return blocking([name("BLMPOP"), timeout()] + multiKeyPop(directions: ["LEFT", "RIGHT"]))
        case 29: return command([name("TYPE"), key()])
        case 30: return command(chance(40) ? [name("SET"), key(), value()] : [name("DEL"), key()])
        case 31: return command([name("GET"), key()])
        case 32: return command([name("DEL"), key()])
        case 33: return command([name("EXISTS"), key()])
        default: return command([name("LRANGE"), key(), "0", "-1"])
        }
    }

    mutating func lposOptions() -> [ByteString] {
        var options: [[ByteString]] = []
        if chance(40) { options.append(["RANK", pick(["1", "2", "-1", "-2", "3", "0", "abc", "-9223372036854775808"])]) }
        if chance(40) { options.append(["COUNT", pick(["0", "1", "2", "5", "-1", "abc"])]) }
        if chance(25) { options.append(["MAXLEN", pick(["0", "1", "3", "10", "-1", "abc"])]) }
        if chance(3) { options.append([pick(["RANK", "COUNT", "BOGUS"])]) }
        for i in options.indices.reversed() where i > 0 { options.swapAt(i, rng.below(i + 1)) }
        return options.flatMap { $0 }
    }

    /// `numkeys key... direction [COUNT n]` for LMPOP/ZMPOP, numkeys sometimes wrong.
    mutating func multiKeyPop(directions: [ByteString]) -> [ByteString] {
        let chosen = keys(1...3)
        var numkeys = ByteString(String(chosen.count))
        if chance(5) { numkeys = pick(["0", "-1", "abc", "5", ByteString(String(chosen.count + 1))]) }
        var argv = [numkeys] + chosen + [chance(97) ? pick(directions) : "BOGUS"]
        if chance(40) { argv += ["COUNT", pick(["1", "2", "3", "10", "0", "-1", "abc"])] }
        return argv
    }

    mutating func timeout() -> ByteString {
        chance(95) ? pick(["0", "1", "0.5", "10"]) : pick(["-1", "abc", "inf", ""])
    }

    /// A blocking command: redis-server runs it inside MULTI/EXEC, where it never blocks.
    mutating func blocking(_ argv: [ByteString]) -> DifferentialStep {
        .command(DifferentialCommand(argv: mutateArity(argv), referenceInTransaction: true))
    }
}
