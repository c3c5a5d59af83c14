import LuaStoreCore

/// GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and the _RO forms: one parser,
/// `georadiusGeneric`'s, over the forms' different heads.
extension GeoFamily {
    /// Which form a search command is (Redis's `RADIUS_*` and `GEOSEARCH*` flags).
    struct SearchForm: OptionSet {
        let rawValue: Int
        /// GEORADIUS: the centre and radius are positional.
        static let coordinates = SearchForm(rawValue: 1 << 0)
        /// GEORADIUSBYMEMBER: a member and radius are positional.
        static let member = SearchForm(rawValue: 1 << 1)
        /// The _RO forms: no STORE or STOREDIST.
        static let noStore = SearchForm(rawValue: 1 << 2)
        /// GEOSEARCH: FROMMEMBER/FROMLONLAT and BYRADIUS/BYBOX options.
        static let search = SearchForm(rawValue: 1 << 3)
        /// GEOSEARCHSTORE: a destination first, STOREDIST a flag.
        static let searchStore = SearchForm(rawValue: 1 << 4)
    }

    static let searchCommands: [CommandSpec] = {
        let store: KeySpec.Flags = [.OW, .update]
        func radius(_ name: String, arity: Int, _ form: SearchForm) -> CommandSpec {
            let startFrom = arity == -6 ? 6 : 5
            return CommandSpec(name, arity: arity, flags: [.write, .denyOOM], acl: [.geo], keys: [
                .range(1, [.RO, .access]),
                .keyword("STORE", startFrom: startFrom, store),
                .keyword("STOREDIST", startFrom: startFrom, store),
            ]) { ctx, argv throws(StoreError) in try search(ctx, argv, form) }
        }
        func readOnly(_ name: String, arity: Int, _ form: SearchForm) -> CommandSpec {
            CommandSpec(name, arity: arity, flags: [.readonly], acl: [.geo], keys: [.range(1, [.RO, .access])]) {
                ctx, argv throws(StoreError) in try search(ctx, argv, form)
            }
        }
        return [
            radius("georadius", arity: -6, .coordinates),
            readOnly("georadius_ro", arity: -6, [.coordinates, .noStore]),
            radius("georadiusbymember", arity: -5, .member),
            readOnly("georadiusbymember_ro", arity: -5, [.member, .noStore]),
            readOnly("geosearch", arity: -7, .search),
            CommandSpec("geosearchstore", arity: -8, flags: [.write, .denyOOM], acl: [.geo],
                        keys: [.range(1, [.OW, .update]), .range(2, [.RO, .access])]) {
                ctx, argv throws(StoreError) in try search(ctx, argv, [.search, .searchStore])
            },
        ]
    }()

    /// What a search replies with besides the members, and where it stores them.
    struct SearchReply {
        var withDistance = false, withHash = false, withCoordinates = false
        var storeKey: ByteString? = nil
        var storeDistance = false
    }

    /// GEORADIUS key longitude latitude radius unit [WITHCOORD] [WITHDIST] [WITHHASH]
    /// [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key];
    /// GEORADIUSBYMEMBER key member radius unit ...; GEOSEARCH key (FROMMEMBER member |
    /// FROMLONLAT longitude latitude) (BYRADIUS radius unit | BYBOX width height unit)
    /// [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH];
    /// GEOSEARCHSTORE destination source ... [STOREDIST]
    /// — O(N+log(M)): N members in the cells read, M in the set
    ///
    /// The key's type is checked first, then the head and options in argv order, a
    /// member's position looked up where it is named, then the combination errors.
    static func search(_ ctx: borrowing CommandContext, _ argv: [ByteString], _ form: SearchForm) throws(StoreError) -> Reply {
        let sourceIndex = form.contains(.searchStore) ? 2 : 1
        // Where the matches go decides which keys the operation locks; the full parse
        // below, under the lock, repeats this walk with every check.
        var dryRun = SearchReply()
        _ = try? parse(argv, form, lookup: nil, reply: &dryRun, checking: false)
        var reply = SearchReply()
        let query = { (lookup: KeyspaceAccess.GeoMemberLookup?) throws(StoreError) -> GeoSearchQuery in
            try parse(argv, form, lookup: lookup, reply: &reply, checking: true)
        }
        if let storeKey = dryRun.storeKey {
            let stored = try ctx.keyspace.geosearchstore(
                storeKey, argv[sourceIndex], storeDistance: dryRun.storeDistance,
                event: form.contains(.search) ? "geosearchstore" : "georadiusstore", query)
            return .integer(Int64(stored))
        }
        let matches = try ctx.keyspace.geosearch(argv[sourceIndex], query)
        let resp3 = ctx.resp3
        let options = [reply.withDistance, reply.withHash, reply.withCoordinates].filter { $0 }.count
        return .array(matches.map { match in
            guard options > 0 else { return .bulk(match.member) }
            var item: [Reply] = [.bulk(match.member)]
            if reply.withDistance { item.append(distanceReply(match.distance)) }
            if reply.withHash { item.append(.integer(match.hash)) }
            if reply.withCoordinates {
                item.append(.array([coordinateReply(match.position.longitude, resp3: resp3),
                                    coordinateReply(match.position.latitude, resp3: resp3)]))
            }
            return .array(item)
        })
    }

