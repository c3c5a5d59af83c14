import LuaStoreCore
import TestSupport

/// Sorted sets: ZADD ZINCRBY ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT ZRANK ZREVRANK ZRANGE
/// ZRANGESTORE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREVRANGE ZREM
/// ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX ZMPOP BZMPOP BZPOPMIN BZPOPMAX
/// ZRANDMEMBER ZUNION ZINTER ZDIFF ZUNIONSTORE ZINTERSTORE ZDIFFSTORE ZINTERCARD ZSCAN.
/// Sets share the keys (ZUNIONSTORE accepts them) and strings too (WRONGTYPE).
extension CommandGenerator {
    mutating func score() -> ByteString {
        switch rng.below(20) {
        case 0..<10: return ByteString(String(int(-5...20)))
        case 10..<13: return pick(["1.5", "-2.5", "0.1", "3.0", "1e3", "1E-5", "0.30000000000000004", "-0"])
        case 13: return pick(["inf", "-inf", "+inf", "1e308", "1.7976931348623157e308", "5e-324"])
        case 14: return pick(["nan", "abc", "", "(1", "1 ", "0x10"])
        default: return ByteString(String(rng.below(1000)))
        }
    }

    mutating func scoreBound() -> ByteString {
        switch rng.below(12) {
        case 0: return pick(["-inf", "+inf", "inf", "(-inf", "(+inf"])
        case 1: return pick(["nan", "abc", "((1", "", "[1"])
        case 2, 3, 4: return ByteString("(\(int(-5...20))")
        case 5: return pick(["1.5", "(2.5", "-0.5", "1e1"])
        default: return ByteString(String(int(-5...20)))
        }
    }

    mutating func lexBound() -> ByteString {
        switch rng.below(10) {
        case 0: return pick(["-", "+"])
        case 1: return pick(["a", "", "(", "[", "*"])
        default: return ByteString(pick(["[", "("]) + pick(["a", "b", "c", "d", "1", "5", "m1", "m5", ""]))
        }
    }

    /// Occasionally many members, past the 128-entry listpack limit.
    mutating func scoreMemberPairs() -> [ByteString] {
        if chance(4) {
            return (0..<int(100...200)).flatMap { _ in [ByteString(String(rng.below(500))), ByteString("m\(rng.below(300))")] }
        }
        return (0..<int(1...4)).flatMap { _ in [score(), member()] }
    }

    mutating func limit() -> [ByteString] {
        ["LIMIT", pick(["0", "1", "2", "-1", "abc", "0"]), pick(["1", "2", "5", "-1", "0", "100", "abc"])]
    }

