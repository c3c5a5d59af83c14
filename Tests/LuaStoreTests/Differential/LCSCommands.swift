import LuaStoreCore
import TestSupport

/// LCS with LEN, IDX, MINMATCHLEN and WITHMATCHLEN in any order and combination, over
/// strings from a small alphabet (so they share long runs), missing keys, keys of another
/// type, and now and then two strings whose table passes proto-max-bulk-len.
extension CommandGenerator {
    mutating func lcsString() -> ByteString {
        let alphabet: [UInt8] = Array("abcde".utf8) + [0x00, 0xFF]
        let length = chance(10) ? int(40...200) : int(0...24)
        return ByteString((0..<length).map { _ in chance(85) ? alphabet[rng.below(3)] : alphabet[rng.below(alphabet.count)] })
    }

    mutating func lcsCommand() -> DifferentialStep {
        let keys: [ByteString] = ["a", "b", "c", "none"]
        switch rng.below(20) {
        case 0, 1, 2, 3, 4: return command([name("SET"), pick(keys), lcsString()])
        case 5: return command([name("APPEND"), pick(keys), lcsString()])
        case 6: return command([name("RPUSH"), "c", "x"])
        case 7: return command([name("DEL"), pick(keys)])
        case 8 where chance(20):
            // 12,000 bytes each: a table of (12001^2)*4 bytes passes 512 MB.
            return command([name("SET"), pick(["a", "b"]), ByteString(String(repeating: "ab", count: 6_000))])
        case 9: return command([name("SET"), "a", "1234"])
        default:
            var options: [[ByteString]] = []
            if chance(30) { options.append([name("LEN")]) }
            if chance(45) { options.append([name("IDX")]) }
            if chance(30) { options.append([name("MINMATCHLEN"), chance(10) ? integer() : count(0...6)]) }
            if chance(30) { options.append([name("WITHMATCHLEN")]) }
            if chance(4) { options.append([pick(["BOGUS", "MINMATCHLEN", "IDXX"])]) }
            for i in stride(from: options.count - 1, to: 0, by: -1) {
                options.swapAt(i, rng.below(i + 1))
            }
            return command([name("LCS"), pick(keys), pick(keys)] + options.joined())
        }
    }
}
