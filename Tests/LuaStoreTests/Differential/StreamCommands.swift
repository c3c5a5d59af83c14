import LuaStoreCore
import TestSupport

/// Streams: XADD (explicit, `ms-*` and bare-ms IDs, NOMKSTREAM, MAXLEN/MINID with `=`/`~`
/// and LIMIT) XLEN XRANGE XREVRANGE (exclusive bounds, COUNT) XDEL XTRIM XSETID XREAD
/// (COUNT, `$`), over IDs of a few milliseconds and sequences so commands collide, the
/// edges of the ID space, and malformed IDs; strings share the keys (WRONGTYPE).
///
/// XADD's `*` takes the wall clock's milliseconds, which the two sides read a few
/// milliseconds apart, so the random sequences leave it out (the hand cases cover it on a
/// stream whose last ID is ahead of the clock).
extension CommandGenerator {
    static let streamKeys: [ByteString] = ["x0", "x1", "x2", "s"]
    static let streamFields: [ByteString] = ["a", "b", "f", "12", ""]
    static let streamValues: [ByteString] = ["1", "v", "", "hello world", "-5", "123456789012"]

    mutating func streamKey() -> ByteString { chance(8) ? pick(["none", "k0"]) : pick(CommandGenerator.streamKeys) }

    /// A valid ID, mostly small, sometimes at the ends of the ID space.
    mutating func streamID() -> ByteString {
        switch rng.below(20) {
        case 0: return pick(["0-0", "0-1", "18446744073709551615-18446744073709551615", "18446744073709551615-0", "5-18446744073709551615"])
        case 1: return ByteString(String(int(0...9)))
        default: return ByteString("\(int(0...9))-\(int(0...3))")
        }
    }

    /// An ID argument: valid, a special form, or malformed.
    mutating func streamIDArgument(specials: [ByteString]) -> ByteString {
        switch rng.below(16) {
        case 0: return pick(specials)
        case 1: return pick(["abc", "", "1-", "-1", "1-x", "1--1", " 1", "+1", "007-1", "18446744073709551616", "1-18446744073709551616"])
        default: return streamID()
        }
    }

    mutating func streamPairs() -> [ByteString] {
        if chance(50) { return ["a", pick(CommandGenerator.streamValues), "b", pick(CommandGenerator.streamValues)] }
        return (0..<int(1...3)).flatMap { _ in [pick(CommandGenerator.streamFields), pick(CommandGenerator.streamValues)] }
    }

    mutating func streamTrimOptions() -> [ByteString] {
        var argv: [ByteString] = []
        if chance(50) {
            argv.append(pick(["MAXLEN", "maxlen"]))
            if chance(50) { argv.append(pick(["~", "="])) }
            argv.append(pick(["0", "1", "2", "3", "5", "-1", "x"]))
        } else {
            argv.append(pick(["MINID", "minid"]))
            if chance(50) { argv.append(pick(["~", "="])) }
            argv.append(streamIDArgument(specials: ["-", "+", "(1"]))
        }
        if chance(20) { argv += ["LIMIT", pick(["0", "1", "10", "-1"])] }
        if chance(5) { argv += [pick(["MAXLEN", "MINID"]), "1"] }
        return argv
    }

    mutating func streamCommand() -> DifferentialStep {
        switch rng.below(32) {
        case 0...8:
            var argv: [ByteString] = [name("XADD"), streamKey()]
            if chance(10) { argv.append("NOMKSTREAM") }
            if chance(20) { argv += streamTrimOptions() }
            let id: ByteString = chance(15) ? ByteString("\(int(0...9))-*") : streamIDArgument(specials: ["0", "0-*", "-", "+"])
            return command(argv + [id] + streamPairs(), .valid(Self.sameXaddReply))
        case 9, 10: return command([name("XLEN"), streamKey()])
        case 11...14:
            let reverse = chance(30)
            var argv: [ByteString] = [name(reverse ? "XREVRANGE" : "XRANGE"), streamKey()]
            let low = chance(20) ? "(" + streamID().string : streamIDArgument(specials: ["-", "+", "(0-0", "(-"]).string
            let high = chance(20) ? "(" + streamID().string : streamIDArgument(specials: ["+", "-", "(+", "(0-0"]).string
            argv += reverse ? [ByteString(high), ByteString(low)] : [ByteString(low), ByteString(high)]
            if chance(40) { argv += ["COUNT", pick(["0", "1", "2", "5", "-1", "x"])] }
            if chance(3) { argv.append("COUNT") }
            return command(argv)
        case 15, 16: return command([name("XDEL"), streamKey()] + (0..<int(1...3)).map { _ in streamIDArgument(specials: ["-", "+"]) })
        case 17, 18: return command([name("XTRIM"), streamKey()] + streamTrimOptions())
        case 19, 20:
            var argv: [ByteString] = [name("XSETID"), streamKey(), streamIDArgument(specials: ["-", "+", "$"])]
            if chance(30) { argv += ["ENTRIESADDED", pick(["0", "1", "5", "100", "-1", "x"])] }
            if chance(30) { argv += ["MAXDELETEDID", streamIDArgument(specials: ["-", "+"])] }
            return command(argv)
        case 21...24:
            var argv: [ByteString] = [name("XREAD")]
            if chance(40) { argv += ["COUNT", pick(["0", "1", "2", "-1", "x"])] }
            let keys = (0..<int(1...3)).map { _ in streamKey() }
            argv.append("STREAMS")
            argv += keys
            argv += keys.map { _ in streamIDArgument(specials: ["$", "$", ">", "-", "+"]) }
            if chance(3) { argv.removeLast() }
            return command(argv)
        case 25: return command([name("XSETID"), pick(CommandGenerator.streamKeys), pick(["9000000000000-5", "18446744073709551615-18446744073709551614"])])
        case 26:
            // BLOCK never blocks through `execute`: Redis inside MULTI answers the same way.
            let key = streamKey()
            let argv: [ByteString] = [name("XREAD"), "BLOCK", pick(["0", "10", "-1", "x"]), "STREAMS", key, streamIDArgument(specials: ["$", "+"])]
            return .command(DifferentialCommand(argv: argv, referenceInTransaction: true))
        case 27: return command([name("TYPE"), streamKey()])
        case 28: return command([name("SET"), "s", "x"])
        case 29: return command([name("DEL"), streamKey()])
        case 30: return command([name("OBJECT"), "ENCODING", streamKey()])
        default: return command([name("EXISTS"), streamKey()])
        }
    }

    /// XADD's replies equal, except that `ms-*` on a stream whose last ID has those
    /// milliseconds and the greatest sequence gets whichever XADD error text redis-server
    /// 7.0.15's stale `errno` picks; LuaStore says the ID is too small.
    static func sameXaddReply(_ probes: [Reply], _ reference: Reply, _ subject: Reply) -> String? {
        if reference == subject { return nil }
        if reference == .error("ERR Elements are too large to be stored"),
           subject == .error("ERR The ID specified in XADD is equal or smaller than the target stream top item") { return nil }
        return "replies differ"
    }
}