    mutating func sortedSetCommand() -> DifferentialStep {
        switch rng.below(48) {
        case 0, 1, 2, 3:
            let options = zaddOptions()
            var pairs = options.contains("INCR") && chance(80) ? [score(), member()] : scoreMemberPairs()
            // A third of the time one score for all: lex ranges are only well ordered then.
            if chance(33) { for i in stride(from: 0, to: pairs.count, by: 2) { pairs[i] = "0" } }
            return command([name("ZADD"), key()] + options + pairs)
        case 4: return command([name("ZINCRBY"), key(), score(), member()])
        case 5: return command([name("ZSCORE"), key(), member()])
        case 6: return command([name("ZMSCORE"), key()] + (0..<int(1...4)).map { _ in member() })
        case 7: return command([name("ZCARD"), key()])
        case 8: return command([name("ZCOUNT"), key(), scoreBound(), scoreBound()])
        case 9: return lexCommand([name("ZLEXCOUNT"), key(), lexBound(), lexBound()], source: 1)
        case 10: return command([name("ZRANK"), key(), member()])
        case 11: return command([name("ZREVRANK"), key(), member()])
        case 12, 13, 14: return lexCommand([name("ZRANGE"), key()] + zrangeArguments(), source: 1)
        case 15: return lexCommand([name("ZRANGESTORE"), key(), key()] + zrangeArguments(withScores: false),
                                   source: 2, destination: 1)
        case 16: return command([name("ZRANGEBYSCORE"), key(), scoreBound(), scoreBound()] + byScoreOptions())
        case 17: return command([name("ZREVRANGEBYSCORE"), key(), scoreBound(), scoreBound()] + byScoreOptions())
        case 18: return lexCommand([name("ZRANGEBYLEX"), key(), lexBound(), lexBound()] + maybe(30, [limit()]), source: 1)
        case 19: return lexCommand([name("ZREVRANGEBYLEX"), key(), lexBound(), lexBound()] + maybe(30, [limit()]), source: 1)
        case 20: return command([name("ZREVRANGE"), key(), index(), index()] + maybe(40, [["WITHSCORES"]]))
        case 21: return command([name("ZREM"), key()] + (0..<int(1...4)).map { _ in member() })
        case 22: return command([name("ZREMRANGEBYRANK"), key(), index(), index()])
        case 23: return command([name("ZREMRANGEBYSCORE"), key(), scoreBound(), scoreBound()])
        case 24: return lexCommand([name("ZREMRANGEBYLEX"), key(), lexBound(), lexBound()], source: 1, destination: 1)
        case 25: return command([name("ZPOPMIN"), key()] + maybe(50, [[count(0...5)], [count(0...300)]]))
        case 26: return command([name("ZPOPMAX"), key()] + maybe(50, [[count(0...5)], [count(0...300)]]))
        case 27:
            // BZMPOP on some of these, chosen from the arguments so that the random stream
            // (and every later step of a seed) stays as it was before BZMPOP existed.
            let name = name("ZMPOP")
            let arguments = multiKeyPop(directions: ["MIN", "MAX", "min"])
            let bytes = arguments.reduce(0) { $0 + $1.count }
            guard bytes % 2 == 0 else { return command([name] + arguments) }
            let timeout: ByteString = ["0", "0.01", "-1", "x", "0", "1"][bytes / 2 % 6]
            return blocking([ByteString("B" + name.string), timeout] + arguments)
        case 28: return blocking([name("BZPOPMIN")] + keys(1...3) + [timeout()])
        case 29: return blocking([name("BZPOPMAX")] + keys(1...3) + [timeout()])
        case 30: return zrandmember()
        case 31: return command([name("ZUNION")] + numkeysAndKeys() + aggregateOptions(withScores: true))
        case 32: return command([name("ZINTER")] + numkeysAndKeys() + aggregateOptions(withScores: true))
        case 33: return command([name("ZDIFF")] + numkeysAndKeys() + maybe(50, [["WITHSCORES"]]))
        case 34: return command([name("ZUNIONSTORE"), key()] + numkeysAndKeys() + aggregateOptions(withScores: false))
        case 35: return command([name("ZINTERSTORE"), key()] + numkeysAndKeys() + aggregateOptions(withScores: false))
        case 36: return command([name("ZDIFFSTORE"), key()] + numkeysAndKeys())
        case 37: return command([name("ZINTERCARD")] + numkeysAndKeys() + maybe(40, [["LIMIT", pick(["0", "1", "3", "-1", "abc"])]]))
        case 38: return collectionScan("ZSCAN", pairs: true)
        case 39: return command([name("SADD"), key()] + (0..<int(1...3)).map { _ in member() })
        case 40: return command(chance(40) ? [name("SET"), key(), value()] : [name("DEL"), key()])
        case 41: return command([name("TYPE"), key()])
        case 42: return command([name("DEL"), key()])
        default: return command([name("ZRANGE"), key(), "0", "-1", "WITHSCORES"])
        }
    }

    /// NX XX GT LT CH INCR, sometimes in combinations Redis rejects.
    mutating func zaddOptions() -> [ByteString] {
        var options: [ByteString] = []
        if chance(20) { options.append(pick(["NX", "XX"])) }
        if chance(15) { options.append(pick(["GT", "LT"])) }
        if chance(20) { options.append("CH") }
        if chance(10) { options.append("INCR") }
        if chance(3) { options.append(pick(["NX", "XX", "GT", "LT", "ch"])) }
        for i in options.indices.reversed() where i > 0 { options.swapAt(i, rng.below(i + 1)) }
        return options
    }

    /// `start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]` with bounds that
    /// fit the mode (mostly).
    mutating func zrangeArguments(withScores: Bool = true) -> [ByteString] {
        var argv: [ByteString]
        let mode = rng.below(3)
        switch mode {
        case 0: argv = [index(), index()]
        case 1: argv = [scoreBound(), scoreBound(), "BYSCORE"]
        default: argv = [lexBound(), lexBound(), "BYLEX"]
        }
        if chance(30) { argv.append("REV") }
        if chance(30) { argv += limit() }
        if withScores && chance(35) { argv.append(pick(["WITHSCORES", "withscores"])) }
        if chance(3) { argv.append(pick(["BYSCORE", "BYLEX", "REV", "LIMIT", "BOGUS"])) }
        return argv
    }

