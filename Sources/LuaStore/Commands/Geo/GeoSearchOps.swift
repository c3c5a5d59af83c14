#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaStoreCore

/// Where a geo search is centred: a member's stored position (FROMMEMBER, GEORADIUSBYMEMBER)
/// or a given one (FROMLONLAT, GEORADIUS).
///
/// # Thread safety
/// A value type: safe to share.
public enum GeoSearchCenter: Sendable, Hashable {
    case member(ByteString)
    case position(GeoPosition)
}

/// The area a geo search covers around its centre: a circle (BYRADIUS) or a box aligned
/// with the meridians (BYBOX), in a unit.
///
/// # Thread safety
/// A value type: safe to share.
public enum GeoSearchArea: Sendable, Hashable {
    case radius(Double, GeoUnit)
    case box(width: Double, height: Double, GeoUnit)

    var unit: GeoUnit {
        switch self {
        case .radius(_, let unit), .box(_, _, let unit): return unit
        }
    }
}

/// The order of a geo search's matches by distance: as found (cell by cell, each in score
/// order), nearest first (ASC) or farthest first (DESC).
///
/// # Thread safety
/// A value type: safe to share.
public enum GeoSearchOrder: Sendable, Hashable {
    case unsorted, ascending, descending
}

/// One member a geo search found.
///
/// # Thread safety
/// A value type: safe to share.
public struct GeoSearchMatch: Sendable, Hashable {
    public var member: ByteString
    /// The distance from the centre, in the search's unit (WITHDIST).
    public var distance: Double
    /// The member's score, which GEOSEARCHSTORE stores: its 52-bit geohash, unless a
    /// ZADD gave it another that falls inside a searched cell.
    public var score: Double
    /// The member's position: the centre of its cell (WITHCOORD).
    public var position: GeoPosition

    /// The score as WITHHASH replies it: truncated to an integer (a searched cell's
    /// scores lie in 0..<2^52; any other reads as `Int64.min`, as x86's conversion).
    public var hash: Int64 { score >= -0x1p63 && score < 0x1p63 ? Int64(score) : .min }

    public init(member: ByteString, distance: Double, score: Double, position: GeoPosition) {
        self.member = member
        self.distance = distance
        self.score = score
        self.position = position
    }
}

/// A geo search: GEOSEARCH's options, which GEORADIUS and GEORADIUSBYMEMBER also spell.
struct GeoSearchQuery {
    var center: GeoSearchCenter
    var area: GeoSearchArea
    var order: GeoSearchOrder = .unsorted
    /// COUNT: at most this many matches (the nearest, unless `any`); nil for all.
    var count: Int? = nil
    /// ANY: stop reading at `count` matches, then sort those.
    var any = false

    /// The checks Redis makes on the options' values.
    func validate() throws(StoreError) {
        if let count, count <= 0 { throw .geoCountNotPositive }
        switch area {
        case .radius(let radius, _): if radius < 0 { throw .geoRadiusNegative }
        case .box(let width, let height, _): if width < 0 || height < 0 { throw .geoBoxNegative }
        }
        if any && count == nil { throw .geoAnyWithoutCount }
        if case .position(let p) = center, GeoHash.score(longitude: p.longitude, latitude: p.latitude) == nil {
            throw .geoInvalidPair(longitude: p.longitude, latitude: p.latitude)
        }
    }
}

/// The shape a search filters by (Redis's `GeoShape`): centre in degrees, size in the
/// unit, `conversion` meters per unit.
struct GeoShape {
    var longitude: Double
    var latitude: Double
    var area: GeoSearchArea
    var conversion: Double { area.unit.meters }

    /// The radius whose cells must cover the shape: the radius, or the box's half diagonal.
    var coverRadiusMeters: Double {
        switch area {
        case .radius(let radius, _): return radius * conversion
        case .box(let width, let height, _): return (width / 2 * (width / 2) + height / 2 * (height / 2)).squareRoot() * conversion
        }
    }

    /// The bounding box in degrees (`geohashBoundingBox`): the longitude span taken at the
    /// edge nearer the pole.
    var boundingBox: GeoHash.Area {
        let degrees = Double.pi / 180.0
        let (halfHeight, halfWidth): (Double, Double)
        switch area {
        case .radius(let radius, _): (halfHeight, halfWidth) = (radius * conversion, radius * conversion)
        case .box(let width, let height, _): (halfHeight, halfWidth) = (conversion * (height / 2), conversion * (width / 2))
        }
        let latitudeDelta = halfHeight / GeoHash.earthRadius / degrees
        let longitudeDeltaTop = halfWidth / GeoHash.earthRadius / cos((latitude + latitudeDelta) * degrees) / degrees
        let longitudeDeltaBottom = halfWidth / GeoHash.earthRadius / cos((latitude - latitudeDelta) * degrees) / degrees
        let longitudeDelta = latitude < 0 ? longitudeDeltaBottom : longitudeDeltaTop
        return GeoHash.Area(longitudeMin: longitude - longitudeDelta, longitudeMax: longitude + longitudeDelta,
                            latitudeMin: latitude - latitudeDelta, latitudeMax: latitude + latitudeDelta)
    }

    /// The distance in meters to a position inside the shape, nil outside
    /// (`geohashGetDistanceIfInRadiusWGS84`, `geohashGetDistanceIfInRectangle`).
    func distanceIfInside(_ p: (longitude: Double, latitude: Double)) -> Double? {
        let centre = (longitude: longitude, latitude: latitude)
        switch area {
        case .radius(let radius, _):
            let distance = GeoHash.distance(centre, p)
            return distance > radius * conversion ? nil : distance
        case .box(let width, let height, _):
            let across = GeoHash.distance(p, (longitude, p.latitude))
            let along = GeoHash.distance(p, (p.longitude, latitude))
            if across > width * conversion / 2 || along > height * conversion / 2 { return nil }
            return GeoHash.distance(centre, p)
        }
    }

