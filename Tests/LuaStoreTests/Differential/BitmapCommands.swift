import LuaStoreCore
import TestSupport

/// Bitmaps: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO, mixed with GET (the
/// raw bytes), SET, APPEND and other types on the same keys. Offsets stay below a few
/// hundred kilobits, so the strings stay small; invalid and out-of-range offsets are
/// generated as text.
extension CommandGenerator {
    mutating func bitmapCommand() -> DifferentialStep {
        switch rng.below(32) {
        case 0, 1, 2, 3, 4: return command([name("SETBIT"), key(), bitOffset(), bitValue()])
        case 5, 6: return command([name("GETBIT"), key(), bitOffset()])
        case 7, 8, 9: return command([name("BITCOUNT"), key()] + bitRange(maxArguments: 3))
        case 10, 11, 12: return command([name("BITPOS"), key(), bitValue()] + bitRange(maxArguments: 3))
        case 13, 14: return command([name("BITOP"), bitOperation(), key()] + keys(1...3))
        case 15, 16, 17, 18: return command([name("BITFIELD"), key()] + bitfieldOperations(readOnly: false))
        case 19: return command([name("BITFIELD_RO"), key()] + bitfieldOperations(readOnly: chance(80)))
        case 20, 21, 22: return command([name("GET"), key()])
        case 23: return command([name("SET"), key(), value()])
        case 24: return command([name("APPEND"), key(), value()])
        case 25: return command([name("STRLEN"), key()])
        case 26: return command([name("INCR"), key()])
        case 27: return command([name("LPUSH"), key(), value()])
        case 28: return command([name("DEL"), key()])
        case 29: return command([name("SETRANGE"), key(), count(0...40), value()])
        case 30: return command([name("EXPIRE"), key(), relativeSeconds()])
        default: return command([name("TTL"), key()], .time(tolerance: 2))
        }
    }

    /// Mostly within the first 64 bytes, sometimes farther, sometimes invalid.
    mutating func bitOffset() -> ByteString {
        switch rng.below(40) {
        case 0: return pick(["-1", "abc", "", "1.5", "4294967296", "9223372036854775807", "-9223372036854775808", " 1", "+1"])
        case 1, 2: return ByteString(String(rng.below(200_000)))
        default: return ByteString(String(rng.below(512)))
        }
    }

    mutating func bitValue() -> ByteString {
        chance(8) ? pick(["2", "-1", "abc", "", "01", "1.0"]) : pick(["0", "1"])
    }

    mutating func bitOperation() -> ByteString {
        chance(5) ? pick(["NAND", "", "ANDOR"]) : pick(["AND", "OR", "XOR", "NOT", "and", "Not", "xor"])
    }

    /// BITCOUNT/BITPOS range arguments: start, end, unit, each present in turn.
    mutating func bitRange(maxArguments: Int) -> [ByteString] {
        var arguments: [ByteString] = []
        let n = rng.below(maxArguments + 2)
        if n >= 1 { arguments.append(index()) }
        if n >= 2 { arguments.append(chance(20) ? ByteString(String(int(-200...200))) : index()) }
        if n >= 3 { arguments.append(pick(["BYTE", "BIT", "bit", "byte", "BITS"])) }
        if n >= 4 { arguments.append("x") }
        return arguments
    }

    mutating func bitfieldType() -> ByteString {
        if chance(6) { return pick(["u64", "i65", "i0", "u0", "x8", "I8", "U8", "i", "8", "i-1", "i08"]) }
        let signed = chance(50)
        let bits = chance(30) ? int(1...(signed ? 64 : 63)) : pick([1, 4, 8, 16, 32, 63])
        return ByteString((signed ? "i" : "u") + String(bits))
    }

    mutating func bitfieldOffset() -> ByteString {
        switch rng.below(20) {
        case 0: return pick(["-1", "abc", "#-1", "#", "4294967296", "#9223372036854775807", "#4294967296"])
        case 1, 2, 3, 4: return ByteString("#" + String(rng.below(20)))
        default: return ByteString(String(rng.below(300)))
        }
    }

    mutating func bitfieldValue() -> ByteString {
        switch rng.below(10) {
        case 0: return pick(CommandGenerator.integers)
        case 1: return pick(["9223372036854775807", "-9223372036854775808", "4611686018427387904", "-1", "255", "256", "-129"])
        default: return ByteString(String(int(-300...300)))
        }
    }

    /// One to five subcommands (GETs only when `readOnly`), with OVERFLOW switches.
    mutating func bitfieldOperations(readOnly: Bool) -> [ByteString] {
        var arguments: [ByteString] = []
        for _ in 0..<int(0...5) {
            switch readOnly ? 0 : rng.below(10) {
            case 0, 1, 2: arguments += [pick(["GET", "get"]), bitfieldType(), bitfieldOffset()]
            case 3, 4, 5: arguments += [pick(["SET", "set"]), bitfieldType(), bitfieldOffset(), bitfieldValue()]
            case 6, 7, 8: arguments += [pick(["INCRBY", "incrby"]), bitfieldType(), bitfieldOffset(), bitfieldValue()]
            default: arguments += ["OVERFLOW", pick(["WRAP", "SAT", "FAIL", "fail", "sat", "BOGUS"])]
            }
        }
        if chance(3) { arguments.append(pick(["GET", "SET", "OVERFLOW", "FOO"])) }
        return arguments
    }
}
