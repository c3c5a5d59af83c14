import Foundation
import LuaStore
import Testing
import TestSupport

/// Hand cases of the geo searches against redis-server: the poles' limits, the
/// antimeridian, radii exactly at a member's distance and a hair either side, boxes whose
/// edges pass through members, every option error in Redis's order.
@Suite("Geo search vs redis-server")
struct GeoSearchDifferentialTests {
    static let places: [ByteString] = [
        "GEOADD", "g",
        "179.9999", "0", "east", "-179.9999", "0", "west", "180", "10", "am",
        "0", "85.05112878", "north", "90", "85.05112878", "north90", "0", "-85.05112878", "south",
        "-180", "-85.05112878", "southwest", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania",
        "0", "0", "origin", "0.001", "0", "near", "0", "-0.001", "below",
    ]

    @Test func polesAndAntimeridian() throws {
        var commands: [[ByteString]] = [Self.places]
        for center in [["180", "0"], ["-180", "0"], ["0", "85.05112878"], ["0", "-85.05112878"], ["179.5", "84"], ["0", "0"]] {
            for radius in ["1", "50", "500", "5000", "20000"] {
                commands.append(["GEOSEARCH", "g", "FROMLONLAT"] + center.map { ByteString($0) } + ["BYRADIUS", ByteString(radius), "km", "ASC", "WITHDIST", "WITHCOORD", "WITHHASH"])
                commands.append(["GEOSEARCH", "g", "FROMLONLAT"] + center.map { ByteString($0) } + ["BYBOX", ByteString(radius), ByteString(radius), "km", "DESC", "WITHDIST"])
                commands.append(["GEORADIUS", "g"] + center.map { ByteString($0) } + [ByteString(radius), "km"])
            }
        }
        for member in ["east", "west", "north", "south", "southwest", "am"] {
            commands.append(["GEORADIUSBYMEMBER", "g", ByteString(member), "300", "km", "WITHDIST", "ASC"])
            commands.append(["GEOSEARCH", "g", "FROMMEMBER", ByteString(member), "BYBOX", "40000", "100", "km", "ASC"])
            commands.append(["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", ByteString(member), "BYRADIUS", "1000", "mi", "STOREDIST"])
            commands.append(["ZRANGE", "d", "0", "-1", "WITHSCORES"])
        }
        try IntrospectionTests.compare(commands)
        try IntrospectionTests.compare(commands, protocolVersion: .resp3)
    }

    /// Radii at a member's exact distance (as `%.17g`), and the distance as GEODIST prints
    /// it, plus and minus its last digit.
    @Test func radiusEdges() throws {
        let store = LuaStore()
        _ = store.execute(Self.places)
        var commands: [[ByteString]] = [Self.places]
        for (from, to) in [("origin", "near"), ("origin", "below"), ("Palermo", "Catania"), ("east", "west"), ("north", "north90")] {
            guard let meters = try store.geodist("g", ByteString(from), ByteString(to)) else { continue }
            let exact = String(format: "%.17g", meters)
            let printed = (meters * 10_000).rounded() / 10_000
            for radius in [exact, String(printed), String(printed - 0.0001), String(printed + 0.0001)] {
                commands.append(["GEORADIUSBYMEMBER", "g", ByteString(from), ByteString(radius), "m", "WITHDIST", "ASC"])
                commands.append(["GEOSEARCH", "g", "FROMMEMBER", ByteString(from), "BYBOX", ByteString(radius), ByteString(radius), "m", "ASC"])
                commands.append(["GEOSEARCH", "g", "FROMMEMBER", ByteString(from), "BYBOX", ByteString(String(2 * meters)), ByteString(String(2 * meters)), "m", "ASC"])
            }
        }
        try IntrospectionTests.compare(commands)
    }

    @Test func errorsInRedisOrder() throws {
        let commands: [[ByteString]] = [
            Self.places, ["SET", "s", "x"],
            ["GEOSEARCH", "s", "FROMLONLAT", "abc", "0", "BYRADIUS", "1", "m"],
            ["GEOSEARCH", "g", "FROMMEMBER", "nosuch", "BYRADIUS", "abc", "m"],
            ["GEOSEARCH", "g", "BYRADIUS", "-1", "m", "FROMMEMBER", "nosuch"],
            ["GEOSEARCH", "g", "FROMMEMBER", "east", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"],
            ["GEOSEARCH", "g", "FROMMEMBER", "east", "FROMMEMBER", "west", "BYRADIUS", "1", "km"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m", "BYBOX", "1", "1", "m"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYBOX", "1", "x", "m"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYBOX", "x", "1", "m"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYBOX", "1", "-1", "yd"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYBOX", "1", "1", "yd"],
            ["GeoSearch", "g", "BYRADIUS", "1", "m", "WITHDIST"],
            ["geosearch", "g", "FROMLONLAT", "0", "0", "ASC"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m", "ANY"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m", "COUNT", "0"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m", "COUNT", "x"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m", "COUNT"],
            ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m", "STORE", "x"],
            ["GEOSEARCH", "g", "FROMLONLAT", "181", "0", "BYRADIUS", "1", "m"],
            ["GEOSEARCH", "nosuch", "FROMMEMBER", "x", "BYRADIUS", "1", "m"],
            ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m", "WITHDIST"],
            ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "STOREDIST", "STOREDIST"],
            ["GEOSEARCHSTORE", "s", "nosuch", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"], ["EXISTS", "s"],
            ["GEORADIUS", "g", "0", "0", "1", "km", "STORE", "d", "WITHCOORD"],
            ["GEORADIUS", "g", "0", "0", "1", "km", "STORE"],
            ["GEORADIUS_RO", "g", "0", "0", "1", "km", "STORE", "d"],
            ["GEORADIUS", "g", "0", "0", "1", "km", "FROMMEMBER", "east"],
            ["GEORADIUS", "g", "0", "91", "1", "km"],
            ["GEORADIUS", "g", "0", "0", "-1", "km"],
            ["GEORADIUS", "g", "0", "0", "x", "km"],
            ["GEORADIUSBYMEMBER", "g", "nosuch", "x", "km"],
            ["GEORADIUSBYMEMBER", "nosuch", "m", "x", "yd", "COUNT", "2"],
            ["GEORADIUSBYMEMBER", "nosuch", "m", "x", "yd", "COUNT", "0"],
            ["GEORADIUSBYMEMBER", "g", "east", "1", "km", "STOREDIST", "d"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
            ["GEORADIUSBYMEMBER", "g", "east", "10", "m", "STORE", "d"], ["EXISTS", "d"],
            ["COMMAND", "GETKEYS", "GEORADIUS", "g", "0", "0", "1", "km", "STORE", "a", "STOREDIST", "b"],
            ["COMMAND", "GETKEYS", "GEORADIUS", "g", "0", "0", "1", "km", "store", "a"],
            ["COMMAND", "GETKEYS", "GEORADIUS", "g", "0", "0", "1", "km", "STORE"],
            ["COMMAND", "GETKEYS", "GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
        ]
        try IntrospectionTests.compare(commands)
    }
}
