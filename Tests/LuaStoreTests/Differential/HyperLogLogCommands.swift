import LuaStoreCore
import TestSupport

/// HyperLogLog: PFADD PFCOUNT PFMERGE PFDEBUG, with GET of the raw bytes after them (so sparse
/// opcodes, promotion to dense and the cached cardinality bytes are compared), over
/// cardinalities growing from a few to tens of thousands, and foreign or damaged strings
/// (SET, APPEND, SETRANGE into a HyperLogLog) for the WRONGTYPE and INVALIDOBJ paths.
extension CommandGenerator {
    static let hyperLogLogKeys: [ByteString] = ["h0", "h1", "h2", "h3", "k0"]

    mutating func hyperLogLogKey() -> ByteString { pick(CommandGenerator.hyperLogLogKeys) }

    mutating func hyperLogLogCommand() -> DifferentialStep {
        switch rng.below(26) {
        case 0, 1, 2, 3, 4: return command([name("PFADD"), hyperLogLogKey()] + hyperLogLogElements())
        case 5, 6, 7: return command([name("PFCOUNT"), hyperLogLogKey()])
        case 8, 9: return command([name("PFCOUNT")] + (0..<int(2...4)).map { _ in hyperLogLogKey() })
        case 10, 11: return command([name("PFMERGE"), hyperLogLogKey()] + (0..<int(0...3)).map { _ in hyperLogLogKey() })
        case 12, 13, 14, 15: return command([name("GET"), hyperLogLogKey()])
        case 16: return command([name("SET"), hyperLogLogKey(), value()])
        case 17: return command([name("APPEND"), hyperLogLogKey(), pick(["x", "", ByteString([0x00])])])
        case 18: return command([name("SETRANGE"), hyperLogLogKey(), ByteString(String(int(4...40))), damage()])
        case 19: return command([name("DEL"), hyperLogLogKey()])
        case 20: return command([name("LPUSH"), hyperLogLogKey(), value()])
        case 21: return command([name("STRLEN"), hyperLogLogKey()])
        case 22: return command([name("TYPE"), hyperLogLogKey()])
        case 23, 24: return command([name("PFDEBUG"), pick(["ENCODING", "decode", "TODENSE", "GetReg", "nope"]), hyperLogLogKey()])
        default: return command([name("PFADD"), hyperLogLogKey()])
        }
    }

    /// Elements from a pool whose size grows with the draw, so some keys stay sparse and
    /// some pass 3000 bytes or a register past 32 and turn dense.
    mutating func hyperLogLogElements() -> [ByteString] {
        let pool = pick([20, 300, 5_000, 100_000])
        let n = chance(15) ? int(100...3_000) : int(1...6)
        return (0..<n).map { _ in
            chance(3) ? pick(["", ByteString([0x00, 0xFF]), "a", "hello world", ByteString(String(repeating: "z", count: 40))])
                : ByteString("e\(rng.below(pool))")
        }
    }

    /// Bytes written into a HyperLogLog: the encoding byte, cache bytes, or opcodes.
    mutating func damage() -> ByteString {
        pick([ByteString([0x00]), ByteString([0x01]), ByteString([0x02]), ByteString([0xFF]),
              ByteString([0x7F, 0xFF]), ByteString([0x80, 0x80, 0x80]), ByteString([0x3F]), "HYLL"])
    }
}
