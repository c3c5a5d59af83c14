import LuaStoreCore
import TestSupport

/// Strings: GET SET (NX XX EX PX EXAT PXAT KEEPTTL GET) SETNX SETEX PSETEX GETSET GETDEL GETEX
/// MGET MSET MSETNX INCR INCRBY DECR DECRBY INCRBYFLOAT APPEND STRLEN GETRANGE SETRANGE.
extension CommandGenerator {
    mutating func stringCommand() -> DifferentialStep {
        switch rng.below(27) {
        case 0, 1: return command([name("GET"), key()])
        case 2, 3, 4: return command([name("SET"), key(), value()] + setOptions())
        case 5: return command([name("SETNX"), key(), value()])
        case 6: return command([name("SETEX"), key(), relativeSeconds(), value()])
        case 7: return command([name("PSETEX"), key(), relativeMilliseconds(), value()])
        case 8: return command([name("GETSET"), key(), value()])
        case 9: return command([name("GETDEL"), key()])
        case 10: return command([name("GETEX"), key()] + expiryOption(allowPersist: true, allowKeepTTL: false))
        case 11: return command([name("MGET")] + keys(1...5))
        case 12: return command([name("MSET")] + keyValuePairs())
        case 13: return command([name("MSETNX")] + keyValuePairs())
        case 14, 15: return command([name("INCR"), key()])
        case 16: return command([name("INCRBY"), key(), integer()])
        case 17: return command([name("DECR"), key()])
        case 18: return command([name("DECRBY"), key(), integer()])
        case 19, 20: return command([name("INCRBYFLOAT"), key(), float()])
        case 21: return command([name("APPEND"), key(), value()])
        case 22: return command([name("STRLEN"), key()])
        case 23: return command([name("GETRANGE"), key(), index(), index()])
        case 24: return command([name("SETRANGE"), key(), setRangeOffset(), value()])
        case 25: return command([name("TTL"), key()], .time(tolerance: 2))
        default: return command([name("PTTL"), key()], .time(tolerance: 2_000))
        }
    }

    /// SET's options in random order, sometimes conflicting (NX with XX, EX with PX...).
    mutating func setOptions() -> [ByteString] {
        var options: [[ByteString]] = []
        if chance(20) { options.append([pick(["NX", "XX", "nx"])]) }
        if chance(15) { options.append(["GET"]) }
        if chance(40) { options.append(expiryOption(allowPersist: false, allowKeepTTL: true)) }
        if chance(3) { options.append([pick(["NX", "XX", "EX", "GET", "KEEPTTL", "BOGUS", "PERSIST"])]) }
        for i in options.indices.reversed() where i > 0 {
            options.swapAt(i, rng.below(i + 1))
        }
        return options.flatMap { $0 }
    }

    /// EX/PX/EXAT/PXAT with a time, or KEEPTTL (SET) / PERSIST (GETEX).
    mutating func expiryOption(allowPersist: Bool, allowKeepTTL: Bool) -> [ByteString] {
        switch rng.below(7) {
        case 0: return [pick(["EX", "ex"]), relativeSeconds()]
        case 1: return ["PX", relativeMilliseconds()]
        case 2: return ["EXAT", absoluteSeconds()]
        case 3: return ["PXAT", absoluteMilliseconds()]
        case 4: return allowKeepTTL ? ["KEEPTTL"] : (allowPersist ? ["PERSIST"] : [])
        case 5: return allowPersist ? ["PERSIST"] : ["EX"]
        default: return []
        }
    }

    mutating func keyValuePairs() -> [ByteString] {
        (0..<int(1...4)).flatMap { _ in [key(), value()] }
    }

    mutating func setRangeOffset() -> ByteString {
        // Past 512 MB (an error); 536870911 would be valid but allocates 512 MB on both sides.
        if chance(5) { return pick(["-1", "abc", "536870912", "100000", "9223372036854775807"]) }
        return ByteString(String(pick([0, 0, 1, 2, 5, 14, 15, 20, 64, 100])))
    }
}
