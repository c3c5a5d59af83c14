import LuaStoreCore

/// A position on Redis's globe, in degrees.
///
/// # Thread safety
/// A value type: safe to share.
public struct GeoPosition: Sendable, Hashable {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}

/// The distance units of the geo commands, as meters per unit.
public enum GeoUnit: String, Sendable, CaseIterable {
    case meters = "m", kilometers = "km", feet = "ft", miles = "mi"

    /// Meters in one unit (Redis's `extractUnitOrReply`).
    public var meters: Double {
        switch self {
        case .meters: return 1
        case .kilometers: return 1000
        case .feet: return 0.3048
        case .miles: return 1609.34
        }
    }

    /// The unit an argument names, in any letter case.
    /// - Throws: ``StoreError/geoUnsupportedUnit``.
    init(argument: ByteString) throws(StoreError) {
        guard let unit = GeoUnit(rawValue: argument.asciiLowercased().string) else { throw .geoUnsupportedUnit }
        self = unit
    }
}

/// The geo family's operations (Redis's geo.c) on sorted sets whose scores are
/// ``GeoHash`` cells, shared by the command handlers, the typed API and `redis.call`.
extension KeyspaceAccess {
    /// GEOADD: stores each member at its position's score, through ZADD (so `condition`
    /// is NX/XX and the counts are ZADD's).
    /// - Throws: ``StoreError/geoInvalidPair(longitude:latitude:)`` for a position outside
    ///   Redis's limits, before the key is read; ``StoreError/wrongType``.
    func geoadd(
        _ key: ByteString, _ members: [(position: GeoPosition, member: ByteString)], condition: SetCondition
    ) throws(StoreError) -> ZAddResult {
        var pairs: [(score: Double, member: ByteString)] = []
        pairs.reserveCapacity(members.count)
        for (position, member) in members {
            guard let score = GeoHash.score(longitude: position.longitude, latitude: position.latitude) else {
                throw .geoInvalidPair(longitude: position.longitude, latitude: position.latitude)
            }
            pairs.append((score, member))
        }
        return try zadd(key, pairs, condition: condition, comparison: nil, increment: false)
    }

    /// GEOPOS: each member's position (the centre of its cell), nil for a missing member.
    func geopos(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> [GeoPosition?] {
        try zmscore(key, members).map { score in
            score.map { let p = GeoHash.decode($0); return GeoPosition(longitude: p.longitude, latitude: p.latitude) }
        }
    }

    /// GEODIST: the distance between two members in meters; nil if either is missing.
    func geodist(_ key: ByteString, _ member1: ByteString, _ member2: ByteString) throws(StoreError) -> Double? {
        let scores = try zmscore(key, [member1, member2])
        guard let a = scores[0], let b = scores[1] else { return nil }
        return GeoHash.distance(GeoHash.decode(a), GeoHash.decode(b))
    }

    /// GEOHASH: each member's 11-character standard geohash, nil for a missing member.
    func geohash(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> [ByteString?] {
        try zmscore(key, members).map { $0.map(GeoHash.standardHash) }
    }
}
