import LuaStoreCore
import TestSupport

/// Geo: GEOADD (NX XX CH) GEOPOS GEODIST (units) GEOHASH on positions that favour the
/// edges: the poles' limits (±85.05112878), the antimeridian (±180), the equator and the
/// prime meridian, tiny offsets around them, and points just outside the limits; sorted
/// sets written with ZADD and strings share the keys (WRONGTYPE).
extension CommandGenerator {
    static let geoMembers: [ByteString] = ["a", "b", "c", "d", "e", "Palermo", ""]

    mutating func longitude() -> ByteString {
        switch rng.below(12) {
        case 0: return pick(["180", "-180", "180.0000001", "-180.0000001", "0", "-0", "179.9999999", "-179.9999999"])
        case 1: return pick(["abc", "", "nan", "inf", "1e400"])
        default: return ByteString(String(Double(int(-180_000_000...180_000_000)) / 1_000_000))
        }
    }

    mutating func latitude() -> ByteString {
        switch rng.below(12) {
        case 0: return pick(["85.05112878", "-85.05112878", "85.05112879", "-85.0511288", "0", "-0", "85", "-85", "0.0000001"])
        case 1: return pick(["abc", "", "90", "-90.5"])
        default: return ByteString(String(Double(int(-85_051_128...85_051_128)) / 1_000_000))
        }
    }

    mutating func geoKey() -> ByteString { pick(["g0", "g1", "s", "none"]) }

    mutating func geoCommand() -> DifferentialStep {
        switch rng.below(20) {
        case 0, 1, 2, 3:
            var argv: [ByteString] = [name("GEOADD"), geoKey()]
            if chance(30) { argv += (0..<int(1...2)).map { _ in pick(["NX", "XX", "CH", "ch"]) } }
            for _ in 0..<int(1...3) { argv += [longitude(), latitude(), pick(CommandGenerator.geoMembers)] }
            return command(argv)
        case 4, 5, 6: return command([name("GEOPOS"), geoKey()] + (0..<int(0...3)).map { _ in pick(CommandGenerator.geoMembers) })
        case 7, 8, 9:
            var argv: [ByteString] = [name("GEODIST"), geoKey(), pick(CommandGenerator.geoMembers), pick(CommandGenerator.geoMembers)]
            if chance(60) { argv.append(pick(["m", "km", "KM", "ft", "mi", "Mi", "yd", ""])) }
            return command(argv)
        case 10, 11, 12: return command([name("GEOHASH"), geoKey()] + (0..<int(0...3)).map { _ in pick(CommandGenerator.geoMembers) })
        case 13: return command([name("ZADD"), geoKey(), pick(["0", "1", "4503599627370495", "3471579339700058"]), pick(CommandGenerator.geoMembers)])
        case 14: return command([name("ZREM"), geoKey(), pick(CommandGenerator.geoMembers)])
        case 15: return command([name("ZRANGE"), geoKey(), "0", "-1", "WITHSCORES"])
        case 16: return command([name("SET"), "s", "x"])
        case 17: return command([name("DEL"), geoKey()])
        default: return command([name("ZSCORE"), geoKey(), pick(CommandGenerator.geoMembers)])
        }
    }
}
