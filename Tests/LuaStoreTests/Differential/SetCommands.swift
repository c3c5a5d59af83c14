import LuaStoreCore
import TestSupport

/// Sets: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE SINTER
/// SINTERCARD SUNION SDIFF SINTERSTORE SUNIONSTORE SDIFFSTORE SSCAN.
extension CommandGenerator {
    /// Members: small integers (intset), strings, tricky bytes.
    mutating func member() -> ByteString {
        switch rng.below(10) {
        case 0..<4: return ByteString(String(int(-3...12)))
        case 4..<8: return pick(["a", "b", "c", "d", "e", "f"])
        default: return value()
        }
    }

    /// Occasionally many members: past 128 (listpack/hashtable) and past 512 integers (intset).
    mutating func members() -> [ByteString] {
        switch rng.below(100) {
        case 0..<3: return (0..<int(100...200)).map { _ in ByteString("m\(rng.below(300))") }
        case 3..<5: return (0..<int(300...600)).map { _ in ByteString(String(rng.below(700))) }
        default: return (0..<int(1...4)).map { _ in member() }
        }
    }

    mutating func setCommand() -> DifferentialStep {
        switch rng.below(30) {
        case 0, 1, 2, 3: return command([name("SADD"), key()] + members())
        case 4, 5: return command([name("SREM"), key()] + members())
        case 6, 7: return command([name("SMEMBERS"), key()], .unordered)
        case 8: return command([name("SISMEMBER"), key(), member()])
        case 9: return command([name("SMISMEMBER"), key()] + (0..<int(1...4)).map { _ in member() })
        case 10: return command([name("SCARD"), key()])
        case 11: return spop()
        case 12: return srandmember()
        case 13: return command([name("SMOVE"), key(), key(), member()])
        case 14: return command([name("SINTER")] + keys(1...3), .unordered)
        case 15: return command([name("SINTERCARD")] + numkeysAndKeys() + maybe(40, [["LIMIT", pick(["0", "1", "2", "-1", "abc"])]]))
        case 16: return command([name("SUNION")] + keys(1...3), .unordered)
        case 17: return command([name("SDIFF")] + keys(1...3), .unordered)
        case 18: return command([name("SINTERSTORE"), key()] + keys(1...3))
        case 19: return command([name("SUNIONSTORE"), key()] + keys(1...3))
        case 20: return command([name("SDIFFSTORE"), key()] + keys(1...3))
        case 21: return collectionScan("SSCAN", pairs: false)
        case 22: return command(chance(40) ? [name("SET"), key(), value()] : [name("DEL"), key()])
        case 23: return command([name("TYPE"), key()])
        case 24: return command([name("DEL"), key()])
        default: return command([name("SCARD"), key()])
        }
    }

    /// `numkeys key...`, numkeys sometimes wrong.
    mutating func numkeysAndKeys() -> [ByteString] {
        let chosen = keys(1...3)
        if chance(5) { return [pick(["0", "-1", "abc", "4"])] + chosen }
        return [ByteString(String(chosen.count))] + chosen
    }

    /// SSCAN/HSCAN/ZSCAN key cursor [MATCH] [COUNT], compared as a full iteration.
    mutating func collectionScan(_ command: String, pairs: Bool) -> DifferentialStep {
        var argv: [ByteString] = [name(command), key(), "0"]
        if chance(40) { argv += ["MATCH", pick(["*", "a*", "*1*", "m1?", "[a-c]", "e*", "nomatch"])] }
        if chance(40) { argv += ["COUNT", pick(["1", "3", "10", "1000"])] }
        if chance(2) { argv += [pick(["COUNT", "BOGUS"])] }
        return .iteration(DifferentialIteration(argv: argv, cursorIndex: 2, pairs: pairs))
    }

    /// SPOP: the popped members must come from the set (probed first); afterwards the
    /// subject is given the reference's remaining members so both sides agree again.
    mutating func spop() -> DifferentialStep {
        let k = key()
        var argv: [ByteString] = [name("SPOP"), k]
        if chance(50) { argv.append(pick(["0", "1", "2", "5", "200", "-1", "abc"])) }
        argv = mutateArity(argv)
        return .command(DifferentialCommand(
            argv: argv,
            judgement: .valid { probes, reference, subject in
                RandomReplyCheck.members(probes[0], reference: reference, subject: subject, distinct: true)
            },
            probes: [["SMEMBERS", k]],
            resynchronise: { _, reference, subject in
                let popped: (Reply) -> [ByteString] = { reply in
                    switch reply {
                    case .bulk(let m): return [m]
                    case .array(let items): return items.compactMap(\.byteStringValue)
                    default: return []
                    }
                }
                let theirs = popped(reference), ours = popped(subject)
                guard theirs.sorted() != ours.sorted() else { return [] }
                var commands: [[ByteString]] = []
                if !ours.isEmpty { commands.append(["SADD", k] + ours) }
                if !theirs.isEmpty { commands.append(["SREM", k] + theirs) }
                return commands
            }))
    }

    mutating func srandmember() -> DifferentialStep {
        let k = key()
        var argv: [ByteString] = [name("SRANDMEMBER"), k]
        if chance(60) { argv.append(pick(["0", "1", "3", "-3", "200", "-200", "abc", "-9223372036854775808"])) }
        argv = mutateArity(argv)
        let negative = argv.count == 3 && argv[2].string.hasPrefix("-")
        return .command(DifferentialCommand(
            argv: argv,
            judgement: .valid { probes, reference, subject in
                RandomReplyCheck.members(probes[0], reference: reference, subject: subject, distinct: !negative)
            },
            probes: [["SMEMBERS", k]]))
    }
}

/// Checks a random reply (SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER) against what Redis
/// could have returned: same shape and size as the reference's reply, drawn from the
/// collection's contents as probed before the command.
enum RandomReplyCheck {
    /// `contents`: the probe reply (a flat array of members, or of member/value pairs when
    /// `pairsInContents`); `reference`/`subject`: a bulk, nil, error or array of members
    /// (or flat member/value pairs when `withPairs`). `distinct`: no element may repeat
    /// (positive counts).
    static func members(
        _ contents: Reply, reference: Reply, subject: Reply, distinct: Bool, pairsInContents: Bool = false,
        withPairs: Bool = false
    ) -> String? {
        if reference == subject { return nil }
        let all: [Reply] = contents.arrayValue ?? []
        var universe = Set<[Reply]>()
        if pairsInContents {
            for pair in Judgement.pairs(all) { universe.insert(withPairs ? pair : [pair[0]]) }
        } else {
            for member in all { universe.insert([member]) }
        }
        switch (reference, subject) {
        case (.bulk, .bulk(let m)):
            return universe.contains([.bulk(m)]) ? nil : "random member is not in the collection"
        case (.array(let r), .array(let s)):
            guard r.count == s.count else { return "random reply has \(s.count) elements, redis-server's \(r.count)" }
            let groups = withPairs ? Judgement.pairs(s) : s.map { [$0] }
            for group in groups where !universe.contains(group) {
                return "random reply element \(group.map(\.diffDescription)) is not in the collection"
            }
            if distinct && Set(groups).count != groups.count { return "random reply repeats an element" }
            return nil
        default:
            return "random reply differs in kind"
        }
    }
}
