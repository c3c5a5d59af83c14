import LuaStoreCore
import TestSupport

/// SORT and SORT_RO on lists, sets and sorted sets, with BY (weights in strings and hash
/// fields, `nosort`), GET (`#`, strings, hash fields, patterns without `*`), LIMIT,
/// ASC/DESC, ALPHA and STORE, among writes to the sources and to the weight keys. Each key
/// keeps one type (`l*` lists, `s*` sets, `z*` a sorted set), so the generator knows when
/// Redis's order is its hash table's: a set's `nosort`, and ties of ALPHA BY on a set or
/// sorted set (or under LIMIT, Redis's partial quicksort); those replies are compared as
/// multisets, without LIMIT or STORE. No weight overflows or underflows a double: Redis
/// does not reset `errno` before its `strtod`, so after one `ERANGE` it refuses numeric
/// sorts of valid weights until something else sets `errno`.
extension CommandGenerator {
    static let sortElements: [ByteString] = [
        "1", "2", "3", "10", "-5", "1.5", "01", "1e2", "0x10", " 7", "inf", "-inf", "a", "b", "B", "apple", "",
        "é", ByteString([0xFF]), "nan", "7 ",
    ]
    static let sortWeights: [ByteString] = [
        "1", "2", "-1", "0", "2.5", "10", "abc", "", "inf", "-0", "3", "x", "y", "Z", ByteString([0x61, 0x00, 0x62]),
    ]

    mutating func sortElement() -> ByteString {
        chance(70) ? ByteString(String(int(-3...12))) : pick(CommandGenerator.sortElements)
    }

    mutating func sortSource() -> ByteString { pick(["l0", "l1", "s0", "s1", "z0", "str", "none"]) }

    mutating func sortCommand() -> DifferentialStep {
        switch rng.below(30) {
        case 0, 1, 2: return command([name("RPUSH"), pick(["l0", "l1"])] + (0..<int(1...4)).map { _ in sortElement() })
        case 3: return command([name("LPUSH"), pick(["l0", "l1"]), sortElement()])
        case 4, 5: return command([name("SADD"), pick(["s0", "s1"])] + (0..<int(1...4)).map { _ in sortElement() })
        case 6, 7: return command([name("ZADD"), "z0", pick(["1", "2", "0", "-1", "2.5"]), sortElement()])
        case 8, 9, 10: return command([name("SET"), ByteString(Array("w_".utf8) + sortElement().bytes), pick(CommandGenerator.sortWeights)])
        case 11, 12: return command([name("HSET"), ByteString(Array("h_".utf8) + sortElement().bytes), pick(["f", "g"]), pick(CommandGenerator.sortWeights)])
        case 13: return command([name("DEL"), pick(["l0", "l1", "s0", "s1", "z0", "dst"])])
        case 14: return command([name("SET"), "str", "x"])
        case 15, 16: return command([name("LRANGE"), "dst", "0", "-1"])
        case 17: return command([name("TYPE"), "dst"])
        case 18: return command([name("SET"), "dst", "old"])
        case 19: return command([name("EXPIRE"), "dst", "1000"])
        case 20: return command([name("TTL"), "dst"], .time(tolerance: 2))
        default: return sortQuery()
        }
    }

    /// One SORT or SORT_RO with random options.
    mutating func sortQuery() -> DifferentialStep {
        let source = sortSource()
        let readOnly = chance(25)
        var argv: [ByteString] = [name(readOnly ? "SORT_RO" : "SORT"), source]
        var by: ByteString? = nil
        if chance(50) {
            by = pick(["w_*", "h_*->f", "h_*->g", "nosort", "w_", "*", "h_*->", "#", "w_*->f", "missing_*"])
        }
        let alpha = chance(35)
        var limit = chance(30)
        var store = !readOnly && chance(20)
        let isSet = source.string.hasPrefix("s"), isSortedSet = source == "z0"
        let sorts = by.map { $0.string.contains("*") } ?? true
        let alphaBy = alpha && by != nil && sorts
        var unordered = false
        if (alphaBy && (isSet || isSortedSet)) || (isSet && !sorts) {
            unordered = true
            limit = false
            store = false
        }
        if alphaBy && limit { limit = false }
        var options: [[ByteString]] = []
        if let by { options.append([name("BY"), by]) }
        if limit { options.append([name("LIMIT"), index(), count(0...8)]) }
        for _ in 0..<rng.below(3) {
            options.append([name("GET"), pick(["#", "w_*", "h_*->f", "h_*->g", "nokey", "w_*->", ByteString([0x77, 0x5F, 0x2A, 0x00, 0x78])])])
        }
        if chance(30) { options.append([name(pick(["ASC", "DESC"]))]) }
        if alpha { options.append([name("ALPHA")]) }
        if store { options.append([name("STORE"), "dst"]) }
        if chance(3) { options.append([pick(["BOGUS", "LIMIT", "STORE", "BY", "GET"])]) }
        // Options may come in any order.
        for i in stride(from: options.count - 1, to: 0, by: -1) {
            options.swapAt(i, rng.below(i + 1))
        }
        argv += options.joined()
        return command(argv, unordered ? .unordered : .exact)
    }
}
