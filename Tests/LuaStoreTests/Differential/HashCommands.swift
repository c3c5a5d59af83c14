import LuaStoreCore
import TestSupport

/// Hashes: HSET HSETNX HGET HMGET HMSET HGETALL HDEL HEXISTS HLEN HKEYS HVALS HINCRBY
/// HINCRBYFLOAT HSTRLEN HRANDFIELD HSCAN. HGETALL/HKEYS/HVALS are compared in order while
/// redis-server holds the hash as a listpack (insertion order), as multisets otherwise.
extension CommandGenerator {
    mutating func field() -> ByteString {
        chance(75) ? pick(["f1", "f2", "f3", "f4", "n", "x", "1"]) : value()
    }

    /// Occasionally many fields (past 128 entries) or a value past 64 bytes: either makes
    /// redis-server convert the listpack to a hashtable.
    mutating func fieldValuePairs() -> [ByteString] {
        if chance(4) {
            return (0..<int(100...200)).flatMap { _ in [ByteString("f\(rng.below(300))"), ByteString(String(rng.below(1000)))] }
        }
        return (0..<int(1...3)).flatMap { _ in [field(), value()] }
    }

    mutating func hashCommand() -> DifferentialStep {
        switch rng.below(30) {
        case 0, 1, 2, 3: return command([name("HSET"), key()] + fieldValuePairs())
        case 4: return command([name("HSETNX"), key(), field(), value()])
        case 5, 6: return command([name("HGET"), key(), field()])
        case 7: return command([name("HMGET"), key()] + (0..<int(1...4)).map { _ in field() })
        case 8: return command([name("HMSET"), key()] + fieldValuePairs())
        case 9, 10: return inOrderWhileListpack([name("HGETALL"), key()], otherwise: .unorderedPairs)
        case 11: return command([name("HDEL"), key()] + (0..<int(1...3)).map { _ in field() })
        case 12: return command([name("HEXISTS"), key(), field()])
        case 13: return command([name("HLEN"), key()])
        case 14: return inOrderWhileListpack([name("HKEYS"), key()], otherwise: .unordered)
        case 15: return inOrderWhileListpack([name("HVALS"), key()], otherwise: .unordered)
        case 16, 17: return command([name("HINCRBY"), key(), field(), integer()])
        case 18, 19: return command([name("HINCRBYFLOAT"), key(), field(), float()])
        case 20: return command([name("HSTRLEN"), key(), field()])
        case 21: return hrandfield()
        case 22: return collectionScan("HSCAN", pairs: true)
        case 23: return command(chance(40) ? [name("SET"), key(), value()] : [name("DEL"), key()])
        case 24: return command([name("TYPE"), key()])
        case 25: return command([name("DEL"), key()])
        default: return command([name("HLEN"), key()])
        }
    }

    mutating func inOrderWhileListpack(_ argv: [ByteString], otherwise: Judgement) -> DifferentialStep {
        let argv = mutateArity(argv)
        let probe: [ByteString] = ["OBJECT", "ENCODING", argv.count > 1 ? argv[1] : "none"]
        return .command(DifferentialCommand(
            argv: argv, judgement: .byEncoding(["listpack", "ziplist"], ordered: .exact, otherwise: otherwise),
            probes: [probe]))
    }

    mutating func hrandfield() -> DifferentialStep {
        let k = key()
        var argv: [ByteString] = [name("HRANDFIELD"), k]
        if chance(60) { argv.append(pick(["0", "1", "3", "-3", "200", "-200", "abc"])) }
        if argv.count == 3 && chance(40) { argv.append("WITHVALUES") }
        argv = mutateArity(argv)
        let negative = argv.count >= 3 && argv[2].string.hasPrefix("-")
        let withValues = argv.count == 4 && argv[3] == "WITHVALUES"
        return .command(DifferentialCommand(
            argv: argv,
            judgement: .valid { probes, reference, subject in
                RandomReplyCheck.members(probes[0], reference: reference, subject: subject, distinct: !negative,
                                         pairsInContents: true, withPairs: withValues)
            },
            probes: [["HGETALL", k]]))
    }
}
