import LuaStoreCore

/// The geo commands on sorted sets (Redis's geo.c): handlers parse argv, call the
/// operations in `GeoOps.swift`, and shape the reply.
enum GeoFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("geoadd", arity: -5, flags: [.write, .denyOOM], acl: [.geo], keys: [.range(1, [.RW, .update])], handler: geoadd),
        CommandSpec("geopos", arity: -2, flags: [.readonly], acl: [.geo], keys: [.range(1, [.RO, .access])], handler: geopos),
        CommandSpec("geodist", arity: -4, flags: [.readonly], acl: [.geo], keys: [.range(1, [.RO, .access])], handler: geodist),
        CommandSpec("geohash", arity: -2, flags: [.readonly], acl: [.geo], keys: [.range(1, [.RO, .access])], handler: geohash),
    ] + searchCommands

    /// GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]
    /// — O(log(N)) per member
    ///
    /// As `geoaddCommand`: the options, then the argument count and NX with XX (syntax
    /// errors), then every position, then ZADD's work.
    static func geoadd(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var nx = false, xx = false, ch = false
        var first = 2
        while first < argv.count {
            let option = argv[first]
            if option.isOption("NX") { nx = true }
            else if option.isOption("XX") { xx = true }
            else if option.isOption("CH") { ch = true }
            else { break }
            first += 1
        }
        let remaining = argv.count - first
        guard remaining % 3 == 0, !(nx && xx), remaining > 0 else { throw .syntax }
        var members: [(position: GeoPosition, member: ByteString)] = []
        for i in stride(from: first, to: argv.count, by: 3) {
            guard let longitude = Score.parse(argv[i]), let latitude = Score.parse(argv[i + 1]) else { throw .notFloat }
            guard GeoHash.score(longitude: longitude, latitude: latitude) != nil else {
                throw .geoInvalidPair(longitude: longitude, latitude: latitude)
            }
            members.append((GeoPosition(longitude: longitude, latitude: latitude), argv[i + 2]))
        }
        let result = try ctx.keyspace.geoadd(argv[1], members, condition: nx ? .ifAbsent : (xx ? .ifPresent : .always))
        return .integer(Int64(ch ? result.added + result.updated : result.added))
    }

    /// GEOPOS key [member [member ...]] — O(1) per member
    static func geopos(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let resp3 = ctx.resp3
        return .array(try ctx.keyspace.geopos(argv[1], Array(argv[2...])).map { position in
            guard let position else { return .nullArray }
            return .array([coordinateReply(position.longitude, resp3: resp3), coordinateReply(position.latitude, resp3: resp3)])
        })
    }

    /// GEODIST key member1 member2 [M | KM | FT | MI] — O(1)
    ///
    /// The unit is checked before the key; the distance is `%.4f` in the unit.
    static func geodist(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard argv.count <= 5 else { throw .syntax }
        let unit = argv.count == 5 ? try GeoUnit(argument: argv[4]) : .meters
        guard let meters = try ctx.keyspace.geodist(argv[1], argv[2], argv[3]) else { return .null }
        return distanceReply(meters / unit.meters)
    }

    /// GEOHASH key [member [member ...]] — O(1) per member
    static func geohash(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        .array(try ctx.keyspace.geohash(argv[1], Array(argv[2...])).map { $0.map(Reply.bulk) ?? .null })
    }

    /// A coordinate as `addReplyHumanLongDouble` writes it: `%.17Lf` without trailing
    /// zeros, a bulk string in RESP2, a double in RESP3.
    static func coordinateReply(_ value: Double, resp3: Bool) -> Reply {
        let text = LongDoubleText.format(LongDouble(value))
        return resp3 ? .double(Double(text.string) ?? value) : .bulk(text)
    }

    /// A distance as `addReplyDoubleDistance` writes it: `%.4f`, a bulk string.
    static func distanceReply(_ value: Double) -> Reply {
        .bulk(ByteString(CFormat.double(value, "%.4f")))
    }
}
