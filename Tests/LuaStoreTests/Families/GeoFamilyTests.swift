import LuaStoreCore
import Testing
@testable import LuaStore

@Suite struct GeoFamilyTests {
    let store = LuaStore()

    /// Redis's documentation example, with redis-server's exact replies.
    @Test func palermoAndCatania() {
        expect(store, ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"], .integer(2))
        expect(store, ["GEODIST", "Sicily", "Palermo", "Catania"], .bulk("166274.1516"))
        expect(store, ["GEODIST", "Sicily", "Palermo", "Catania", "km"], .bulk("166.2742"))
        expect(store, ["GEOPOS", "Sicily", "Palermo", "NonExisting"],
               .array([.array([.bulk("13.36138933897018433"), .bulk("38.11555639549629859")]), .nullArray]))
        expect(store, ["GEOHASH", "Sicily", "Palermo", "Catania"], .array([.bulk("sqc8b49rny0"), .bulk("sqdtr74hyu0")]))
        expect(store, ["ZSCORE", "Sicily", "Palermo"], .bulk("3479099956230698"))
    }

    @Test func errors() {
        expect(store, ["GEOADD", "g", "200", "-85.5", "m"], .err("ERR invalid longitude,latitude pair 200.000000,-85.500000"))
        expect(store, ["GEOADD", "g", "1", "x", "m"], .err("ERR value is not a valid float"))
        expect(store, ["GEOADD", "g", "NX", "XX", "1", "2", "m"], .err("ERR syntax error"))
        expect(store, ["GEOADD", "g", "1", "2", "m", "3"], .err("ERR syntax error"))
        expect(store, ["GEODIST", "g", "a", "b", "yd"], .err("ERR unsupported unit provided. please use M, KM, FT, MI"))
        expect(store, ["SET", "s", "x"], .ok)
        expect(store, ["GEOPOS", "s", "a"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    @Test func typedAPI() throws {
        let palermo = GeoPosition(longitude: 13.361389, latitude: 38.115556)
        #expect(try store.geoadd("g", [(palermo, "Palermo"), (GeoPosition(longitude: 15.087269, latitude: 37.502669), "Catania")]) == 2)
        #expect(try store.geoadd("g", [(GeoPosition(longitude: 0, latitude: 0), "Palermo")], condition: .ifPresent, changed: true) == 1)
        let position = try #require(try store.geopos("g", ["Palermo", "none"]).first ?? nil)
        #expect(abs(position.longitude) < 0.0001 && abs(position.latitude) < 0.0001)
        #expect(try store.geohash("g", ["none"]) == [nil])
        #expect(try store.geodist("g", "Palermo", "none") == nil)
        let miles = try #require(try store.geodist("g", "Palermo", "Catania", unit: .miles))
        let meters = try #require(try store.geodist("g", "Palermo", "Catania"))
        #expect(miles == meters / 1609.34)
        #expect(throws: StoreError.geoInvalidPair(longitude: 0, latitude: 86)) {
            try store.geoadd("g", [(GeoPosition(longitude: 0, latitude: 86), "x")])
        }
    }

    /// The typed searches reach the same operation as GEOSEARCH: same members, distances
    /// in the unit, the stored set scored by distance with `storeDistance`.
    @Test func typedSearch() throws {
        expect(store, ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"], .integer(2))
        let near = try store.geosearch("Sicily", from: .position(GeoPosition(longitude: 15, latitude: 37)),
                                       by: .radius(200, .kilometers), order: .ascending)
        #expect(near.map(\.member) == ["Catania", "Palermo"])
        #expect(CFormat.double(near[0].distance, "%.4f") == "56.4413")
        #expect(near[1].hash == 3479099956230698)
        let nearest = try store.geosearch("Sicily", from: .member("Palermo"), by: .box(width: 400, height: 400, .kilometers), count: 1)
        #expect(nearest.map(\.member) == ["Palermo"])
        #expect(try store.geosearchstore("d", "Sicily", from: .member("Palermo"), by: .radius(500, .kilometers), storeDistance: true) == 2)
        expect(store, ["ZRANGE", "d", "0", "-1", "WITHSCORES"], .array([.bulk("Palermo"), .bulk("0"), .bulk("Catania"), .bulk("166.27415156960032")]))
        #expect(throws: StoreError.geoMemberNotFound) { try store.geosearch("Sicily", from: .member("x"), by: .radius(1, .meters)) }
        #expect(throws: StoreError.geoAnyWithoutCount) {
            try store.geosearch("Sicily", from: .member("Palermo"), by: .radius(1, .meters), any: true)
        }
        #expect(try store.geosearch("none", from: .member("x"), by: .radius(1, .meters)).isEmpty)
        let lua = store.execute(["EVAL", "return redis.call('GEOSEARCH', KEYS[1], 'FROMMEMBER', 'Palermo', 'BYRADIUS', 200, 'km', 'ASC')", "1", "Sicily"])
        #expect(lua == .array([.bulk("Palermo"), .bulk("Catania")]))
    }
}
