import LuaStoreCore

extension KeyValueCommands {
    /// GEOADD: stores each member of `members` at its position in the sorted set at `key`
    /// (its score is the position's 52-bit geohash); the number of members added, or with
    /// `changed` added or moved. `condition` is NX (`.ifAbsent`) or XX (`.ifPresent`).
    /// - Throws: `StoreError.geoInvalidPair(longitude:latitude:)` for a position outside
    ///   longitudes ±180 and latitudes ±85.05112878; `StoreError.wrongType`.
    /// - Complexity: O(log(N)) per member
    @discardableResult
    public func geoadd(
        _ key: ByteString, _ members: [(position: GeoPosition, member: ByteString)],
        condition: SetCondition = .always, changed: Bool = false
    ) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(key)
        let result = try scope.keyspace.geoadd(key, members, condition: condition)
        return changed ? result.added + result.updated : result.added
    }

    /// GEOPOS: each member's stored position (the centre of its geohash cell), nil for a
    /// missing member.
    /// - Complexity: O(1) per member
    public func geopos(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> [GeoPosition?] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.geopos(key, members)
    }

    /// GEODIST: the distance between two members in `unit` (Redis's haversine on a sphere
    /// of radius 6372797.560856 m); nil if either is missing.
    /// - Complexity: O(1)
    public func geodist(_ key: ByteString, _ member1: ByteString, _ member2: ByteString, unit: GeoUnit = .meters) throws(StoreError) -> Double? {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.geodist(key, member1, member2).map { $0 / unit.meters }
    }

    /// GEOHASH: each member's 11-character standard geohash, nil for a missing member.
    /// - Complexity: O(1) per member
    public func geohash(_ key: ByteString, _ members: [ByteString]) throws(StoreError) -> [ByteString?] {
        let scope = commandScope
        try scope.check(key)
        return try scope.keyspace.geohash(key, members)
    }

    /// GEOSEARCH: the members of the sorted set at `key` inside `area` around `center`,
    /// their distances in the area's unit. `order` sorts by distance; `count` keeps the
    /// nearest `count` (sorting them nearest first unless `order` says otherwise), or with
    /// `any` the first `count` found. A missing key matches nothing.
    /// - Throws: `StoreError.geoMemberNotFound` for a `.member` centre the set does not
    ///   hold; `StoreError.geoInvalidPair(longitude:latitude:)`,
    ///   `StoreError.geoRadiusNegative`, `StoreError.geoBoxNegative`,
    ///   `StoreError.geoCountNotPositive`, `StoreError.geoAnyWithoutCount`;
    ///   `StoreError.wrongType`.
    /// - Complexity: O(N+log(M)): N members in the cells around the area, M in the set
    public func geosearch(
        _ key: ByteString, from center: GeoSearchCenter, by area: GeoSearchArea,
        order: GeoSearchOrder = .unsorted, count: Int? = nil, any: Bool = false
    ) throws(StoreError) -> [GeoSearchMatch] {
        let scope = commandScope
        try scope.check(key)
        let query = GeoSearchQuery(center: center, area: area, order: order, count: count, any: any)
        return try scope.keyspace.geosearch(key) { _ throws(StoreError) in query }
    }

    /// GEOSEARCHSTORE: stores what `geosearch(_:from:by:order:count:any:)` finds in
    /// `source` as the sorted set `destination`, scored by geohash, or by distance in the
    /// area's unit with `storeDistance`; nothing found deletes `destination`. The number
    /// of members stored.
    /// - Throws: as `geosearch(_:from:by:order:count:any:)`.
    /// - Complexity: O(N+log(M)) plus O(K log K) for the K members stored
    @discardableResult
    public func geosearchstore(
        _ destination: ByteString, _ source: ByteString, from center: GeoSearchCenter, by area: GeoSearchArea,
        order: GeoSearchOrder = .unsorted, count: Int? = nil, any: Bool = false, storeDistance: Bool = false
    ) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.checkWrite(destination)
        try scope.check(source)
        let query = GeoSearchQuery(center: center, area: area, order: order, count: count, any: any)
        return try scope.keyspace.geosearchstore(destination, source, storeDistance: storeDistance) { _ throws(StoreError) in query }
    }
}