    /// The matches in the cells around the centre (`membersOfAllNeighbors`), unsorted,
    /// distances in meters; reading stops at `limit` matches (0: no limit).
    func matches(in z: SortedSetValue, limit: Int) -> [GeoSearchMatch] {
        var found: [GeoSearchMatch] = []
        var previous: GeoHash.Cell? = nil
        for cell in GeoHash.searchCells(self) where !cell.isZero {
            // Huge radii make adjacent neighbours the same cell: read each run once.
            if let previous, previous == cell { continue }
            if limit > 0 && found.count >= limit { break }
            previous = cell
            let (min, max) = cell.scores
            let ranks = z.ranks(in: ScoreRange(min: min, max: max, maxExclusive: true))
            for rank in ranks {
                let entry = z.entry(atRank: rank)
                let position = GeoHash.decode(entry.score)
                guard let distance = distanceIfInside(position) else { continue }
                found.append(GeoSearchMatch(
                    member: entry.member, distance: distance, score: entry.score,
                    position: GeoPosition(longitude: position.longitude, latitude: position.latitude)))
                if limit > 0 && found.count >= limit { break }
            }
        }
        return found
    }
}

/// GEOSEARCH, GEOSEARCHSTORE, GEORADIUS and GEORADIUSBYMEMBER (Redis's
/// `georadiusGeneric`), shared by the command handlers, the typed API and `redis.call`.
extension KeyspaceAccess {
    /// The stored positions a search reads: a member's position, or
    /// ``StoreError/geoMemberNotFound``.
    struct GeoMemberLookup {
        let zset: SortedSetValue

        func position(of member: ByteString) throws(StoreError) -> GeoPosition {
            guard let score = zset.score(of: member) else { throw .geoMemberNotFound }
            let p = GeoHash.decode(score)
            return GeoPosition(longitude: p.longitude, latitude: p.latitude)
        }
    }

    /// GEOSEARCH / GEORADIUS / GEORADIUSBYMEMBER: the matches, distances in the area's
    /// unit. `query` runs once the key's type is checked, given the stored positions (nil
    /// when the key is missing: then nothing matches), so a handler parses its options
    /// in Redis's order, member lookups included.
    /// - Throws: ``StoreError/wrongType``; ``StoreError/geoMemberNotFound`` for a centre
    ///   member that is not there; the option checks of the query.
    func geosearch(
        _ key: ByteString, _ query: (GeoMemberLookup?) throws(StoreError) -> GeoSearchQuery
    ) throws(StoreError) -> [GeoSearchMatch] {
        try readSortedSet(key) { z throws(StoreError) -> [GeoSearchMatch] in
            try Self.search(z, query)
        }
    }

    /// GEOSEARCHSTORE / GEORADIUS STORE: stores the matches in `destination` as a sorted
    /// set, scored by geohash (or by distance in the area's unit with `storeDistance`);
    /// no match deletes `destination`. The number of matches stored. `event` names the
    /// keyspace event of a store (`georadiusstore` for the GEORADIUS forms).
    func geosearchstore(
        _ destination: ByteString, _ source: ByteString, storeDistance: Bool, event: String = "geosearchstore",
        _ query: (GeoMemberLookup?) throws(StoreError) -> GeoSearchQuery
    ) throws(StoreError) -> Int {
        var deleted = false
        let stored = try withKeys([destination, source], access: [.write, .read]) { set throws(StoreError) -> Int in
            let sh = source.storeHash, dh = destination.storeHash
            let z = try set[sh].sortedSet(source, hash: sh)?.zset
            let matches = try Self.search(z, query)
            deleted = matches.isEmpty && set[dh].lookup(destination, hash: dh) != nil
            set.replace(destination, with: matches.map {
                SortedSetEntry(member: $0.member, score: storeDistance ? $0.distance : $0.score)
            })
            return matches.count
        }
        if stored > 0 {
            signalKeyReady(destination)
            notify(.sortedSet, event, destination)
        }
        if deleted { notify(.generic, "del", destination) }
        return stored
    }

    private static func search(
        _ z: SortedSetValue?, _ query: (GeoMemberLookup?) throws(StoreError) -> GeoSearchQuery
    ) throws(StoreError) -> [GeoSearchMatch] {
        let lookup = z.map { GeoMemberLookup(zset: $0) }
        let q = try query(lookup)
        try q.validate()
        guard let lookup else { return [] }
        let center: GeoPosition
        switch q.center {
        case .member(let member): center = try lookup.position(of: member)
        case .position(let p): center = p
        }
        let shape = GeoShape(longitude: center.longitude, latitude: center.latitude, area: q.area)
        var found = shape.matches(in: lookup.zset, limit: q.any ? q.count ?? 0 : 0)
        var order = q.order
        if q.count != nil && order == .unsorted && !q.any { order = .ascending }
        switch order {
        case .unsorted: break
        case .ascending: found.sort { $0.distance < $1.distance }
        case .descending: found.sort { $0.distance > $1.distance }
        }
        if let count = q.count, found.count > count { found.removeLast(found.count - count) }
        let conversion = shape.conversion
        for i in found.indices { found[i].distance /= conversion }
        return found
    }
}
