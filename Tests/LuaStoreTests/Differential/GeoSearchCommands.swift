import LuaStoreCore
import TestSupport

/// Geo search: GEOSEARCH GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER and the _RO forms over
/// members scattered around anchors at the poles' limits, the antimeridian, the equator
/// and the prime meridian, at distances from metres to thousands of kilometres, so
/// searches cross cell, hemisphere and antimeridian boundaries. Members never share a
/// position: Redis sorts ties with an unstable partial sort under COUNT.
extension CommandGenerator {
    static let geoSearchAnchors: [(Double, Double)] = [
        (0, 0), (180, 0), (-180, 0), (179.95, 40), (-179.999, -60), (0, 85.05112878), (0, -85.05112878),
        (120, 84.9), (-45, -80.5), (13.361389, 38.115556), (-0.0001, 66.01),
    ]

    mutating func geoSearchKey() -> ByteString { pick(["g0", "g0", "g1", "s", "none"]) }
    mutating func geoSearchMember() -> ByteString { ByteString("m\(int(0...14))") }

    /// A position near an anchor, inside Redis's limits (longitudes wrap around).
    mutating func geoSearchPosition() -> (ByteString, ByteString) {
        let (x, y) = pick(CommandGenerator.geoSearchAnchors)
        let spread = pick([0.05, 0.5, 1, 8, 40])
        var longitude = x + Double(int(-1_000_000...1_000_000)) / 1_000_000 * spread
        if longitude > 180 { longitude -= 360 }
        if longitude < -180 { longitude += 360 }
        // Reflected at the limits rather than clamped, so two members do not meet there.
        var latitude = y + Double(int(-1_000_000...1_000_000)) / 1_000_000 * spread
        if latitude > 85.05112878 { latitude = 2 * 85.05112878 - latitude }
        if latitude < -85.05112878 { latitude = -2 * 85.05112878 - latitude }
        return (ByteString(String(longitude)), ByteString(String(latitude)))
    }

    /// A search centre: mostly an anchor itself, or a point near one; sometimes invalid.
    mutating func geoSearchCenter() -> [ByteString] {
        if chance(4) { return pick([["181", "0"], ["0", "85.1"], ["abc", "0"], ["0", ""]]) }
        if chance(50) {
            let (x, y) = pick(CommandGenerator.geoSearchAnchors)
            return [ByteString(String(x)), ByteString(String(y))]
        }
        let (x, y) = geoSearchPosition()
        return [x, y]
    }

    mutating func geoSearchUnit() -> ByteString {
        chance(3) ? pick(["yd", ""]) : pick(["m", "km", "KM", "ft", "mi", "Mi"])
    }

    mutating func geoSearchDistance() -> ByteString {
        if chance(4) { return pick(["-1", "abc", "", "inf", "-0"]) }
        switch int(0...5) {
        case 0: return pick(["0", "1", "0.5"])
        case 1: return ByteString(String(Double(int(1...1000))))
        case 2: return ByteString(String(Double(int(1...100_000)) / 10))
        default: return ByteString(String(Double(int(1...20_000_000)) / 1000))
        }
    }

    /// WITH*, ASC/DESC and COUNT [ANY] in random order, now and then a bad one.
    mutating func geoSearchOptions(withReplies: Bool) -> [ByteString] {
        var options: [[ByteString]] = []
        if withReplies {
            for option in ["WITHCOORD", "WITHDIST", "WITHHASH"] where chance(40) { options.append([ByteString(option)]) }
        }
        if chance(40) { options.append([pick(["ASC", "DESC", "asc"])]) }
        if chance(40) {
            let count: ByteString = chance(5) ? pick(["0", "-1", "abc"]) : ByteString(String(int(1...6)))
            options.append(chance(30) ? [name("COUNT"), count, "ANY"] : [name("COUNT"), count])
        }
        if chance(3) { options.append([pick(["ANY", "COUNT", "BOGUS", "STORE", "WITHDIST"])]) }
        return options.shuffled(using: &rng).flatMap { $0 }
    }

    mutating func geoSearchFrom() -> [ByteString] {
        chance(40) ? ["FROMMEMBER", geoSearchMember()] : ["FROMLONLAT"] + geoSearchCenter()
    }

    mutating func geoSearchBy() -> [ByteString] {
        chance(50)
            ? ["BYRADIUS", geoSearchDistance(), geoSearchUnit()]
            : ["BYBOX", geoSearchDistance(), geoSearchDistance(), geoSearchUnit()]
    }

    mutating func geoSearchCommand() -> DifferentialStep {
        switch rng.below(20) {
        case 0, 1, 2, 3, 4:
            var argv: [ByteString] = [name("GEOADD"), pick(["g0", "g0", "g1"])]
            for _ in 0..<int(1...4) {
                let (x, y) = geoSearchPosition()
                argv += [x, y, geoSearchMember()]
            }
            return command(argv)
        case 5, 6, 7, 8, 9:
            var parts = [geoSearchFrom(), geoSearchBy(), geoSearchOptions(withReplies: true)]
            if chance(10) { parts.shuffle(using: &rng) }
            if chance(3) { parts.removeFirst() }
            return command([name("GEOSEARCH"), geoSearchKey()] + parts.flatMap { $0 })
        case 10, 11:
            var argv: [ByteString] = [name("GEOSEARCHSTORE"), pick(["dst", "g1", "s"]), geoSearchKey()]
            argv += geoSearchFrom() + geoSearchBy() + geoSearchOptions(withReplies: chance(5))
            if chance(40) { argv.append("STOREDIST") }
            return command(argv)
        case 12, 13, 14:
            let readOnly = chance(30)
            var argv: [ByteString] = [name(readOnly ? "GEORADIUS_RO" : "GEORADIUS"), geoSearchKey()]
            argv += geoSearchCenter() + [geoSearchDistance(), geoSearchUnit()] + geoSearchOptions(withReplies: true)
            if chance(20) { argv += [pick(["STORE", "STOREDIST"]), pick(["dst", "g1"])] }
            return command(argv)
        case 15, 16:
            let readOnly = chance(30)
            var argv: [ByteString] = [name(readOnly ? "GEORADIUSBYMEMBER_RO" : "GEORADIUSBYMEMBER"), geoSearchKey()]
            argv += [geoSearchMember(), geoSearchDistance(), geoSearchUnit()] + geoSearchOptions(withReplies: true)
            if chance(20) { argv += [pick(["STORE", "STOREDIST"]), pick(["dst", "g1"])] }
            return command(argv)
        case 17: return command([name("ZRANGE"), pick(["dst", "g1"]), "0", "-1", "WITHSCORES"])
        case 18:
            if chance(50) { return command([name("ZREM"), geoSearchKey(), geoSearchMember()]) }
            // A score ZADD gives, fractional, that a search may still decode as a position.
            let score = ByteString(String(Double(int(0...4_503_599_627_370)) * 1000 + Double(int(0...999)) / 8))
            return command([name("ZADD"), pick(["g0", "g1"]), score, geoSearchMember()])
        default: return command(chance(50) ? [name("SET"), "s", "x"] : [name("DEL"), pick(["g1", "dst"])])
        }
    }
}