    /// `georadiusGeneric`'s parse. `lookup` is nil for a missing key, whose member
    /// positions are then not looked up (and GEORADIUSBYMEMBER's radius not read).
    /// Without `checking`, only walks the options to find STORE and STOREDIST.
    static func parse(
        _ argv: [ByteString], _ form: SearchForm, lookup: KeyspaceAccess.GeoMemberLookup?,
        reply: inout SearchReply, checking: Bool
    ) throws(StoreError) -> GeoSearchQuery {
        var query = GeoSearchQuery(center: .position(GeoPosition(longitude: 0, latitude: 0)), area: .radius(0, .meters))
        let base: Int
        if form.contains(.coordinates) {
            base = 6
            if checking {
                query.center = .position(try position(argv[2], argv[3]))
                query.area = try radius(argv[4], argv[5])
            }
        } else if form.contains(.member) {
            base = 5
            if checking, let lookup {
                query.center = .position(try lookup.position(of: argv[2]))
                query.area = try radius(argv[3], argv[4])
            }
        } else {
            base = form.contains(.searchStore) ? 3 : 2
            if form.contains(.searchStore) { reply.storeKey = argv[1] }
        }
        let search = form.contains(.search)
        let storable = !form.contains(.noStore) && !search
        var fromMember = false, fromPosition = false, byRadius = false, byBox = false
        var count: Int64 = 0
        var i = base
        while i < argv.count {
            let option = argv[i]
            let left = argv.count - i - 1
            if option.isOption("WITHDIST") { reply.withDistance = true }
            else if option.isOption("WITHHASH") { reply.withHash = true }
            else if option.isOption("WITHCOORD") { reply.withCoordinates = true }
            else if option.isOption("ANY") { query.any = true }
            else if option.isOption("ASC") { query.order = .ascending }
            else if option.isOption("DESC") { query.order = .descending }
            else if option.isOption("COUNT") && left >= 1 {
                if checking {
                    guard let n = argv[i + 1].int64Value else { throw .notInteger }
                    guard n > 0 else { throw .geoCountNotPositive }
                    count = n
                }
                i += 1
            } else if (option.isOption("STORE") || option.isOption("STOREDIST")) && left >= 1 && storable {
                reply.storeKey = argv[i + 1]
                reply.storeDistance = option.isOption("STOREDIST")
                i += 1
            } else if option.isOption("STOREDIST") && form.contains(.searchStore) {
                reply.storeDistance = true
            } else if option.isOption("FROMMEMBER") && left >= 1 && search && !fromPosition {
                if checking, let lookup { query.center = .position(try lookup.position(of: argv[i + 1])) }
                fromMember = true
                i += 1
            } else if option.isOption("FROMLONLAT") && left >= 2 && search && !fromMember {
                if checking { query.center = .position(try position(argv[i + 1], argv[i + 2])) }
                fromPosition = true
                i += 2
            } else if option.isOption("BYRADIUS") && left >= 2 && search && !byBox {
                if checking { query.area = try radius(argv[i + 1], argv[i + 2]) }
                byRadius = true
                i += 2
            } else if option.isOption("BYBOX") && left >= 3 && search && !byRadius {
                if checking {
                    guard let width = Score.parse(argv[i + 1]) else { throw .geoNeedNumeric("width") }
                    guard let height = Score.parse(argv[i + 2]) else { throw .geoNeedNumeric("height") }
                    guard width >= 0, height >= 0 else { throw .geoBoxNegative }
                    query.area = .box(width: width, height: height, try GeoUnit(argument: argv[i + 3]))
                }
                byBox = true
                i += 3
            } else {
                throw .syntax
            }
            i += 1
        }
        if reply.storeKey != nil && (reply.withDistance || reply.withHash || reply.withCoordinates) {
            throw .geoStoreWithReplyOptions(form.contains(.searchStore) ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
        }
        if search && !(fromMember || fromPosition) { throw .geoSearchWithoutCenter(command: argv[0].string) }
        if search && !(byRadius || byBox) { throw .geoSearchWithoutShape(command: argv[0].string) }
        if query.any && count == 0 { throw .geoAnyWithoutCount }
        if count > 0 { query.count = Int(clamping: count) }
        return query
    }

    /// A longitude and latitude (`extractLongLatOrReply`).
    private static func position(_ longitude: ByteString, _ latitude: ByteString) throws(StoreError) -> GeoPosition {
        guard let x = Score.parse(longitude), let y = Score.parse(latitude) else { throw .notFloat }
        guard GeoHash.score(longitude: x, latitude: y) != nil else { throw .geoInvalidPair(longitude: x, latitude: y) }
        return GeoPosition(longitude: x, latitude: y)
    }

    /// A radius and its unit (`extractDistanceOrReply`).
    private static func radius(_ value: ByteString, _ unit: ByteString) throws(StoreError) -> GeoSearchArea {
        guard let r = Score.parse(value) else { throw .geoNeedNumeric("radius") }
        guard r >= 0 else { throw .geoRadiusNegative }
        return .radius(r, try GeoUnit(argument: unit))
    }
}
