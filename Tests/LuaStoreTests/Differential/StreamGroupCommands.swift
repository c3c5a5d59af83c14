import LuaStoreCore
import TestSupport

/// Stream consumer groups: XGROUP (CREATE with MKSTREAM and ENTRIESREAD, SETID, DESTROY,
/// CREATECONSUMER, DELCONSUMER) XREADGROUP (`>`, history, NOACK, COUNT) XACK XPENDING
/// (summary, extended, IDLE, consumer) XCLAIM (JUSTID, FORCE, IDLE, TIME, RETRYCOUNT,
/// LASTID) XAUTOCLAIM, with XADD and XDEL on the same keys so pending entries get deleted.
///
/// Idle times are the store clock's, read a few milliseconds apart on the two sides: the
/// minimum idle times are 0 or an hour, and IDLE sets deliveries a day back, so what is
/// claimed is the same; XPENDING's idle column is compared as "both within 1 s of each
/// other".
extension CommandGenerator {
    static let groupNames: [ByteString] = ["g1", "g2"]
    static let consumerNames: [ByteString] = ["c1", "c2", "c3"]

    mutating func groupKey() -> ByteString { chance(5) ? pick(["none", "s"]) : pick(["x0", "x1"]) }
    mutating func group() -> ByteString { chance(5) ? "nog" : pick(CommandGenerator.groupNames) }
    mutating func consumer() -> ByteString { pick(CommandGenerator.consumerNames) }
    mutating func minIdle() -> ByteString { pick(["0", "0", "3600000", "-5", "x"]) }

    mutating func streamGroupCommand() -> DifferentialStep {
        switch rng.below(30) {
        case 0...4: return command([name("XADD"), groupKey(), ByteString("\(int(0...20))-*"), "f", pick(CommandGenerator.streamValues)])
        case 5:
            var argv: [ByteString] = [name("XGROUP"), "CREATE", groupKey(), group(), pick(["$", "0", "3-0", "-", "bad"])]
            if chance(50) { argv.append(pick(["MKSTREAM", "mkstream"])) }
            if chance(20) { argv += ["ENTRIESREAD", pick(["0", "5", "-1", "-2", "x"])] }
            return command(argv)
        case 6:
            var argv: [ByteString] = [name("XGROUP"), "SETID", groupKey(), group(), pick(["$", "0", "5-0", "bad"])]
            if chance(20) { argv += ["ENTRIESREAD", pick(["3", "-1", "-3"])] }
            return command(argv)
        case 7: return command([name("XGROUP"), pick(["DESTROY", "destroy"]), groupKey(), group()])
        case 8: return command([name("XGROUP"), "CREATECONSUMER", groupKey(), group(), consumer()])
        case 9: return command([name("XGROUP"), "DELCONSUMER", groupKey(), group(), consumer()])
        case 10...14:
            var argv: [ByteString] = [name("XREADGROUP"), "GROUP", group(), consumer()]
            if chance(40) { argv += ["COUNT", pick(["1", "2", "0", "-1"])] }
            if chance(20) { argv.append("NOACK") }
            let keys = (0..<int(1...2)).map { _ in groupKey() }
            argv += ["STREAMS"] + keys + keys.map { _ in chance(75) ? ">" : pick(["0", "0-0", "3-0", "$", "bad"]) }
            return command(argv)
        case 15, 16: return command([name("XACK"), groupKey(), group()] + (0..<int(1...3)).map { _ in streamIDArgument(specials: ["-"]) })
        case 17, 18: return command([name("XPENDING"), groupKey(), group()])
        case 19, 20:
            var argv: [ByteString] = [name("XPENDING"), groupKey(), group()]
            if chance(30) { argv += ["IDLE", pick(["0", "3600000"])] }
            argv += [pick(["-", "0", "(2-0"]), pick(["+", "10", "(9-0"]), pick(["10", "1", "0", "-1", "x"])]
            if chance(40) { argv.append(consumer()) }
            return command(argv, .valid(Self.samePendingRows))
        case 21, 22:
            var argv: [ByteString] = [name("XCLAIM"), groupKey(), group(), consumer(), minIdle()]
            argv += (0..<int(1...3)).map { _ in streamID() }
            for _ in 0..<int(0...2) {
                argv += pick([["JUSTID"], ["FORCE"], ["IDLE", "86400000"], ["TIME", "1000"], ["RETRYCOUNT", pick(["0", "5", "x"])],
                              ["LASTID", streamID()], ["BOGUS"]])
            }
            return command(argv)
        case 23, 24:
            var argv: [ByteString] = [name("XAUTOCLAIM"), groupKey(), group(), consumer(), minIdle(), pick(["0", "-", "2-0", "(1-0", "bad"])]
            if chance(40) { argv += ["COUNT", pick(["1", "2", "0", "x"])] }
            if chance(30) { argv.append("JUSTID") }
            return command(argv)
        case 25, 26: return command([name("XDEL"), groupKey(), streamID()])
        case 27: return command([name("XTRIM"), groupKey(), "MAXLEN", pick(["0", "3"])])
        case 28: return command([name("DEL"), groupKey()])
        default: return command([name("XRANGE"), groupKey(), "-", "+"])
        }
    }

    /// XPENDING's extended rows equal but for the idle column, which may differ by the
    /// time between the two sides' commands.
    static func samePendingRows(_ probes: [Reply], _ reference: Reply, _ subject: Reply) -> String? {
        if reference == subject { return nil }
        guard case .array(let r) = reference, case .array(let s) = subject, r.count == s.count else { return "replies differ" }
        for (a, b) in zip(r, s) {
            guard case .array(let x) = a, case .array(let y) = b, x.count == 4, y.count == 4,
                  x[0] == y[0], x[1] == y[1], x[3] == y[3],
                  case .integer(let i) = x[2], case .integer(let j) = y[2], abs(i - j) < 1_000 else { return "replies differ" }
        }
        return nil
    }
}