    mutating func byScoreOptions() -> [ByteString] {
        var options: [[ByteString]] = []
        if chance(40) { options.append(["WITHSCORES"]) }
        if chance(30) { options.append(limit()) }
        if options.count == 2 && chance(50) { options.swapAt(0, 1) }
        return options.flatMap { $0 }
    }

    /// WEIGHTS (count sometimes wrong) and AGGREGATE, and WITHSCORES for the non-store forms.
    mutating func aggregateOptions(withScores: Bool) -> [ByteString] {
        var options: [[ByteString]] = []
        if chance(30) { options.append(["WEIGHTS"] + (0..<int(1...3)).map { _ in pick(["1", "2", "0", "-1", "0.5", "inf", "abc"]) }) }
        if chance(30) { options.append(["AGGREGATE", pick(["SUM", "MIN", "MAX", "max", "AVG"])]) }
        if withScores && chance(40) { options.append(["WITHSCORES"]) }
        for i in options.indices.reversed() where i > 0 { options.swapAt(i, rng.below(i + 1)) }
        return options.flatMap { $0 }
    }

    mutating func zrandmember() -> DifferentialStep {
        let k = key()
        var argv: [ByteString] = [name("ZRANDMEMBER"), k]
        if chance(60) { argv.append(pick(["0", "1", "3", "-3", "200", "-200", "abc"])) }
        if argv.count == 3 && chance(40) { argv.append("WITHSCORES") }
        argv = mutateArity(argv)
        let negative = argv.count >= 3 && argv[2].string.hasPrefix("-")
        let withScores = argv.count == 4 && argv[3] == "WITHSCORES"
        return .command(DifferentialCommand(
            argv: argv,
            judgement: .valid { probes, reference, subject in
                RandomReplyCheck.members(probes[0], reference: reference, subject: subject, distinct: !negative,
                                         pairsInContents: true, withPairs: withScores)
            },
            probes: [["ZRANGE", k, "0", "-1", "WITHSCORES"]]))
    }

    /// A command that may take a lex range of `argv[source]`. Redis defines lex ranges only
    /// when all scores are equal; with mixed scores a listpack is still scanned linearly
    /// (deterministic, compared exactly), but a skiplist answers by its random tower heights,
    /// so two redis-servers disagree. Probes tell which case holds: exact in the first two,
    /// otherwise only the kind of reply is compared, and a range removal or store into
    /// `argv[destination]` is copied from the reference to the subject afterwards.
    mutating func lexCommand(_ argv: [ByteString], source: Int, destination: Int? = nil) -> DifferentialStep {
        let argv = mutateArity(argv)
        let isLex = !argv[0].string.uppercased().hasSuffix("RANGE") && !argv[0].string.uppercased().hasSuffix("RANGESTORE")
            || argv.contains { $0.string.uppercased() == "BYLEX" }
        guard isLex, argv.count > source else { return .command(DifferentialCommand(argv: argv)) }
        let key = argv[source]
        let probes: [[ByteString]] = [
            ["OBJECT", "ENCODING", key], ["ZRANGE", key, "0", "0", "WITHSCORES"], ["ZRANGE", key, "-1", "-1", "WITHSCORES"],
        ]
        func defined(_ probes: [Reply]) -> Bool {
            guard probes.count >= 3, probes[0] == .bulk("skiplist") else { return true }
            guard case .array(let first) = probes[1], case .array(let last) = probes[2],
                  first.count == 2, last.count == 2 else { return true }
            return first[1] == last[1]
        }
        var command = DifferentialCommand(
            argv: argv,
            judgement: .valid { probes, reference, subject in
                if defined(probes) || reference == subject { return reference == subject ? nil : "replies differ" }
                switch (reference, subject) {
                case (.integer, .integer), (.array, .array): return nil
                default: return "replies differ in kind (lex range over mixed scores in a skiplist)"
                }
            },
            probes: probes)
        if let destination, argv.count > destination {
            let target = argv[destination]
            command.followUps = [["ZRANGE", target, "0", "-1", "WITHSCORES"]]
            command.resynchronise = { replies, _, _ in
                guard !defined(replies), case .array(let contents) = replies.last else { return [] }
                var commands: [[ByteString]] = [["DEL", target]]
                let pairs = Judgement.pairs(contents).compactMap { pair -> [ByteString]? in
                    guard let member = pair[0].byteStringValue, let score = pair[1].byteStringValue else { return nil }
                    return [score, member]
                }
                if !pairs.isEmpty { commands.append(["ZADD", target] + pairs.flatMap { $0 }) }
                return commands
            }
        }
        return .command(command)
    }
}
